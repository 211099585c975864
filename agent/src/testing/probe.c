/*
 * A static test probe copied into busybox guests for attacks busybox cannot express:
 *   probe escape MARKER      chroot into a subdir, cd .. 64 times, chroot("."), then try
 *                            to open MARKER (a host path) and look for host-only dirs
 *   probe ipc-create KEY     create a SysV shm segment and message queue with KEY
 *   probe ipc-check KEY      report whether KEY exists (shm and msg)
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
#include <sys/stat.h>
#include <unistd.h>

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
  if (argc != 3) return 2;
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
