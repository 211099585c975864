/*
 * The guest's mount table, built inside the new mount namespace before pivot_root.
 * Every target is resolved beneath the guest root fd with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) and mounted through fds (open_tree/fsmount + move_mount), so a
 * symlink planted in the guest tree can never redirect a mount onto the host.
 */
#ifndef VS_MOUNTS_H
#define VS_MOUNTS_H

#include "record.h"

#include <stdbool.h>
#include <stddef.h>

enum vs_create { VS_NO_CREATE = 0, VS_CREATE_DIR = 'd', VS_CREATE_FILE = 'f' };

/* O_PATH fd of `path` beneath `root`, creating it (and missing parents, as 0755 dirs)
 * when asked. A final component that is a symlink is refused with ELOOP: a mount target
 * is never followed, even inside the root. -1 with errno. */
int vs_open_target(int root, const char *path, enum vs_create create);

/* O_PATH fd of the parent directory of `path` (created when asked; symlinks in the
 * parent path are followed inside the root only) and its last component in *base. */
int vs_open_parent(int root, const char *path, bool create, const char **base);

/* Parsed `flags` field of a mount record: MOUNT_ATTR_* bits, `rec`, `optional`. */
struct vs_mount_flags {
  unsigned int attr;
  /* idmap: a bind source seen through the server's uid range (user-namespace mode only),
   * as its root is: rescue mode binds the server's own root at /mnt this way. */
  bool rec, optional, idmap;
};
int vs_parse_mount_flags(const char *s, struct vs_mount_flags *m);

/* Detached bind sources cloned by the privileged monitor (user-namespace mode), one per
 * `bind` record in order; `next` is the one the next bind takes. */
#define VS_BIND_SOURCES_MAX 64
struct vs_bind_sources {
  int fds[VS_BIND_SOURCES_MAX];
  size_t n, next;
};

/* `mount` record: kind, target, flags, source, options... Dies on failure. A `bind`
 * takes its source from `prepared` when given (else it clones the host path itself). */
void vs_do_mount(int root, const struct vs_record *r, struct vs_bind_sources *prepared);

/* `device` record: path, major, minor, mode (octal), bind source ("" for mknod). */
void vs_do_device(int root, const struct vs_record *r);

/* `symlink` record: path, target. */
void vs_do_symlink(int root, const struct vs_record *r);

#endif
