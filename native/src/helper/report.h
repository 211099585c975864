/*
 * Reporting to the agent over the status socket. A failure before exec becomes one
 * `error` record {step, errno, path} and the process exits, so the agent can throw a
 * typed error that names the step and the path that failed.
 */
#ifndef VS_REPORT_H
#define VS_REPORT_H

#include <stddef.h>

/* Status socket (fd 4 by contract); -1 when there is none. */
extern int vs_status_fd;
/* Written (one byte) before exiting on failure, so a parent waiting for the exec can
 * tell "exec happened" (EOF) from "died before exec" (a byte, then EOF). */
extern int vs_fail_fd;

void vs_emit(const char *key, size_t n, const char *const *fields);
void vs_emit_num(const char *key, long long a);
_Noreturn void vs_die(const char *step, int err, const char *path);
/* Exits when the process at the other end of vs_fail_fd (the monitor, or vs-enter) is
 * gone: for after PR_SET_PDEATHSIG was re-armed, when a death could have been missed. */
void vs_check_parent_alive(void);
/* Exit status used when a helper fails before running its payload (like env(1)). */
#define VS_EXIT_HELPER_FAILED 125

#endif
