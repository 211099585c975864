/*
 * The monitor: a detached host-side parent for the guest init. It holds nothing of the
 * guest (no root fd, no guest files: only the init's pidfd) and is invisible inside the
 * guest (it lives in the host pid namespace). When the init exits it records how, in
 * RUNDIR/init-exit.json, and then execs the spec's on-exit argv, if any, with our
 * environment plus VS_EXIT_FILE=RUNDIR/init-exit.json.
 *
 * Reboot detection: in a child pid namespace reboot(2) does not reboot the host; the
 * kernel (kernel/reboot.c, reboot_pid_ns) kills the namespace's init and reports it as
 * killed by SIGHUP for a restart and by SIGINT for halt/power-off.
 */
#include "report.h"
#include "start.h"
#include "sysinfo_socket.h"
#include "sysinfo_notify.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)

static void redirect_stdio(const struct vs_start_spec *spec) {
  int fd = -1;
  if (spec->log != NULL)
    fd = open(spec->log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  vs_autofd int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || devnull < 0) return;
  dup2(devnull, 0);
  dup2(fd, 1);
  dup2(fd, 2);
  if (fd > 2) close(fd);
}

static void write_exit_file(const struct vs_start_spec *spec, pid_t pid, uint64_t start,
                            const siginfo_t *si) {
  char body[256];
  if (si->si_code == CLD_EXITED) {
    snprintf(body, sizeof body,
             "{\"initPid\":%d,\"startTime\":%llu,\"status\":\"exited\",\"code\":%d}\n", pid,
             (unsigned long long)start, si->si_status);
  } else {
    int sig = si->si_status;
    const char *reboot = sig == SIGHUP ? "\"restart\"" : sig == SIGINT ? "\"halt\"" : "null";
    snprintf(body, sizeof body,
             "{\"initPid\":%d,\"startTime\":%llu,\"status\":\"signaled\",\"signal\":%d,"
             "\"reboot\":%s}\n",
             pid, (unsigned long long)start, sig, reboot);
  }
  /* Temp name + rename: a reader never sees half a file. */
  vs_autofd int fd = openat(spec->rundir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  vs_autofd int f = -1;
  if (fd >= 0)
    f = openat(fd, "init-exit.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
               0644);
  if (f < 0 || vs_write_all(f, body, strlen(body)) < 0 ||
      renameat(fd, "init-exit.json.tmp", fd, "init-exit.json") < 0)
    dprintf(2, "vs-start monitor: cannot write %s/init-exit.json: %s\n", spec->rundir,
            strerror(errno));
}

_Noreturn void vs_monitor_main(struct vs_start_spec *spec) {
  if (setsid() < 0) vs_die("setsid", errno, NULL);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  signal(SIGHUP, SIG_IGN);
  vs_emit_num("monitor", getpid());

  int ep[2], sp[2] = {-1, -1}, np[2];
  if (pipe2(ep, O_CLOEXEC) < 0) vs_die("pipe", errno, NULL);
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, np) < 0)
    vs_die("socketpair", errno, NULL);
  if (spec->userns.on && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    vs_die("socketpair", errno, NULL);
  /* Bound before the init exists, so a command entered right after the start finds it. */
  int bound = vs_sysinfo_bind();
  int pidfd = -1;
  struct vs_clone_args ca = {
      .flags = NS_FLAGS | CLONE_PIDFD | (spec->userns.on ? CLONE_NEWUSER : 0),
      .pidfd = (uint64_t)(uintptr_t)&pidfd,
      .exit_signal = SIGCHLD,
  };
  pid_t pid = vs_clone3(&ca);
  if (pid < 0) vs_die("clone3", errno, NULL);
  if (pid == 0) {
    close(ep[0]);
    close(np[0]);
    if (bound >= 0) close(bound);
    if (sp[0] >= 0) close(sp[0]);
    spec->sysinfo_sock = np[1];
    vs_init_main(spec, ep[1], sp[1]);
  }
  close(ep[1]);
  close(np[1]);
  if (spec->userns.on && vs_apply_nofile(spec, pid) < 0) {
    /* The init waits on the socket for its mounts: it has run no guest code yet. */
    int e = errno;
    vs_pidfd_send_signal(pidfd, SIGKILL, 0);
    waitpid(pid, NULL, 0);
    vs_die("rlimit-nofile", e, NULL);
  }
  if (spec->userns.on) {
    /* Maps and mounts before the init goes on (it waits for them on the socket). */
    close(sp[1]);
    vs_userns_prepare(&spec->rs, &spec->userns, spec->root_fd, spec->root, pid, pidfd, sp[0]);
    close(sp[0]);
  }
  close(spec->root_fd);

  uint64_t start = 0;
  if (vs_proc_starttime(pid, &start) < 0) {
    int e = errno;
    vs_pidfd_send_signal(pidfd, SIGKILL, 0);
    waitpid(pid, NULL, 0);
    vs_die("init-starttime", e, NULL);
  }
  char pidbuf[24], startbuf[24];
  vs_fmt_i64(pidbuf, sizeof pidbuf, pid);
  vs_fmt_u64(startbuf, sizeof startbuf, start);
  const char *f[] = {pidbuf, startbuf};
  vs_emit("init", 2, f);
  /* From here only the init reports (it holds its own copy of the socket until exec). */
  close(vs_status_fd);
  vs_status_fd = -1;

  char b;
  ssize_t n;
  do n = read(ep[0], &b, 1);
  while (n < 0 && errno == EINTR);
  close(ep[0]);
  if (n != 0) {
    /* The init failed before exec and said why; reap it and leave no trace. */
    waitpid(pid, NULL, 0);
    _exit(1);
  }

  /* The init sent its sysinfo listener before exec, or closed the socket without one. */
  int listener = -1;
  if (vs_recv_fds(np[0], &listener, 1) != 1) listener = -1;
  close(np[0]);

  redirect_stdio(spec);
  if (spec->cgroups != NULL)
    vs_sysinfo_serve(pidfd, listener, bound, spec->cgroups->f, spec->cgroups->n, start);
  else
    vs_sysinfo_serve(pidfd, listener, bound, NULL, 0, start);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  while (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0) {
    if (errno != EINTR) {
      dprintf(2, "vs-start monitor: waitid: %s\n", strerror(errno));
      _exit(1);
    }
  }
  close(pidfd);
  write_exit_file(spec, pid, start, &si);
  if (spec->on_exit == NULL) _exit(0);
  close(spec->rundir_fd);
  vs_reset_signals();
  char **argv = vs_fields_vec(spec->on_exit);
  /* The on-exit command learns where the record is without parsing our spec. */
  char path[4096];
  snprintf(path, sizeof path, "%s/init-exit.json", spec->rundir);
  setenv("VS_EXIT_FILE", path, 1);
  execve(argv[0], argv, environ);
  dprintf(2, "vs-start monitor: exec %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}
