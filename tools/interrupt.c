/* interrupt: SIGINT, SIGTERM and SIGHUP recorded, not acted on. */
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t seen; /* a signal arrived */
static struct sigaction old_int;   /* SIGINT's handler before catch */
static struct sigaction old_term;  /* SIGTERM's handler before catch */
static struct sigaction old_hup;   /* SIGHUP's handler before catch */

static void on_signal(int sig) {
    (void)sig;
    seen = 1;
}

void interrupt_catch(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    seen = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
}

void interrupt_restore(void) {
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
}

int interrupt_seen(void) {
    return seen != 0;
}
