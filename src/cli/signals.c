#define _POSIX_C_SOURCE 200809L
/*
 * signals.c - SIGINT (Ctrl-C) and SIGTERM (kill, `timeout`, `docker stop`, a Slurm time limit) as
 * a clean stop for the commands that run long (analyse, score, pose, batch).
 *
 * The handler only stores the signal in a lock-free atomic, the one thing a handler may do
 * safely; the work polls it (the analysis after every frame, the drawn reports after every
 * decoded frame, batch before every clip and frame) through cli_stop_requested, abandons what is
 * under way (its temporary files are removed by the writers), writes what is finished, and the
 * command exits with 128 + the signal (130, 143), as a shell reports a process the signal killed.
 * SA_RESETHAND: a second signal of the same kind kills at once. SA_RESTART: the signal does not
 * fail a read or write under way with EINTR.
 */
#include "cli/cli.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#if ATOMIC_INT_LOCK_FREE != 2
#error "the stop flag must be a lock-free atomic to be set from a signal handler"
#endif

static atomic_int caught; /* 0, or the first stop signal */

static void on_stop_signal(int sig)
{
    int none = 0;
    atomic_compare_exchange_strong(&caught, &none, sig);
}

void cli_catch_stop_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa, old;
        /* A signal ignored when hingecheck started stays ignored: a shell script's background
         * job ignores SIGINT so that Ctrl-C on the script leaves it running (as nohup does). */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop_signal;
        sa.sa_flags = SA_RESETHAND | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaddset(&sa.sa_mask, SIGINT);
        sigaddset(&sa.sa_mask, SIGTERM);
        sigaction(sigs[i], &sa, NULL);
    }
}

int cli_stop_signal(void)
{
    return atomic_load(&caught);
}

int cli_stop_requested(void *user)
{
    (void)user;
    return atomic_load(&caught) != 0;
}

int cli_stop_on_frame(int64_t frame_index, int64_t n_frames_estimate, void *user)
{
    (void)frame_index;
    (void)n_frames_estimate;
    return cli_stop_requested(user);
}

int cli_stop_exit_code(void)
{
    return 128 + atomic_load(&caught);
}

const char *cli_stop_name(void)
{
    return atomic_load(&caught) == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM";
}
