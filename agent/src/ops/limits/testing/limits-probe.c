/*
 * A static test program copied into busybox guests by the limits tests, for what busybox
 * cannot do (built by limits-probe.ts with `gcc -static`):
 *   alloc MIB        allocate and touch MIB MiB, printing "allocated N" every 16 MiB,
 *                    then "done N"
 *   forkloop MAX     fork sleeping children until fork fails or MAX are made; print
 *                    "forked N ERRNO-NAME|none", kill them and exit
 *   forkbomb         every process forks forever (retrying when fork fails); never ends
 *   fsattr FILE      the calls that set inode flags and project ids, one line each:
 *                    "NAME ok" or "NAME ENAME"
 *   ioctls           ordinary ioctls the guest must keep: FIONREAD on a pipe, TCGETS and
 *                    TIOCGPTN on a new pty
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* struct file_attr of Linux 6.17 (newer than the installed headers). */
struct probe_file_attr {
  uint64_t fa_xflags;
  uint32_t fa_extsize, fa_nextents, fa_projid, fa_cowextsize;
};
#define NR_FILE_GETATTR 468
#define NR_FILE_SETATTR 469
#define PROBE_FS_IOC32_SETFLAGS _IOW('f', 2, int)

static const char *errname(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOSYS: return "ENOSYS";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    default: return "EOTHER";
  }
}

static void report(const char *name, long rc) {
  if (rc < 0)
    printf("%s %s\n", name, errname(errno));
  else
    printf("%s ok\n", name);
  fflush(stdout);
}

static int alloc(long mib) {
  long n = 0;
  for (; n < mib; n++) {
    char *p = malloc(1 << 20);
    if (p == NULL) {
      printf("malloc-failed %ld\n", n);
      return 1;
    }
    memset(p, 0x5a, 1 << 20);
    if (n % 16 == 15) {
      printf("allocated %ld\n", n + 1);
      fflush(stdout);
    }
  }
  printf("done %ld\n", n);
  return 0;
}

static int forkloop(long max) {
  pid_t *kids = calloc((size_t)max, sizeof *kids);
  long n = 0;
  int err = 0;
  for (; n < max; n++) {
    pid_t p = fork();
    if (p < 0) {
      err = errno;
      break;
    }
    if (p == 0) {
      pause();
      _exit(0);
    }
    kids[n] = p;
  }
  printf("forked %ld %s\n", n, err ? errname(err) : "none");
  fflush(stdout);
  for (long i = 0; i < n; i++) kill(kids[i], SIGKILL);
  for (long i = 0; i < n; i++) waitpid(kids[i], NULL, 0);
  return 0;
}

static __attribute__((noreturn)) void forkbomb(void) {
  printf("bombing\n");
  fflush(stdout);
  for (;;)
    if (fork() < 0) usleep(1000);
}

static int fsattr(const char *file) {
  int fd = open(file, O_RDONLY);
  if (fd < 0) {
    perror(file);
    return 1;
  }
  long flags = 0;
  report("getflags", ioctl(fd, FS_IOC_GETFLAGS, &flags));
  long nodump = flags | FS_NODUMP_FL;
  report("setflags-nodump", ioctl(fd, FS_IOC_SETFLAGS, &nodump));
  long immutable = flags | FS_IMMUTABLE_FL;
  report("setflags-immutable", ioctl(fd, FS_IOC_SETFLAGS, &immutable));
  int flags32 = (int)flags;
  report("setflags32", ioctl(fd, PROBE_FS_IOC32_SETFLAGS, &flags32));
#if defined(__x86_64__)
  /* The kernel takes the cmd as unsigned int: the upper half must not get a call past the filter. */
  report("setflags-highbits", syscall(SYS_ioctl, fd, (1UL << 32) | FS_IOC_SETFLAGS, &flags));
#endif
  struct fsxattr fsx;
  memset(&fsx, 0, sizeof fsx);
  report("fsgetxattr", ioctl(fd, FS_IOC_FSGETXATTR, &fsx));
  report("fssetxattr", ioctl(fd, FS_IOC_FSSETXATTR, &fsx));
  struct probe_file_attr fa;
  memset(&fa, 0, sizeof fa);
  report("file_getattr", syscall(NR_FILE_GETATTR, AT_FDCWD, file, &fa, sizeof fa, 0));
  report("file_setattr", syscall(NR_FILE_SETATTR, AT_FDCWD, file, &fa, sizeof fa, 0));
  /* Put back what the control run (outside any filter) changed. */
  ioctl(fd, FS_IOC_SETFLAGS, &flags);
  close(fd);
  return 0;
}

static int ioctls(void) {
  int p[2];
  if (pipe(p) < 0) return 1;
  if (write(p[1], "hello", 5) != 5) return 1;
  int avail = -1;
  long rc = ioctl(p[0], FIONREAD, &avail);
  report("fionread", rc < 0 || avail == 5 ? rc : (errno = EINVAL, -1));
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0) {
    report("posix_openpt", -1);
    return 1;
  }
  struct termios t;
  report("tcgets", ioctl(m, TCGETS, &t));
  unsigned int n = 0;
  report("tiocgptn", ioctl(m, TIOCGPTN, &n));
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "alloc") == 0) return alloc(atol(argv[2]));
  if (argc == 3 && strcmp(argv[1], "forkloop") == 0) return forkloop(atol(argv[2]));
  if (argc == 2 && strcmp(argv[1], "forkbomb") == 0) forkbomb();
  if (argc == 3 && strcmp(argv[1], "fsattr") == 0) return fsattr(argv[2]);
  if (argc == 2 && strcmp(argv[1], "ioctls") == 0) return ioctls();
  fprintf(stderr, "usage: limits-probe alloc MIB | forkloop MAX | forkbomb | fsattr FILE | ioctls\n");
  return 2;
}
