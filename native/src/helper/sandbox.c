/* See sandbox.h. */
#include "sandbox.h"
#include "report.h"
#include "seccomp.h"
#include "sysinfo_notify.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int vs_sandbox_parse(const struct vs_records *rs, struct vs_sandbox *out, const char **bad) {
  memset(out, 0, sizeof *out);
  const struct vs_record *caps = vs_records_find(rs, "caps");
  *bad = "caps";
  if (caps == NULL) {
    errno = EINVAL;
    return -1;
  }
  for (size_t i = 0; i < caps->n; i++) {
    uint64_t c;
    if (vs_parse_u64(caps->f[i], &c) < 0 || c > 63) {
      errno = EINVAL;
      return -1;
    }
    out->keep_caps |= 1ull << c;
  }
  out->no_new_privs = vs_records_find(rs, "no-new-privs") != NULL;
  out->seccomp = vs_seccomp_parse(rs, bad);
  if (out->seccomp == NULL && errno != ENOENT) return -1;
  return 0;
}

static void drop_bounding(uint64_t keep) {
  for (int cap = 0; cap < 64; cap++) {
    if (keep & (1ull << cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      vs_die("capbset-drop", errno, NULL);
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    vs_die("cap-ambient", errno, NULL);
}

/* For root, exec computes permitted = inheritable | bounding, so an inheritable cap
 * outside the bounding set would come back: inheritable is cut to the kept set too. */
static void set_caps(uint64_t keep) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &hdr, data) < 0) vs_die("capget", errno, NULL);
  for (int i = 0; i < 2; i++) {
    uint32_t k = (uint32_t)(keep >> (32 * i));
    data[i].effective &= k;
    data[i].permitted &= k;
    data[i].inheritable &= k;
  }
  if (syscall(SYS_capset, &hdr, data) < 0) vs_die("capset", errno, NULL);
}

static void apply(const struct vs_sandbox *sb, bool switch_user, uid_t uid, gid_t gid,
                  size_t ngroups, const gid_t *groups) {
  drop_bounding(sb->keep_caps);
  if (sb->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    vs_die("no-new-privs", errno, NULL);
  if (sb->seccomp != NULL && vs_seccomp_install(sb->seccomp) < 0)
    vs_die("seccomp", errno, NULL);
  if (sb->sysinfo_listener != NULL) *sb->sysinfo_listener = vs_sysinfo_filter_install();
  if (switch_user) {
    if (setgroups(ngroups, groups) < 0) vs_die("setgroups", errno, NULL);
    if (setresgid(gid, gid, gid) < 0) vs_die("setgid", errno, NULL);
    if (setresuid(uid, uid, uid) < 0) vs_die("setuid", errno, NULL);
  }
  set_caps(sb->keep_caps);
}

void vs_sandbox_apply(const struct vs_sandbox *sb) { apply(sb, false, 0, 0, 0, NULL); }

void vs_sandbox_apply_as(const struct vs_sandbox *sb, uid_t uid, gid_t gid, size_t ngroups,
                         const gid_t *groups) {
  apply(sb, true, uid, gid, ngroups, groups);
}

void vs_cloexec_all(void) {
  if (vs_close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) < 0) vs_die("close-range", errno, NULL);
}
