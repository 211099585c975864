/*
 * The vs-enter child: already in the guest's pid namespace (the parent joined it for its
 * children), it joins the remaining namespaces (the user namespace first, when the server
 * has one: one setns on the pidfd joins it before the others, which it owns), takes a pty
 * from the GUEST's devpts when asked, sandboxes itself like the init and execs the command.
 */
#include "enter.h"
#include "report.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef DEVPTS_SUPER_MAGIC
#define DEVPTS_SUPER_MAGIC 0x1cd1
#endif
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define ENTER_NS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP)

/* The guest's own ptmx, reached without following any symlink, and proven to be the
 * devpts kind: the slave is then a guest pty, never one of the host's. devpts gives the
 * new slave our fsuid, so that is the command's uid first: after joining a server's user
 * namespace we are still host uid 0, which the guest could not chown back. */
static void take_guest_pty(int sock, uid_t uid) {
  setfsuid(uid);
  if ((uid_t)setfsuid((uid_t)-1) != uid) vs_die("setfsuid", EPERM, NULL);
  vs_autofd int m =
      vs_openat2(AT_FDCWD, "/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC, 0,
                 RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (m < 0) vs_die("open-ptmx", errno, "/dev/pts/ptmx");
  struct stat st;
  struct statfs sf;
  if (fstat(m, &st) < 0 || fstatfs(m, &sf) < 0) vs_die("fstat", errno, "/dev/pts/ptmx");
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2) || sf.f_type != DEVPTS_SUPER_MAGIC)
    vs_die("open-ptmx", ENODEV, "/dev/pts/ptmx");
  int unlock = 0;
  if (ioctl(m, TIOCSPTLCK, &unlock) < 0) vs_die("unlockpt", errno, NULL);
  /* The peer is opened through the master, not by a path the guest could swap. */
  int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0) vs_die("open-pty-peer", errno, NULL);
  if (vs_send_fds(sock, &m, 1) < 0) vs_die("sendmsg", errno, NULL);
  close(sock);
  if (setsid() < 0) vs_die("setsid", errno, NULL);
  if (ioctl(s, TIOCSCTTY, 0) < 0) vs_die("tiocsctty", errno, NULL);
  for (int i = 0; i < 3; i++)
    if (dup2(s, i) < 0) vs_die("dup2", errno, NULL);
  close(s);
}

_Noreturn void vs_enter_child(struct vs_enter_spec *spec, int sock, const int stdio[3]) {
  /* If vs-enter is killed, the command goes too: an exec request has one owner. */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (setns(spec->pidfd, ENTER_NS | (spec->join_userns ? CLONE_NEWUSER : 0)) < 0)
    vs_die("setns", errno, NULL);
  close(spec->pidfd);
  if (spec->mode == VS_MODE_PTY) {
    take_guest_pty(sock, spec->uid);
  } else {
    /* Leave the caller's session (no host controlling tty) and take our own pipes. */
    if (setsid() < 0) vs_die("setsid", errno, NULL);
    for (int i = 0; i < 3; i++)
      if (dup2(stdio[i], i) < 0) vs_die("dup2", errno, NULL);
  }

  char **argv = calloc(spec->argv->n + 1, sizeof *argv);
  memcpy(argv, spec->argv->f, spec->argv->n * sizeof *argv);
  char **envp = calloc((spec->env ? spec->env->n : 0) + 1, sizeof *envp);
  if (spec->env) memcpy(envp, spec->env->f, spec->env->n * sizeof *envp);

  int listener = -1;
  if (spec->sysinfo_sock >= 0) spec->sandbox.sysinfo_listener = &listener;
  vs_sandbox_apply_as(&spec->sandbox, spec->uid, spec->gid, spec->ngroups, spec->groups);
  /* Our sysinfo calls (and our children's) now wait for the monitor: it gets the listener.
   * A failed hand-over leaves a filter nobody answers (sysinfo fails with ENOSYS), still
   * better than a command that does not run. */
  if (listener >= 0) {
    vs_send_fds(spec->sysinfo_sock, &listener, 1);
    close(listener);
  }
  if (spec->sysinfo_sock >= 0) close(spec->sysinfo_sock);
  /* The uid change cleared the parent-death signal. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) vs_die("pdeathsig", errno, NULL);
  vs_check_parent_alive();
  if (chdir(spec->cwd ? spec->cwd : "/") < 0) vs_die("chdir", errno, spec->cwd);
  vs_reset_signals();
  vs_cloexec_all();
  vs_emit("exec", 0, NULL);
  vs_execvpe(argv, envp);
  vs_die("exec", errno, argv[0]);
}
