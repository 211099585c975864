/*
 * The hand-over of an entered command's sysinfo listener (sysinfo_notify.h) to the
 * server's monitor.
 */
#ifndef VS_SYSINFO_SOCKET_H
#define VS_SYSINFO_SOCKET_H

#include <sys/types.h>

/* Commands entered with vs-enter do not descend from the init, so they get a filter of
 * their own, and hand its listener to the server's monitor over an abstract unix socket of
 * the host's network namespace named after the monitor's pid. Either side checks the
 * other: the monitor takes fds only from host root (SO_PEERCRED uid 0), and vs-enter sends
 * only to the init's parent (SO_PEERCRED pid), so a squatter on the name gets nothing. */

/* The monitor's listening socket (non-blocking, close-on-exec); -1 with errno. */
int vs_sysinfo_bind(void);

/* vs-enter: a socket connected to the monitor of the init `init_pid` (its parent), or -1
 * (no monitor listening, or the peer is not that monitor). */
int vs_sysinfo_connect(pid_t init_pid);

/* The receiving end of a vs_sysinfo_connect, accepted from the bound socket (non-blocking,
 * close-on-exec): -1 with errno, EPERM when the peer is not host root. */
int vs_sysinfo_accept(int bound);

#endif
