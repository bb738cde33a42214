# src/nn lazy weights (owner: perf): a lazy model drops and re-reads its weights, same bits; a
# model file changed meanwhile is refused. Skips without models/.
hc_add_check_test(NAME test_nn_lazy SOURCES test_nn_lazy.c LIBS hc_nn LABELS model)
