/* See sysinfo_socket.h. */
#include "sysinfo_socket.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t monitor_addr(pid_t monitor, struct sockaddr_un *a) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "vs-sysinfo/%d", (int)monitor);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

int vs_sysinfo_bind(void) {
  int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s < 0) return -1;
  struct sockaddr_un a;
  socklen_t len = monitor_addr(getpid(), &a);
  if (bind(s, (struct sockaddr *)&a, len) < 0 || listen(s, 64) < 0) {
    int e = errno;
    close(s);
    errno = e;
    return -1;
  }
  return s;
}

/* Field 4 of /proc/PID/stat. */
static pid_t parent_of(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  vs_autofd int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = '\0';
  char *p = strrchr(buf, ')');
  int ppid;
  if (p == NULL || sscanf(p + 1, " %*c %d", &ppid) != 1) return -1;
  return (pid_t)ppid;
}

int vs_sysinfo_connect(pid_t init_pid) {
  pid_t monitor = parent_of(init_pid);
  if (monitor <= 1) return -1;
  /* Non-blocking connect: a monitor whose backlog is full must not hold up the command. */
  int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s < 0) return -1;
  struct sockaddr_un a;
  socklen_t len = monitor_addr(monitor, &a);
  struct ucred cr;
  socklen_t crlen = sizeof cr;
  if (connect(s, (struct sockaddr *)&a, len) < 0 ||
      getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0 || cr.pid != monitor ||
      cr.uid != 0) {
    close(s);
    return -1;
  }
  fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK);
  return s;
}

int vs_sysinfo_accept(int bound) {
  int c = accept4(bound, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (c < 0) return -1;
  struct ucred cr;
  socklen_t crlen = sizeof cr;
  if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0 || cr.uid != 0) {
    close(c);
    errno = EPERM;
    return -1;
  }
  return c;
}
