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

struct vs_start_spec {
  struct vs_records rs;
  const char *root, *rundir, *hostname, *domainname, *log;
  const struct vs_record *cgroups, *argv, *env, *on_exit;
  bool wait_go, stdio_inherit;
  struct vs_sandbox sandbox;
  struct vs_userns userns;
  int root_fd, rundir_fd; /* opened by vs-start before the fork */
};

/* The monitor: clones the init, reports, waits, records the exit, runs on-exit. */
_Noreturn void vs_monitor_main(struct vs_start_spec *spec);

/* The init child, from clone to exec. fail_fd is the write end of the exec pipe;
 * userns_sock (user-namespace mode, else -1) brings the monitor's detached mounts. */
_Noreturn void vs_init_main(struct vs_start_spec *spec, int fail_fd, int userns_sock);

/* NULL-terminated copy of a record's fields (argv/env for execve). */
char **vs_fields_vec(const struct vs_record *r);

#endif
