/* See mounts.h. Kinds: proc sysfs tmpfs devpts mqueue (new superblocks via fsopen),
 * bind (host source), mask (hide a guest path), readonly (bind onto itself, ro). */
#include "mounts.h"
#include "report.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const uint64_t IN_ROOT = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
static const uint64_t BENEATH_STRICT = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;

static int open_dir_follow(int root, const char *path, bool create);

int vs_open_parent(int root, const char *path, bool create, const char **base) {
  char buf[PATH_MAX];
  if (path[0] != '/' || strlen(path) >= sizeof buf) {
    errno = EINVAL;
    return -1;
  }
  strcpy(buf, path);
  size_t len = strlen(buf);
  while (len > 1 && buf[len - 1] == '/') buf[--len] = '\0';
  char *slash = strrchr(buf, '/');
  const char *b = path + (slash - buf) + 1;
  if (*b == '\0' || strcmp(b, ".") == 0 || strcmp(b, "..") == 0) {
    errno = EINVAL;
    return -1;
  }
  *base = b;
  if (slash == buf) return vs_openat2(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0, IN_ROOT);
  *slash = '\0';
  return open_dir_follow(root, buf, create);
}

/* A parent directory: symlinks in it are followed, but only inside the root (a guest's
 * /var/run -> /run is fine). A missing one is created; a dangling symlink is not
 * followed to create its target: mkdirat then finds the link (EEXIST) and the strict
 * reopen refuses it with ELOOP. */
static int open_dir_follow(int root, const char *path, bool create) {
  int fd = vs_openat2(root, path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, IN_ROOT);
  if (fd >= 0 || errno != ENOENT || !create) return fd;
  const char *base;
  vs_autofd int parent = vs_open_parent(root, path, true, &base);
  if (parent < 0) return -1;
  if (mkdirat(parent, base, 0755) < 0 && errno != EEXIST) return -1;
  return vs_openat2(parent, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, BENEATH_STRICT);
}

static int check_not_symlink(int fd) {
  struct stat st;
  if (fstat(fd, &st) < 0) return -1;
  if (S_ISLNK(st.st_mode)) {
    errno = ELOOP;
    return -1;
  }
  return 0;
}

int vs_open_target(int root, const char *path, enum vs_create create) {
  if (strcmp(path, "/") == 0) return vs_openat2(root, ".", O_PATH | O_CLOEXEC, 0, IN_ROOT);
  vs_autofd int fd = vs_openat2(root, path, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, IN_ROOT);
  if (fd >= 0) return check_not_symlink(fd) < 0 ? -1 : vs_steal_fd(&fd);
  if (errno != ENOENT || create == VS_NO_CREATE) return -1;
  const char *base;
  vs_autofd int parent = vs_open_parent(root, path, true, &base);
  if (parent < 0) return -1;
  if (create == VS_CREATE_DIR) {
    if (mkdirat(parent, base, 0755) < 0 && errno != EEXIST) return -1;
  } else {
    int f = vs_openat2(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444,
                       BENEATH_STRICT);
    if (f < 0 && errno != EEXIST) return -1;
    if (f >= 0) close(f);
  }
  fd = vs_openat2(parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, BENEATH_STRICT);
  if (fd < 0) return -1;
  return check_not_symlink(fd) < 0 ? -1 : vs_steal_fd(&fd);
}

int vs_parse_mount_flags(const char *s, struct vs_mount_flags *m) {
  memset(m, 0, sizeof *m);
  char buf[256];
  if (strlen(s) >= sizeof buf) return -1;
  strcpy(buf, s);
  char *save = NULL;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (strcmp(t, "ro") == 0) m->attr |= MOUNT_ATTR_RDONLY;
    else if (strcmp(t, "nosuid") == 0) m->attr |= MOUNT_ATTR_NOSUID;
    else if (strcmp(t, "nodev") == 0) m->attr |= MOUNT_ATTR_NODEV;
    else if (strcmp(t, "noexec") == 0) m->attr |= MOUNT_ATTR_NOEXEC;
    else if (strcmp(t, "noatime") == 0) m->attr |= MOUNT_ATTR_NOATIME;
    else if (strcmp(t, "nosymfollow") == 0) m->attr |= MOUNT_ATTR_NOSYMFOLLOW;
    else if (strcmp(t, "rec") == 0) m->rec = true;
    else if (strcmp(t, "optional") == 0) m->optional = true;
    else if (strcmp(t, "idmap") == 0) m->idmap = true;
    else return -1;
  }
  return 0;
}

/* A new superblock of `fstype` with key=value options, as a detached mount fd. */
static int new_fs(const char *fstype, char *const *opts, size_t nopts, unsigned int attr,
                  const char *target) {
  vs_autofd int fsfd = vs_fsopen(fstype, FSOPEN_CLOEXEC);
  if (fsfd < 0) vs_die("fsopen", errno, target);
  for (size_t i = 0; i < nopts; i++) {
    char kv[512];
    if (strlen(opts[i]) >= sizeof kv) vs_die("mount-option", EINVAL, target);
    strcpy(kv, opts[i]);
    char *eq = strchr(kv, '=');
    int rc;
    if (eq != NULL) {
      *eq = '\0';
      rc = vs_fsconfig(fsfd, FSCONFIG_SET_STRING, kv, eq + 1, 0);
    } else {
      rc = vs_fsconfig(fsfd, FSCONFIG_SET_FLAG, kv, NULL, 0);
    }
    if (rc < 0) vs_die("mount-option", errno, target);
  }
  if (vs_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) vs_die("fsconfig", errno, target);
  int mfd = vs_fsmount(fsfd, FSMOUNT_CLOEXEC, attr);
  if (mfd < 0) vs_die("fsmount", errno, target);
  return mfd;
}

