/*
 * vs-enter [--spec-file PATH] (see enter.h for the fd contract). The order is the one SECURITY.md asks
 * for: non-dumpable, verify the init (pidfd + start time against pid reuse), join its
 * cgroups, setns, fork (the child lands in the pid namespace; we stay outside it, so a
 * guest can neither see nor ptrace us), the child joins the init's user namespace (when
 * it has its own) before the others, sandbox, close fds, exec.
 */
#include "enter.h"
#include "sysinfo_socket.h"
#include "report.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *one(const struct vs_records *rs, const char *key, bool required) {
  const struct vs_record *r = vs_records_find(rs, key);
  if (r == NULL && !required) return NULL;
  if (r == NULL || r->n != 1) vs_die("spec", EINVAL, key);
  return r->f[0];
}

static uint64_t num(const struct vs_records *rs, const char *key, uint64_t max) {
  uint64_t v;
  if (vs_parse_u64(one(rs, key, true), &v) < 0 || v > max) vs_die("spec", EINVAL, key);
  return v;
}

/* The pid in /proc/self/fdinfo of a pidfd: proves an inherited fd is the init's. */
static pid_t pidfd_pid(int pidfd) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
  vs_autofd int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = '\0';
  char *p = strstr(buf, "\nPid:\t");
  return p ? (pid_t)strtol(p + 6, NULL, 10) : -1;
}

static void parse(struct vs_enter_spec *s) {
  const struct vs_records *rs = &s->rs;
  if (strcmp(one(rs, "version", true), "1") != 0) vs_die("spec", EPROTO, "version");
  const char *mode = one(rs, "mode", true);
  if (strcmp(mode, "exec") == 0) s->mode = VS_MODE_EXEC;
  else if (strcmp(mode, "pty") == 0) s->mode = VS_MODE_PTY;
  else if (strcmp(mode, "uts") == 0) s->mode = VS_MODE_UTS;
  else vs_die("spec", EINVAL, "mode");
  s->pid = (pid_t)num(rs, "pid", 0x3fffffff);
  s->pidfd = vs_records_find(rs, "pidfd") ? (int)num(rs, "pidfd", 1 << 20) : -1;
  s->hostname = one(rs, "hostname", false);
  s->domainname = one(rs, "domainname", false);
  if (s->mode == VS_MODE_UTS) return;
  s->cgroups = vs_records_find(rs, "cgroup-procs");
  s->argv = vs_records_find(rs, "argv");
  s->env = vs_records_find(rs, "env");
  s->cwd = one(rs, "cwd", false);
  s->uid = (uid_t)num(rs, "uid", 0xfffffffe);
  s->gid = (gid_t)num(rs, "gid", 0xfffffffe);
  const struct vs_record *g = vs_records_find(rs, "groups");
  s->ngroups = g ? g->n : 0;
  s->groups = calloc(s->ngroups + 1, sizeof *s->groups);
  for (size_t i = 0; i < s->ngroups; i++) {
    uint64_t v;
    if (vs_parse_u64(g->f[i], &v) < 0 || v > 0xfffffffe) vs_die("spec", EINVAL, "groups");
    s->groups[i] = (gid_t)v;
  }
  if (s->argv == NULL || s->argv->n == 0) vs_die("spec", EINVAL, "argv");
  const char *bad;
  if (vs_sandbox_parse(rs, &s->sandbox, &bad) < 0) vs_die("spec", errno, bad);
}

static int open_init(struct vs_enter_spec *s) {
  uint64_t want = num(&s->rs, "start-time", UINT64_MAX), got;
  int pidfd = s->pidfd;
  if (pidfd >= 0) {
    if (pidfd_pid(pidfd) != s->pid) vs_die("pidfd", ESRCH, NULL);
  } else {
    pidfd = vs_pidfd_open(s->pid, 0);
    if (pidfd < 0) vs_die("pidfd_open", errno, NULL);
  }
  /* Read the start time after holding the pidfd, then check it is still alive: if so,
   * the pid still names the process we hold, and the start time we read is its own. */
  if (vs_proc_starttime(s->pid, &got) < 0) vs_die("init-starttime", errno, NULL);
  if (got != want || vs_pidfd_send_signal(pidfd, 0, 0) < 0) vs_die("init-identity", ESRCH, NULL);
  return pidfd;
}

/* Whether the init lives in another user namespace than we do (a server with its own
 * uid range). Found out here, never taken from the spec: a command entered into such a
 * server without joining it would run with host ids. */
static bool other_userns(const struct vs_enter_spec *s) {
  vs_autofd int theirs = vs_pidfd_userns(s->pidfd, s->pid);
  struct stat a, b;
  if (theirs < 0 || fstat(theirs, &a) < 0 || stat("/proc/self/ns/user", &b) < 0)
    vs_die("userns-fd", errno, NULL);
  return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

static int set_uts(struct vs_enter_spec *s) {
  if (setns(s->pidfd, CLONE_NEWUTS) < 0) vs_die("setns", errno, NULL);
  if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
    vs_die("sethostname", errno, s->hostname);
  if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
    vs_die("setdomainname", errno, s->domainname);
  return 0;
}

/* Every process of a server has its init's open-files limit (rlimits/nofile, given at
 * start and changed live): so does an entered command, which descends from us, not from
 * the init. Taken while we are still the host's root; where the host refuses a raise
 * (no CAP_SYS_RESOURCE, our caller's lower hard limit), the nearest we may have. */
static void copy_init_nofile(pid_t init) {
  struct rlimit theirs, ours;
  if (prlimit(init, RLIMIT_NOFILE, NULL, &theirs) < 0) vs_die("rlimit-nofile", errno, NULL);
  if (setrlimit(RLIMIT_NOFILE, &theirs) == 0 || errno != EPERM) return;
  if (getrlimit(RLIMIT_NOFILE, &ours) < 0) return;
  if (theirs.rlim_max > ours.rlim_max) theirs.rlim_max = ours.rlim_max;
  if (theirs.rlim_cur > theirs.rlim_max) theirs.rlim_cur = theirs.rlim_max;
  (void)setrlimit(RLIMIT_NOFILE, &theirs);
}

static int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return VS_EXIT_HELPER_FAILED;
}

