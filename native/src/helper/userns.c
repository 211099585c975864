/* See userns.h. */
#include "userns.h"
#include "report.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif

int vs_userns_parse(const struct vs_records *rs, struct vs_userns *out, const char **bad) {
  memset(out, 0, sizeof *out);
  *bad = "userns";
  const struct vs_record *r = vs_records_find(rs, "userns");
  out->idmap_root = vs_records_find(rs, "idmap-root") != NULL;
  if (r == NULL) {
    if (!out->idmap_root) return 0;
    goto bad;
  }
  uint64_t v[3];
  if (r->n != 3) goto bad;
  for (int i = 0; i < 3; i++)
    if (vs_parse_u64(r->f[i], &v[i]) < 0) goto bad;
  /* Host id 0 is never in a range: guest root must not be host root. */
  if (v[0] == 0 || v[1] == 0 || v[2] == 0 || v[0] + v[2] > 0xffffffffull ||
      v[1] + v[2] > 0xffffffffull)
    goto bad;
  size_t binds = 0;
  for (size_t i = 0; i < rs->n; i++)
    if (strcmp(rs->r[i].key, "mount") == 0 && rs->r[i].n >= 1 && strcmp(rs->r[i].f[0], "bind") == 0)
      binds++;
  if (binds > VS_BIND_SOURCES_MAX) {
    *bad = "mount";
    errno = E2BIG;
    return -1;
  }
  out->on = true;
  out->uid_start = (uint32_t)v[0];
  out->gid_start = (uint32_t)v[1];
  out->count = (uint32_t)v[2];
  return 0;
bad:
  errno = EINVAL;
  return -1;
}

/* One write of "0 START COUNT": the kernel takes a map only in a single write. */
static int write_map(pid_t pid, const char *file, uint32_t start, uint32_t count) {
  char path[64], line[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  int len = snprintf(line, sizeof line, "0 %u %u\n", start, count);
  vs_autofd int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, line, (size_t)len);
  if (n == len) return 0;
  if (n >= 0) errno = EIO;
  return -1;
}

_Static_assert(VS_USERNS_MAX_MOUNTS <= VS_PASS_FDS_MAX, "one message carries every mount");

_Noreturn static void give_up(pid_t pid, int pidfd, const char *step, int err, const char *path) {
  vs_pidfd_send_signal(pidfd, SIGKILL, 0);
  waitpid(pid, NULL, 0);
  vs_die(step, err, path);
}

