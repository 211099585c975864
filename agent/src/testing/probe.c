/*
 * A static test probe copied into busybox guests for attacks busybox cannot express:
 *   probe escape MARKER      chroot into a subdir, cd .. 64 times, chroot("."), then try
 *                            to open MARKER (a host path) and look for host-only dirs
 *   probe ipc-create KEY     create a SysV shm segment and message queue with KEY
 *   probe ipc-check KEY      report whether KEY exists (shm and msg)
 *   probe ids                print the real and effective uid/gid (run setuid: "euid 0")
 *   probe scm-send SOCK DIR  listen on the AF_UNIX socket SOCK (mode 0777), pass an fd of
 *                            DIR to the first client (SCM_RIGHTS), exit
 *   probe scm-attack SOCK    take such an fd from SOCK and try, through it, to create
 *                            `pwned` (create=ok or create=ERRNO) and to read `root/secret`
 *                            (read=ok or read=ERRNO): SECURITY.md rule 5's attack
 * Built by the tests with `gcc -static`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char *errname(int e) {
  switch (e) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOENT: return "ENOENT";
    default: return strerror(e);
  }
}

static int unix_addr(const char *path, struct sockaddr_un *a) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof a->sun_path) return -1;
  strcpy(a->sun_path, path);
  return 0;
}

static int scm_send(const char *sock, const char *dir) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a;
  if (dfd < 0 || s < 0 || unix_addr(sock, &a) < 0) return perror("scm-send"), 1;
  unlink(sock);
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || chmod(sock, 0777) < 0 || listen(s, 1) < 0)
    return perror("scm-send bind"), 1;
  int c = accept(s, NULL, NULL);
  if (c < 0) return perror("accept"), 1;
  char b = 'd';
  struct iovec iov = {.iov_base = &b, .iov_len = 1};
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
  memset(&u, 0, sizeof u);
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(h), &dfd, sizeof dfd);
  if (sendmsg(c, &m, 0) < 0) return perror("sendmsg"), 1;
  printf("sent\n");
  close(c);
  unlink(sock);
  return 0;
}

static int scm_attack(const char *sock) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a;
  if (s < 0 || unix_addr(sock, &a) < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0)
    return perror("scm-attack connect"), 1;
  char b;
  struct iovec iov = {.iov_base = &b, .iov_len = 1};
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  if (recvmsg(s, &m, 0) <= 0 || CMSG_FIRSTHDR(&m) == NULL) return printf("no fd\n"), 1;
  int dfd;
  memcpy(&dfd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof dfd);
  printf("got fd\n");
  int f = openat(dfd, "pwned", O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (f >= 0 && write(f, "pwned\n", 6) == 6) printf("create=ok\n");
  else printf("create=%s\n", errname(errno));
  char buf[64];
  int r = openat(dfd, "root/secret", O_RDONLY);
  if (r >= 0 && read(r, buf, sizeof buf) >= 0) printf("read=ok\n");
  else printf("read=%s\n", errname(errno));
  return 0;
}

static int escape(const char *marker) {
  mkdir("/tmp/escape-sub", 0755);
  if (chroot("/tmp/escape-sub") != 0) {
    printf("chroot-failed %s\n", strerror(errno));
    return 0;
  }
  for (int i = 0; i < 64; i++)
    if (chdir("..") != 0) break;
  if (chroot(".") != 0) printf("chroot2-failed %s\n", strerror(errno));
  int fd = open(marker, O_RDONLY);
  printf("marker %s\n", fd >= 0 ? "REACHED" : "unreachable");
  struct stat st;
  printf("bin-busybox %s\n", stat("/bin/busybox", &st) == 0 ? "present" : "absent");
  printf("host-work %s\n", stat("/work", &st) == 0 ? "present" : "absent");
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "ids") == 0) {
    printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "scm-send") == 0) return scm_send(argv[2], argv[3]);
  if (argc != 3) return 2;
  if (strcmp(argv[1], "scm-attack") == 0) return scm_attack(argv[2]);
  if (strcmp(argv[1], "escape") == 0) return escape(argv[2]);
  key_t key = (key_t)strtol(argv[2], NULL, 0);
  if (strcmp(argv[1], "ipc-create") == 0) {
    int shm = shmget(key, 4096, IPC_CREAT | 0600);
    int msg = msgget(key, IPC_CREAT | 0600);
    printf("shm %s msg %s\n", shm >= 0 ? "created" : strerror(errno), msg >= 0 ? "created" : strerror(errno));
    return shm >= 0 && msg >= 0 ? 0 : 1;
  }
  if (strcmp(argv[1], "ipc-check") == 0) {
    int shm = shmget(key, 0, 0);
    int msg = msgget(key, 0);
    printf("shm %s msg %s\n", shm >= 0 ? "present" : "absent", msg >= 0 ? "present" : "absent");
    return 0;
  }
  return 2;
}
