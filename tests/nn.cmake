# src/nn: the .tflite reader and XNNPACK runtime on the four shipped models (skips without them).
hc_add_check_test(NAME test_nn_load SOURCES test_nn_load.c LIBS hc_nn LABELS model)