void vs_userns_prepare(const struct vs_records *rs, const struct vs_userns *u, int root_fd,
                       const char *root, pid_t pid, int pidfd, int sock) {
  if (write_map(pid, "uid_map", u->uid_start, u->count) < 0) give_up(pid, pidfd, "uid_map", errno, NULL);
  if (write_map(pid, "gid_map", u->gid_start, u->count) < 0) give_up(pid, pidfd, "gid_map", errno, NULL);

  int fds[VS_USERNS_MAX_MOUNTS];
  size_t n = 0;
  /* Private: a clone made here would otherwise be a peer of the host's mount, and what
   * the guest mounts on it would show up on the host (and the other way round). */
  struct vs_mount_attr ma = {.propagation = MS_PRIVATE};
  fds[n] = vs_open_tree(root_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
  if (fds[n] < 0) give_up(pid, pidfd, "bind-root", errno, root);
  vs_autofd int ns = -1;
  if (u->idmap_root) {
    ns = vs_pidfd_userns(pidfd, pid);
    if (ns < 0) give_up(pid, pidfd, "userns-fd", errno, NULL);
    ma.attr_set = MOUNT_ATTR_IDMAP;
    ma.userns_fd = (uint64_t)ns;
  }
  /* EINVAL here: the root's filesystem cannot be idmapped (the build shifts such roots). */
  if (vs_mount_setattr(fds[n], "", AT_EMPTY_PATH | AT_RECURSIVE, &ma) < 0)
    give_up(pid, pidfd, u->idmap_root ? "idmap-root" : "mount_setattr", errno, root);
  n++;

  for (size_t i = 0; i < rs->n; i++) {
    const struct vs_record *r = &rs->r[i];
    if (strcmp(r->key, "mount") != 0 || r->n < 4 || strcmp(r->f[0], "bind") != 0) continue;
    const char *target = r->f[1], *source = r->f[3];
    struct vs_mount_flags m;
    if (vs_parse_mount_flags(r->f[2], &m) < 0) give_up(pid, pidfd, "mount-flags", EINVAL, target);
    if (source[0] != '/') give_up(pid, pidfd, "bind-source", EINVAL, source);
    unsigned int rec = m.rec ? AT_RECURSIVE : 0;
    fds[n] = vs_open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
    if (fds[n] < 0) give_up(pid, pidfd, "open_tree", errno, source);
    struct vs_mount_attr ba = {.attr_set = m.attr, .propagation = MS_PRIVATE};
    if (m.idmap) {
      /* Only a root that is itself idmapped has the namespace fd to map through. */
      if (!u->idmap_root) give_up(pid, pidfd, "bind-idmap", EINVAL, source);
      ba.attr_set |= MOUNT_ATTR_IDMAP;
      ba.userns_fd = (uint64_t)ns;
    }
    if (vs_mount_setattr(fds[n], "", AT_EMPTY_PATH | rec, &ba) < 0)
      give_up(pid, pidfd, "mount_setattr", errno, target);
    n++;
  }
  if (vs_send_fds(sock, fds, n) < 0) give_up(pid, pidfd, "send-mounts", errno, NULL);
  for (size_t i = 0; i < n; i++) close(fds[i]);
}

void vs_userns_receive(int sock, int *root_tree, struct vs_bind_sources *binds) {
  int fds[VS_USERNS_MAX_MOUNTS];
  int count = vs_recv_fds(sock, fds, VS_USERNS_MAX_MOUNTS);
  /* EOF: the monitor gave up (and said why) or died. */
  if (count == 0) vs_die("userns-setup", ECANCELED, NULL);
  if (count < 0) vs_die("userns-setup", errno, NULL);
  *root_tree = fds[0];
  binds->n = (size_t)count - 1;
  binds->next = 0;
  memcpy(binds->fds, fds + 1, binds->n * sizeof(int));
}

void vs_userns_become_root(void) {
  if (setgroups(0, NULL) < 0) vs_die("setgroups", errno, NULL);
  if (setresgid(0, 0, 0) < 0) vs_die("setgid", errno, NULL);
  if (setresuid(0, 0, 0) < 0) vs_die("setuid", errno, NULL);
  /* A credential change clears the parent-death signal. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) vs_die("pdeathsig", errno, NULL);
  vs_check_parent_alive();
}

int vs_idmap_probe(const char *path) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return perror("pipe"), 1;
  int pidfd = -1;
  struct vs_clone_args ca = {.flags = CLONE_NEWUSER | CLONE_PIDFD,
                             .pidfd = (uint64_t)(uintptr_t)&pidfd,
                             .exit_signal = SIGCHLD};
  pid_t pid = vs_clone3(&ca);
  if (pid < 0) return perror("clone3"), 1;
  if (pid == 0) {
    /* A namespace to idmap with, alive until the parent closes the pipe. */
    close(p[1]);
    char b;
    while (read(p[0], &b, 1) < 0 && errno == EINTR) {}
    _exit(0);
  }
  close(p[0]);
  int rc = 1;
  const char *step = "uid_map";
  if (write_map(pid, "uid_map", 65534, 1) == 0 && (step = "gid_map", write_map(pid, "gid_map", 65534, 1) == 0)) {
    step = "userns-fd";
    vs_autofd int ns = vs_pidfd_userns(pidfd, pid);
    if (ns >= 0) step = "open_tree";
    vs_autofd int t = ns < 0 ? -1 : vs_open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    struct vs_mount_attr ma = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)ns};
    if (t >= 0) {
      step = "mount_setattr";
      if (vs_mount_setattr(t, "", AT_EMPTY_PATH, &ma) == 0) rc = 0;
      else if (errno == EINVAL) rc = 3;
    }
  }
  if (rc == 1) dprintf(2, "vs-start --probe-idmap %s: %s: %s\n", path, step, strerror(errno));
  close(p[1]);
  close(pidfd);
  waitpid(pid, NULL, 0);
  return rc;
}
