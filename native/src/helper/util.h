/* Small helpers shared by vs-start and vs-enter: strict number parsing, full reads and
 * writes, /proc/PID/stat start times, cgroup joins and signal hygiene before exec. */
#ifndef VS_UTIL_H
#define VS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Decimal (or 0x-prefixed hex) without sign, spaces or trailing junk. */
int vs_parse_u64(const char *s, uint64_t *out);
int vs_parse_octal(const char *s, uint32_t *out);
void vs_fmt_u64(char *buf, size_t size, uint64_t v);
void vs_fmt_i64(char *buf, size_t size, int64_t v);

int vs_write_all(int fd, const void *buf, size_t len);

/* The relays' one copy step: move what is readable on `from` now (one read) to `to`; false
 * on EOF or an error of either side, true also when the read was interrupted or would block. */
bool vs_pump(int from, int to);

/* Field 22 of /proc/PID/stat (clock ticks since boot): with the pid it names one
 * process for the lifetime of the system, which a bare pid does not. */
int vs_proc_starttime(pid_t pid, uint64_t *out);

/* Write "0" (the caller itself) to each cgroup.procs file; returns the failing path. */
int vs_join_cgroups(char *const *paths, size_t n, const char **failed);

/* An fd of the user namespace of the process behind `pidfd` (PIDFD_GET_USER_NAMESPACE;
 * /proc/PID/ns/user on kernels before 6.11, for a pid the caller has verified). */
int vs_pidfd_userns(int pidfd, pid_t pid);

/* Most fds one message of vs_send_fds/vs_recv_fds carries (the kernel's SCM_MAX_FD is 253). */
#define VS_PASS_FDS_MAX 128

/* Sends n (1..VS_PASS_FDS_MAX) fds in one SCM_RIGHTS message with a one-byte payload;
 * -1 with errno on failure (EINVAL for a bad n). */
int vs_send_fds(int sock, const int *fds, size_t n);

/* Receives the fds of one SCM_RIGHTS message (close-on-exec) into fds[0..max-1]: their
 * count, 0 at EOF (the sender died or gave up), -1 with errno on failure (EPROTO for a
 * message without fds, with more than max, or cut short; any fds it did carry are closed). */
int vs_recv_fds(int sock, int *fds, size_t max);

/* Default dispositions and an empty mask, so the exec'd program starts clean. */
void vs_reset_signals(void);

/* execve with a PATH search in `envp` (not in our own environment) when argv[0] has no
 * slash; returns only on failure. */
int vs_execvpe(char *const *argv, char *const *envp);

#endif
