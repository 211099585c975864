/*
 * Raw system calls that glibc 2.36 does not wrap (or wraps in headers that clash with
 * the kernel's uapi headers), plus the cleanup attributes used by every C file here.
 *
 * Why raw syscall(): the same source must build on any Debian/Ubuntu the agent runs on;
 * glibc grew wrappers for some of these only recently, and <sys/mount.h> and
 * <linux/mount.h> cannot be included together on glibc 2.36.
 */
#ifndef VS_SYS_H
#define VS_SYS_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0 32
#endif

/* struct clone_args as of Linux 5.7 (cgroup field included, used by nobody here yet). */
struct vs_clone_args {
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
  uint64_t set_tid;
  uint64_t set_tid_size;
  uint64_t cgroup;
};

/* struct mount_attr from <linux/mount.h>, which clashes with <sys/mount.h> on glibc 2.36. */
struct vs_mount_attr {
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;
  uint64_t userns_fd;
};

static inline int vs_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode,
                             uint64_t resolve) {
  struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
  return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static inline int vs_open_tree(int dirfd, const char *path, unsigned int flags) {
  return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

static inline int vs_move_mount(int from_dirfd, const char *from_path, int to_dirfd,
                                const char *to_path, unsigned int flags) {
  return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}

static inline int vs_fsopen(const char *fstype, unsigned int flags) {
  return (int)syscall(SYS_fsopen, fstype, flags);
}

static inline int vs_fsconfig(int fd, unsigned int cmd, const char *key, const void *value,
                              int aux) {
  return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static inline int vs_fsmount(int fd, unsigned int flags, unsigned int attr_flags) {
  return (int)syscall(SYS_fsmount, fd, flags, attr_flags);
}

static inline int vs_mount_setattr(int dirfd, const char *path, unsigned int flags,
                                   struct vs_mount_attr *attr) {
  return (int)syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof *attr);
}

static inline int vs_pidfd_open(pid_t pid, unsigned int flags) {
  return (int)syscall(SYS_pidfd_open, pid, flags);
}

static inline int vs_pidfd_send_signal(int pidfd, int sig, unsigned int flags) {
  return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, flags);
}

static inline int vs_quotactl_fd(int fd, unsigned int cmd, int id, void *addr) {
  return (int)syscall(SYS_quotactl_fd, fd, cmd, id, addr);
}

static inline pid_t vs_clone3(struct vs_clone_args *args) {
  return (pid_t)syscall(SYS_clone3, args, sizeof *args);
}

static inline int vs_pivot_root(const char *new_root, const char *put_old) {
  return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static inline int vs_close_range(unsigned int first, unsigned int last, unsigned int flags) {
  return (int)syscall(SYS_close_range, first, last, flags);
}

#include "cleanup.h"

#endif