/* A detached copy of an existing tree, with mount attributes applied. */
static int clone_tree(int dirfd, const char *path, bool rec, unsigned int attr,
                      const char *target) {
  unsigned int fl = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0);
  if (*path == '\0') fl |= AT_EMPTY_PATH;
  vs_autofd int t = vs_open_tree(dirfd, path, fl);
  if (t < 0) vs_die("open_tree", errno, *path ? path : target);
  if (attr != 0) {
    struct vs_mount_attr ma = {.attr_set = attr};
    if (vs_mount_setattr(t, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &ma) < 0)
      vs_die("mount_setattr", errno, target);
  }
  return vs_steal_fd(&t);
}

static void attach(int mfd, int targetfd, const char *target) {
  if (vs_move_mount(mfd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    vs_die("move_mount", errno, target);
}

static void do_mask(int root, const char *target, const struct vs_mount_flags *m) {
  vs_autofd int t = vs_open_target(root, target, VS_NO_CREATE);
  if (t < 0 && errno == ENOENT) return; /* nothing to hide */
  if (t < 0) vs_die("open-target", errno, target);
  struct stat st;
  if (fstat(t, &st) < 0) vs_die("fstat", errno, target);
  unsigned int attr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                      MOUNT_ATTR_NOEXEC | m->attr;
  vs_autofd int mfd = -1;
  if (S_ISDIR(st.st_mode)) {
    char *opts[] = {"size=4k", "nr_inodes=1", "mode=0555"};
    mfd = new_fs("tmpfs", opts, 3, attr, target);
  } else {
    /* The host's /dev/null: reachable here because pivot_root has not happened yet. */
    mfd = clone_tree(AT_FDCWD, "/dev/null", false, attr, target);
  }
  attach(mfd, t, target);
}

static void do_readonly(int root, const char *target, const struct vs_mount_flags *m) {
  vs_autofd int t = vs_open_target(root, target, VS_NO_CREATE);
  if (t < 0 && errno == ENOENT && m->optional) return;
  if (t < 0) vs_die("open-target", errno, target);
  vs_autofd int mfd = clone_tree(t, "", true, MOUNT_ATTR_RDONLY | m->attr, target);
  attach(mfd, t, target);
}

static void do_bind(const char *source, const char *target, int root, const struct vs_mount_flags *m,
                    struct vs_bind_sources *prepared) {
  if (source[0] != '/') vs_die("bind-source", EINVAL, source);
  /* Without a user namespace there is no range to map through: refused, never ignored. */
  if (m->idmap && prepared == NULL) vs_die("bind-idmap", EINVAL, source);
  vs_autofd int mfd = -1;
  if (prepared != NULL) {
    /* Cloned (with its attributes) by the monitor in the host's namespace. */
    if (prepared->next >= prepared->n) vs_die("bind-source", EPROTO, source);
    mfd = prepared->fds[prepared->next];
    prepared->fds[prepared->next++] = -1;
  } else {
    mfd = clone_tree(AT_FDCWD, source, m->rec, m->attr, target);
  }
  struct stat st;
  if (fstat(mfd, &st) < 0) vs_die("fstat", errno, source);
  vs_autofd int t =
      vs_open_target(root, target, S_ISDIR(st.st_mode) ? VS_CREATE_DIR : VS_CREATE_FILE);
  if (t < 0) vs_die("open-target", errno, target);
  attach(mfd, t, target);
}

void vs_do_mount(int root, const struct vs_record *r, struct vs_bind_sources *prepared) {
  if (r->n < 4) vs_die("spec", EINVAL, "mount");
  const char *kind = r->f[0], *target = r->f[1], *source = r->f[3];
  struct vs_mount_flags m;
  if (vs_parse_mount_flags(r->f[2], &m) < 0) vs_die("mount-flags", EINVAL, target);
  /* idmap means a bind seen through the range: on anything else it would be ignored, so refused. */
  if (m.idmap && strcmp(kind, "bind") != 0) vs_die("mount-flags", EINVAL, target);
  if (strcmp(kind, "mask") == 0) return do_mask(root, target, &m);
  if (strcmp(kind, "readonly") == 0) return do_readonly(root, target, &m);
  if (strcmp(kind, "bind") == 0) return do_bind(source, target, root, &m, prepared);
  if (strcmp(kind, "proc") != 0 && strcmp(kind, "sysfs") != 0 && strcmp(kind, "tmpfs") != 0 &&
      strcmp(kind, "devpts") != 0 && strcmp(kind, "mqueue") != 0)
    vs_die("mount-kind", EINVAL, kind);
  vs_autofd int t = vs_open_target(root, target, VS_CREATE_DIR);
  if (t < 0) vs_die("open-target", errno, target);
  struct stat st;
  if (fstat(t, &st) < 0) vs_die("fstat", errno, target);
  if (!S_ISDIR(st.st_mode)) vs_die("open-target", ENOTDIR, target);
  vs_autofd int mfd = new_fs(kind, r->f + 4, r->n - 4, m.attr, target);
  attach(mfd, t, target);
}