/* A pty master arrives as SCM_RIGHTS; -1 when the child died before sending one. */
static int recv_fd(int sock) {
  int fd;
  return vs_recv_fds(sock, &fd, 1) == 1 ? fd : -1;
}

/* `--spec-file PATH` replaces fd 3 for callers that cannot pass extra fds (node-pty
 * gives a child only its pty as 0-2); the file must be the caller's private one. */
static void spec_from_file(int argc, char **argv) {
  if (argc != 3 || strcmp(argv[1], "--spec-file") != 0) {
    dprintf(2, "usage: vs-enter [--spec-file PATH]  (spec on fd 3 otherwise)\n");
    exit(2);
  }
  int fd = open(argv[2], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || dup2(fd, 3) < 0) {
    dprintf(2, "vs-enter: %s: %s\n", argv[2], strerror(errno));
    exit(VS_EXIT_HELPER_FAILED);
  }
  if (fd != 3) close(fd);
}

int main(int argc, char **argv) {
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (argc > 1) spec_from_file(argc, argv);
  if (fcntl(3, F_GETFD) < 0) {
    dprintf(2, "vs-enter: needs the spec on fd 3\n");
    return 2;
  }
  if (fcntl(4, F_GETFD) >= 0) {
    vs_status_fd = 4;
    fcntl(4, F_SETFD, FD_CLOEXEC);
  }
  signal(SIGPIPE, SIG_IGN);
  struct vs_enter_spec spec;
  memset(&spec, 0, sizeof spec);
  vs_records_take_spec(&spec.rs);
  parse(&spec);
  /* Close what the caller left inheritable besides our protocol fds (0-4) and the init's
   * pidfd: a relay holding another console's pty master would keep that pty alive. */
  if (spec.pidfd > 5 && vs_close_range(5, (unsigned int)spec.pidfd - 1, 0) < 0) vs_die("close-range", errno, NULL);
  if (vs_close_range(spec.pidfd >= 5 ? (unsigned int)spec.pidfd + 1 : 5, ~0u, 0) < 0) vs_die("close-range", errno, NULL);
  if (spec.pidfd >= 0) fcntl(spec.pidfd, F_SETFD, FD_CLOEXEC);
  spec.pidfd = open_init(&spec);
  /* uts mode needs no user namespace: host root may change any descendant's hostname. */
  if (spec.mode == VS_MODE_UTS) return set_uts(&spec);
  spec.join_userns = other_userns(&spec);
  copy_init_nofile(spec.pid);
  if (spec.cgroups != NULL) {
    const char *failed = NULL;
    if (vs_join_cgroups(spec.cgroups->f, spec.cgroups->n, &failed) < 0)
      vs_die("cgroup", errno, failed);
  }
  if (setns(spec.pidfd, CLONE_NEWPID) < 0) vs_die("setns", errno, NULL);
  int sv[2] = {-1, -1}, ep[2];
  /* exec mode: [0] the command's stdin (read end), [1], [2] its stdout/stderr (write
   * ends); ours[] are the other ends, kept by the relay. */
  int theirs[3] = {-1, -1, -1}, ours[3] = {-1, -1, -1};
  if (spec.mode == VS_MODE_PTY && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    vs_die("socketpair", errno, NULL);
  if (spec.mode == VS_MODE_EXEC) {
    for (int i = 0; i < 3; i++) {
      int p[2];
      if (pipe2(p, O_CLOEXEC) < 0) vs_die("pipe", errno, NULL);
      theirs[i] = i == 0 ? p[0] : p[1];
      ours[i] = i == 0 ? p[1] : p[0];
    }
  }
  if (pipe2(ep, O_CLOEXEC) < 0) vs_die("pipe", errno, NULL);

  /* Before fork: the monitor is reached in the host's network namespace, which the child
   * leaves. No monitor (an old one, or a kernel without the filter): the kernel answers. */
  spec.sysinfo_sock = vs_sysinfo_connect(spec.pid);

  pid_t pid = fork();
  if (pid < 0) vs_die("fork", errno, NULL);
  if (pid == 0) {
    close(ep[0]);
    if (sv[0] >= 0) close(sv[0]);
    for (int i = 0; i < 3; i++)
      if (ours[i] >= 0) close(ours[i]);
    vs_fail_fd = ep[1];
    vs_enter_child(&spec, sv[1], theirs);
  }
  close(ep[1]);
  if (spec.sysinfo_sock >= 0) close(spec.sysinfo_sock);
  if (sv[1] >= 0) close(sv[1]);
  for (int i = 0; i < 3; i++)
    if (theirs[i] >= 0) close(theirs[i]);
  close(spec.pidfd);
  vs_emit_num("child", pid);

  int status = 0;
  if (spec.mode == VS_MODE_PTY) {
    int master = recv_fd(sv[0]);
    close(sv[0]);
    if (master < 0) {
      waitpid(pid, NULL, 0);
      return VS_EXIT_HELPER_FAILED;
    }
    status = vs_pty_relay(master, pid);
  } else {
    char b;
    ssize_t n;
    do n = read(ep[0], &b, 1);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
      waitpid(pid, NULL, 0);
      return VS_EXIT_HELPER_FAILED;
    }
    status = vs_exec_relay(ours[0], ours[1], ours[2], pid);
  }
  return exit_code(status);
}
