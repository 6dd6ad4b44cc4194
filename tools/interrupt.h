/*
 * interrupt: Ctrl-C (SIGINT), SIGTERM or SIGHUP ends a long command
 * gracefully.
 * The handler only records the signal; the command's loops ask
 * interrupt_seen() and wind down, so the summary still prints.
 */
#ifndef VPCERT_INTERRUPT_H
#define VPCERT_INTERRUPT_H

/* Record SIGINT, SIGTERM and SIGHUP from now on (the previous handlers
 * are kept). */
void interrupt_catch(void);
/* Put the previous handlers back. */
void interrupt_restore(void);
/* Has one of them arrived since interrupt_catch()? */
int interrupt_seen(void);

#endif /* VPCERT_INTERRUPT_H */
