/*
 * vs-start: the parsed start spec and the two processes that use it.
 *
 *   agent ──spawn──► vs-start ──fork──► MONITOR (setsid, host namespaces, not in the
 *                    (exits)              guest cgroup) ──clone3──► INIT (new mnt, pid,
 *                                                                   uts, ipc, net ns, and
 *                                                                   with `userns` a user ns
 *                                                                   owning them: userns.h)
 * Status records go to fd 4 (see record.h): monitor <pid>, init <pid> <starttime>,
 * waiting (when the spec asks for a go byte), exec, or error <step> <errno> <path>.
 */
#ifndef VS_START_H
#define VS_START_H

#include "record.h"
#include "sandbox.h"
#include "userns.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct vs_start_spec {
  struct vs_records rs;
  const char *root, *rundir, *hostname, *domainname, *log;
  const struct vs_record *cgroups, *argv, *env, *on_exit;
  bool wait_go, stdio_inherit;
  struct vs_sandbox sandbox;
  struct vs_userns userns;
  uint64_t nofile;        /* `rlimit-nofile N`: RLIMIT_NOFILE soft = hard; 0 = inherited */
  int root_fd, rundir_fd; /* opened by vs-start before the fork */
  int sysinfo_sock;       /* init's end: its sysinfo listener goes to the monitor (-1: none) */
};

/* Sets RLIMIT_NOFILE of `pid` (0: ourselves) to spec->nofile, when the spec has one. A
 * raise above the current hard limit needs CAP_SYS_RESOURCE of the host's namespace,
 * which a process inside a new user namespace no longer has: in that mode the monitor
 * sets it on the init from outside, while the init waits for its mounts. */
int vs_apply_nofile(const struct vs_start_spec *spec, pid_t pid);

/* The monitor: clones the init, reports, waits, records the exit, runs on-exit. */
_Noreturn void vs_monitor_main(struct vs_start_spec *spec);

/* The init child, from clone to exec. fail_fd is the write end of the exec pipe;
 * userns_sock (user-namespace mode, else -1) brings the monitor's detached mounts. */
_Noreturn void vs_init_main(struct vs_start_spec *spec, int fail_fd, int userns_sock);

/* NULL-terminated copy of a record's fields (argv/env for execve). */
char **vs_fields_vec(const struct vs_record *r);

#endif
