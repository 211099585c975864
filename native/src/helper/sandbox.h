/*
 * The last steps before a guest program runs, shared by vs-start and vs-enter:
 * capability bounding set, seccomp, no_new_privs, and closing inherited fds.
 * Order matters and is fixed by vs_sandbox_apply (see there).
 */
#ifndef VS_SANDBOX_H
#define VS_SANDBOX_H

#include "record.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct vs_sandbox {
  uint64_t keep_caps;   /* bit n = capability n stays in the bounding set */
  bool no_new_privs;
  struct vs_seccomp *seccomp; /* NULL: no filter */
  /* Non-NULL: right after the deny-list (while CAP_SYS_ADMIN still allows a filter without
   * no_new_privs), the sysinfo notify filter too (sysinfo_notify.h); its listener fd, or
   * -1 where the kernel cannot, is stored here. */
  int *sysinfo_listener;
};

/* Parse `caps`, `no-new-privs`, `seccomp` and `syscall` records; step "spec" on error. */
int vs_sandbox_parse(const struct vs_records *rs, struct vs_sandbox *out, const char **bad);

/* Drop the bounding set to keep_caps, clear ambient caps, install seccomp, then reduce
 * effective/permitted/inheritable to keep_caps. Dies with the failing step. Must run as
 * root with full capabilities; the seccomp filter is installed while CAP_SYS_ADMIN is
 * still effective so no_new_privs is not needed for it. */
void vs_sandbox_apply(const struct vs_sandbox *sb);

/* Like vs_sandbox_apply, but switches to uid/gid/groups between seccomp and capset. */
void vs_sandbox_apply_as(const struct vs_sandbox *sb, uid_t uid, gid_t gid, size_t ngroups,
                         const gid_t *groups);

/* Mark every fd above 2 close-on-exec: nothing of the host survives the exec, while the
 * status socket still works until then. */
void vs_cloexec_all(void);

#endif
