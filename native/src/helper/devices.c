/* Device nodes and symlinks of the guest's /dev tmpfs (see mounts.h). Only the nodes in
 * the spec exist; a bind of a host node is checked to be the node the spec names. */
#include "mounts.h"
#include "report.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

void vs_do_device(int root, const struct vs_record *r) {
  if (r->n != 5) vs_die("spec", EINVAL, "device");
  const char *path = r->f[0], *source = r->f[4];
  uint64_t maj, min;
  uint32_t mode;
  if (vs_parse_u64(r->f[1], &maj) < 0 || vs_parse_u64(r->f[2], &min) < 0 ||
      vs_parse_octal(r->f[3], &mode) < 0 || maj > 4095 || min > 1048575)
    vs_die("spec", EINVAL, path);
  dev_t dev = makedev(maj, min);
  if (*source == '\0') {
    const char *base;
    vs_autofd int parent = vs_open_parent(root, path, true, &base);
    if (parent < 0) vs_die("open-parent", errno, path);
    if (mknodat(parent, base, S_IFCHR | mode, dev) < 0) vs_die("mknod", errno, path);
    return;
  }
  vs_autofd int src = vs_open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (src < 0) vs_die("open_tree", errno, source);
  struct stat st;
  if (fstat(src, &st) < 0) vs_die("fstat", errno, source);
  if (!S_ISCHR(st.st_mode) || st.st_rdev != dev) vs_die("device-source", ENODEV, source);
  vs_autofd int t = vs_open_target(root, path, VS_CREATE_FILE);
  if (t < 0) vs_die("open-target", errno, path);
  if (vs_move_mount(src, "", t, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    vs_die("move_mount", errno, path);
}

void vs_do_symlink(int root, const struct vs_record *r) {
  if (r->n != 2) vs_die("spec", EINVAL, "symlink");
  const char *path = r->f[0], *target = r->f[1];
  const char *base;
  vs_autofd int parent = vs_open_parent(root, path, true, &base);
  if (parent < 0) vs_die("open-parent", errno, path);
  if (symlinkat(target, parent, base) == 0) return;
  if (errno != EEXIST) vs_die("symlink", errno, path);
  /* Already there (a persistent guest dir): fine only if it is the same link. */
  char cur[PATH_MAX];
  ssize_t n = readlinkat(parent, base, cur, sizeof cur - 1);
  if (n < 0 || (size_t)n != strlen(target) || memcmp(cur, target, (size_t)n) != 0)
    vs_die("symlink", EEXIST, path);
}
