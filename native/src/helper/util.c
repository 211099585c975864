/* See util.h. */
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int vs_parse_u64(const char *s, uint64_t *out) {
  int base = 10;
  if (s[0] == '0' && s[1] == 'x') {
    base = 16;
    s += 2;
  }
  if (*s == '\0') goto bad;
  for (const char *p = s; *p; p++) {
    if (base == 10 && (*p < '0' || *p > '9')) goto bad;
    if (base == 16 && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) goto bad;
  }
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, base);
  if (errno != 0 || *end != '\0') goto bad;
  *out = v;
  return 0;
bad:
  errno = EINVAL;
  return -1;
}

int vs_parse_octal(const char *s, uint32_t *out) {
  if (*s == '\0' || strlen(s) > 6) goto bad;
  uint32_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '7') goto bad;
    v = v * 8 + (uint32_t)(*p - '0');
  }
  if (v > 07777) goto bad;
  *out = v;
  return 0;
bad:
  errno = EINVAL;
  return -1;
}

void vs_fmt_u64(char *buf, size_t size, uint64_t v) { snprintf(buf, size, "%" PRIu64, v); }
void vs_fmt_i64(char *buf, size_t size, int64_t v) { snprintf(buf, size, "%" PRId64, v); }

int vs_write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

bool vs_pump(int from, int to) {
  char buf[16384];
  ssize_t n = read(from, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  return vs_write_all(to, buf, (size_t)n) == 0;
}

int vs_proc_starttime(pid_t pid, uint64_t *out) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  vs_autofd int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0) {
    if (n == 0) errno = EIO;
    return -1;
  }
  buf[n] = '\0';
  /* comm (field 2) may contain spaces and ')': fields resume after the last ')'. */
  char *p = strrchr(buf, ')');
  if (p == NULL) goto bad;
  p++;
  for (int field = 3; field < 22; field++) {
    p = strchr(p + 1, ' ');
    if (p == NULL) goto bad;
  }
  char *end;
  errno = 0;
  unsigned long long v = strtoull(p + 1, &end, 10);
  if (errno != 0 || (*end != ' ' && *end != '\0')) goto bad;
  *out = v;
  return 0;
bad:
  errno = EINVAL;
  return -1;
}

int vs_join_cgroups(char *const *paths, size_t n, const char **failed) {
  for (size_t i = 0; i < n; i++) {
    vs_autofd int fd = open(paths[i], O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || vs_write_all(fd, "0", 1) < 0) {
      *failed = paths[i];
      return -1;
    }
  }
  return 0;
}

#ifndef PIDFD_GET_USER_NAMESPACE
#define PIDFD_GET_USER_NAMESPACE _IO(0xFF, 9)
#endif

int vs_pidfd_userns(int pidfd, pid_t pid) {
  int fd = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE, 0);
  if (fd >= 0 || errno != ENOTTY) return fd;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
  return open(path, O_RDONLY | O_CLOEXEC);
}

void vs_reset_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (int sig = 1; sig < _NSIG; sig++) sigaction(sig, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

int vs_execvpe(char *const *argv, char *const *envp) {
  if (argv[0] == NULL) {
    errno = EINVAL;
    return -1;
  }
  if (strchr(argv[0], '/') != NULL) return execve(argv[0], argv, envp);
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (char *const *e = envp; *e != NULL; e++)
    if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  int last = ENOENT;
  char buf[PATH_MAX];
  while (*path != '\0') {
    const char *colon = strchrnul(path, ':');
    size_t dl = (size_t)(colon - path);
    if (dl > 0 && dl + strlen(argv[0]) + 2 <= sizeof buf) {
      memcpy(buf, path, dl);
      buf[dl] = '/';
      strcpy(buf + dl + 1, argv[0]);
      execve(buf, argv, envp);
      if (errno != ENOENT && errno != ENOTDIR) last = errno;
    }
    path = *colon ? colon + 1 : colon;
  }
  errno = last;
  return -1;
}

int vs_send_fds(int sock, const int *fds, size_t n) {
  if (n < 1 || n > VS_PASS_FDS_MAX) {
    errno = EINVAL;
    return -1;
  }
  char b = 'm';
  struct iovec iov = {.iov_base = &b, .iov_len = 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int) * VS_PASS_FDS_MAX)];
  } c;
  memset(&c, 0, sizeof c);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
                       .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
  struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof(int) * n);
  memcpy(CMSG_DATA(h), fds, sizeof(int) * n);
  ssize_t r;
  do r = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -1 : 0;
}

int vs_recv_fds(int sock, int *fds, size_t max) {
  char b;
  struct iovec iov = {.iov_base = &b, .iov_len = 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int) * VS_PASS_FDS_MAX)];
  } c;
  if (max > VS_PASS_FDS_MAX) max = VS_PASS_FDS_MAX;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
                       .msg_controllen = sizeof c.buf};
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return n < 0 ? -1 : 0;
  struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
  size_t count = 0;
  if (h != NULL && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
    count = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
  if (count == 0 || count > max || (msg.msg_flags & MSG_CTRUNC)) {
    /* Never keep fds of a message we refuse: they would leak into what we exec. */
    for (size_t i = 0; i < count; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof fd);
      close(fd);
    }
    errno = EPROTO;
    return -1;
  }
  memcpy(fds, CMSG_DATA(h), count * sizeof(int));
  return (int)count;
}
