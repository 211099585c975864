/*
 * sysinfo(2) answered per server (as Incus's security.syscalls.intercept.sysinfo): the
 * guest's sysinfo calls stop at a seccomp user-notification filter and the server's
 * monitor answers them from the server's cgroups, so busybox `free`/`uptime` (and glibc's
 * get_phys_pages) see the server's memory, swap, process count and uptime, which no
 * mount can give them (LXCFS serves files). Anything that goes wrong answers with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE: the guest then gets the kernel's real answer.
 */
#ifndef VS_SYSINFO_NOTIFY_H
#define VS_SYSINFO_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Installs (on top of the deny-list) a filter that sends the calling process tree's
 * x86_64 sysinfo calls to a listener, and returns the listener fd (close-on-exec). -1 with
 * errno where the kernel cannot (ENOSYS before Linux 5.5, which lacks FLAG_CONTINUE;
 * EBUSY when an outer filter already has a listener): the caller then keeps the kernel's
 * answer. Needs no_new_privs or CAP_SYS_ADMIN, like any filter. */
int vs_sysinfo_filter_install(void);

/* Where the monitor reads a server's numbers: its memory and pids cgroup directories
 * (found among the spec's cgroup.procs paths; -1 when absent) and its init's start time
 * in clock ticks since boot (the server's uptime starts there). */
struct vs_sysinfo_src {
  int mem_dir, pids_dir;
  uint64_t start_ticks;
};

/* Opens the cgroup directories of the given cgroup.procs paths; never fails (a missing
 * controller leaves the host's value for that field). */
void vs_sysinfo_src_open(struct vs_sysinfo_src *src, char *const *procs_paths, size_t n,
                         uint64_t start_ticks);

/* Receives one notification from `listener` and answers it. Returns -1 only when the
 * listener itself is unusable (the caller should stop polling it). */
int vs_sysinfo_answer_one(int listener, const struct vs_sysinfo_src *src);

/* The monitor, after the init's exec: answers the guest's sysinfo calls (the init tree's
 * `listener` and, through `bound` from vs_sysinfo_bind (-1: none), entered commands')
 * until the init exits (`pidfd` turns readable), then closes them all, `bound` too; the
 * caller's waitid reaps as before. With listener -1 (no filter: the kernel answers) it
 * only closes `bound`. Listeners leave the set when no process uses their filter. */
void vs_sysinfo_serve(int pidfd, int listener, int bound, char *const *procs_paths,
                      size_t n_paths, uint64_t start);

#endif
