/*
 * A vserver in its own user namespace (SECURITY.md rule 4's strong form). The init is
 * cloned with CLONE_NEWUSER together with its other namespaces, so they all belong to the
 * server's user namespace. The privileged side, the monitor, then does what only the
 * host may do:
 *   1. writes uid_map and gid_map ("0 START COUNT"; setgroups stays allowed),
 *   2. makes the root mount: a recursive clone of the root, idmapped to the server's
 *      user namespace (mount_setattr MOUNT_ATTR_IDMAP) so the tree stays owned by 0 on
 *      disk, or a plain clone for a root whose ownership was shifted at build,
 *   3. clones every `bind` source (host paths the agent chose) with its attributes,
 *   4. hands the detached mounts to the init over a socketpair (SCM_RIGHTS), in order.
 * The init receives them while it is still host uid 0 (with capabilities only in its
 * new namespace), becomes uid/gid 0 of the namespace, and only then mounts anything.
 */
#ifndef VS_USERNS_H
#define VS_USERNS_H

#include "mounts.h"
#include "record.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Most detached mounts handed over in user-namespace mode: the root plus the binds. */
#define VS_USERNS_MAX_MOUNTS (VS_BIND_SOURCES_MAX + 1)

struct vs_userns {
  bool on;
  bool idmap_root; /* root through an idmapped mount (else: ownership shifted on disk) */
  uint32_t uid_start, gid_start, count;
};

/* Parses `userns UIDSTART GIDSTART COUNT` and `idmap-root`; step "spec" on error. */
int vs_userns_parse(const struct vs_records *rs, struct vs_userns *out, const char **bad);

/* Monitor side, steps 1-4 above for the init `pid` (its pidfd) over `sock`. Dies with
 * the failing step after killing and reaping the init. */
void vs_userns_prepare(const struct vs_records *rs, const struct vs_userns *u, int root_fd,
                       const char *root, pid_t pid, int pidfd, int sock);

/* Init side: the detached root mount and the bind sources, in record order. Blocks until
 * the monitor has written the maps; dies when it gave up. */
void vs_userns_receive(int sock, int *root_tree, struct vs_bind_sources *binds);

/* Init side: become uid 0 / gid 0 of the namespace with no supplementary groups, and
 * re-arm the parent-death signal that the credential change cleared. */
void vs_userns_become_root(void);

/* `vs-start --probe-idmap PATH`: 0 when PATH's filesystem supports idmapped mounts,
 * 3 when it does not (EINVAL), 1 on another error (printed). */
int vs_idmap_probe(const char *path);

#endif
