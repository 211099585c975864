/*
 * vs-enter: run a command in a running vserver, or change its hostname.
 *   fd 3  the spec (records, read to EOF)      fd 4  status socket (optional): child
 *   fd 0-2 relayed to the command (exec mode,       <pid>, exec, error <step> <errno>
 *          through pipes) or to its pty (pty mode)     <path>
 * Exit status: the command's (128+N when killed by signal N), 125 when vs-enter failed.
 */
#ifndef VS_ENTER_H
#define VS_ENTER_H

#include "record.h"
#include "sandbox.h"

#include <stdbool.h>
#include <sys/types.h>

enum vs_enter_mode { VS_MODE_EXEC, VS_MODE_PTY, VS_MODE_UTS };

struct vs_enter_spec {
  struct vs_records rs;
  enum vs_enter_mode mode;
  pid_t pid;
  int pidfd;
  /* The init has its own user namespace: the child joins it before the others. */
  bool join_userns;
  const struct vs_record *cgroups, *argv, *env;
  const char *cwd, *hostname, *domainname;
  uid_t uid;
  gid_t gid;
  size_t ngroups;
  gid_t *groups;
  struct vs_sandbox sandbox;
  int sysinfo_sock; /* connected to the server's monitor (sysinfo_notify.h), or -1 */
};

/* The child inside the guest's namespaces, up to exec. `sock` (pty mode) carries the
 * guest's pty master back to the parent; `stdio` (exec mode) are its pipe ends. */
_Noreturn void vs_enter_child(struct vs_enter_spec *spec, int sock, const int stdio[3]);

/* Relay between our stdin/stdout and the guest pty master until `child` exits;
 * returns its wait status. */
int vs_pty_relay(int master, pid_t child);

/* Relay our fds 0-2 to/from the command's pipes until it exits; returns its status. */
int vs_exec_relay(int in_w, int out_r, int err_r, pid_t child);

#endif
