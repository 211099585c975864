/*
 * The cgroup v2 device filter: cgroup2 has no devices.allow, so a vserver's device policy
 * is an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE, generated here from the rules
 * (no compiler, no libbpf on the host) and attached to the vserver's cgroup directory.
 *
 * Program layout (r1 = struct bpf_cgroup_dev_ctx *, all loads and compares 32-bit):
 *   w2 = ctx->access_type; w3 = w2 & 0xffff (dev type); w4 = w2 >> 16 (access)
 *   w5 = ctx->major;       w6 = ctx->minor
 *   per rule, each test skipped when the rule has a wildcard there:
 *     if w3 != type goto next;                      (type 0: any)
 *     w7 = w4; w7 &= ~access; if w7 != 0 goto next;  (requested bits ⊆ rule's)
 *     if w5 != major goto next;                     (-1: any)
 *     if w6 != minor goto next;                     (-1: any)
 *     r0 = 1; exit                                  (allow)
 *   next: … ; r0 = 0; exit                          (default deny)
 *
 * Replacing a policy attaches the new program with BPF_F_ALLOW_MULTI first and only then
 * detaches the older ones: the kernel runs every attached program and denies when any
 * denies, so during the swap access is the intersection of old and new, never wider.
 */
#include "napi_util.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "../cleanup.h"

/* More rules than any sane policy; keeps the program far below the verifier's limits. */
#define VS_DEVFILTER_MAX_RULES 1024
/* Instructions: 7 prologue + at most 8 per rule + 2 epilogue. */
#define VS_DEVFILTER_RULE_INSNS 8
/* Verifier log for a failed load; the kernel keeps the tail (where the error is). */
#define VS_DEVFILTER_LOG_SIZE (64 * 1024)
/* The cgroup code caps programs per attach type at 64 (BPF_CGROUP_MAX_PROGS). */
#define VS_DEVFILTER_QUERY_START 64

struct devrule {
  int32_t type;
  int64_t major;
  int64_t minor;
  int32_t access;
};

static int sys_bpf(int cmd, union bpf_attr *attr) {
  return (int)syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

static uint64_t ptr_u64(const void *p) {
  return (uint64_t)(uintptr_t)p;
}

#define INSN(c, d, s, o, i) \
  ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define AND32_IMM(d, i) INSN(BPF_ALU | BPF_AND | BPF_K, d, 0, 0, i)
#define RSH32_IMM(d, i) INSN(BPF_ALU | BPF_RSH | BPF_K, d, 0, 0, i)
#define JNE32_IMM(d, i, o) INSN(BPF_JMP32 | BPF_JNE | BPF_K, d, 0, o, i)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT_INSN() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Writes the program into `p` (room for 9 + 8 * n instructions); returns its length. */
static size_t build_program(const struct devrule *rules, size_t n, struct bpf_insn *p) {
  size_t pc = 0;
  p[pc++] = LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
  p[pc++] = MOV32_REG(BPF_REG_3, BPF_REG_2);
  p[pc++] = AND32_IMM(BPF_REG_3, 0xffff);
  p[pc++] = MOV32_REG(BPF_REG_4, BPF_REG_2);
  p[pc++] = RSH32_IMM(BPF_REG_4, 16);
  p[pc++] = LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major));
  p[pc++] = LDX_W(BPF_REG_6, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor));
  for (size_t i = 0; i < n; i++) {
    const struct devrule *r = &rules[i];
    /* Every "goto next" jumps to the first instruction after this rule's block. */
    size_t end = pc + (r->type != 0) + 3 + (r->major >= 0) + (r->minor >= 0) + 2;
#define OFF_TO_END() ((int16_t)(end - (pc + 1)))
    if (r->type != 0) {
      p[pc] = JNE32_IMM(BPF_REG_3, r->type, OFF_TO_END());
      pc++;
    }
    p[pc++] = MOV32_REG(BPF_REG_7, BPF_REG_4);
    p[pc++] = AND32_IMM(BPF_REG_7, (int32_t)~(uint32_t)r->access);
    p[pc] = JNE32_IMM(BPF_REG_7, 0, OFF_TO_END());
    pc++;
    if (r->major >= 0) {
      p[pc] = JNE32_IMM(BPF_REG_5, (int32_t)r->major, OFF_TO_END());
      pc++;
    }
    if (r->minor >= 0) {
      p[pc] = JNE32_IMM(BPF_REG_6, (int32_t)r->minor, OFF_TO_END());
      pc++;
    }
#undef OFF_TO_END
    p[pc++] = MOV64_IMM(BPF_REG_0, 1);
    p[pc++] = EXIT_INSN();
  }
  p[pc++] = MOV64_IMM(BPF_REG_0, 0);
  p[pc++] = EXIT_INSN();
  return pc;
}

static bool get_rule_field(napi_env env, napi_value obj, const char *key, int64_t min,
                           int64_t max, int64_t *out) {
  napi_value v;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return false;
  if (!vs_get_i64(env, v, key, out)) return false;
  if (*out < min || *out > max) {
    char msg[128];
    snprintf(msg, sizeof msg, "device rule %s must be in %lld..%lld", key, (long long)min,
             (long long)max);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  return true;
}

/* Parses the JS rule array; false after throwing. `*out` is malloc'd (maybe empty). */
static bool parse_rules(napi_env env, napi_value arr, struct devrule **out, size_t *n) {
  bool is_array = false;
  napi_is_array(env, arr, &is_array);
  uint32_t len = 0;
  if (is_array) napi_get_array_length(env, arr, &len);
  if (!is_array || len > VS_DEVFILTER_MAX_RULES) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "The \"rules\" argument must be an array of at most 1024 rules");
    return false;
  }
  struct devrule *rules = calloc(len ? len : 1, sizeof *rules);
  if (rules == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return false;
  }
  for (uint32_t i = 0; i < len; i++) {
    napi_value o;
    napi_valuetype t;
    napi_get_element(env, arr, i, &o);
    napi_typeof(env, o, &t);
    int64_t type, access;
    if (t != napi_object) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "every device rule must be an object");
      goto fail;
    }
    /* access 0 would be a rule that can never match: a caller bug, not a policy. */
    if (!get_rule_field(env, o, "type", 0, BPF_DEVCG_DEV_CHAR, &type) ||
        !get_rule_field(env, o, "major", -1, INT32_MAX, &rules[i].major) ||
        !get_rule_field(env, o, "minor", -1, INT32_MAX, &rules[i].minor) ||
        !get_rule_field(env, o, "access", 1,
                        BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE, &access))
      goto fail;
    rules[i].type = (int32_t)type;
    rules[i].access = (int32_t)access;
  }
  *out = rules;
  *n = len;
  return true;
fail:
  free(rules);
  return false;
}

static int prog_load(const struct bpf_insn *insns, size_t n, char *log, size_t log_size) {
  /* The license string is only consulted for GPL-only helpers; this program calls none. */
  static const char license[] = "UNLICENSED";
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  a.expected_attach_type = BPF_CGROUP_DEVICE;
  a.insns = ptr_u64(insns);
  a.insn_cnt = (uint32_t)n;
  a.license = ptr_u64(license);
  if (log != NULL) {
    a.log_level = 1;
    a.log_buf = ptr_u64(log);
    a.log_size = (uint32_t)log_size;
  }
  /* Shown by bpftool and in /proc/PID/fdinfo, so an admin can tell whose program it is. */
  memcpy(a.prog_name, "vs_devices", sizeof "vs_devices");
  /* bpf() always returns its fds with O_CLOEXEC. */
  return sys_bpf(BPF_PROG_LOAD, &a);
}

/* Throws an fs-style error whose message ends with the verifier's log. */
static void throw_with_log(napi_env env, int err, const char *syscall_name, const char *log) {
  vs_throw_errno(env, err, syscall_name, NULL);
  if (log == NULL || log[0] == '\0') return;
  napi_value error, v;
  if (napi_get_and_clear_last_exception(env, &error) != napi_ok) return;
  size_t mlen = 0, slen = 0;
  napi_get_named_property(env, error, "message", &v);
  napi_get_value_string_utf8(env, v, NULL, 0, &mlen);
  vs_autofree char *msg = malloc(mlen + 1);
  size_t loglen = strlen(log);
  while (loglen > 0 && log[loglen - 1] == '\n') loglen--;
  vs_autofree char *full = malloc(mlen + loglen + 32);
  if (msg == NULL || full == NULL) {
    napi_throw(env, error);
    return;
  }
  napi_get_value_string_utf8(env, v, msg, mlen + 1, &mlen);
  int flen = snprintf(full, mlen + loglen + 32, "%s; verifier log:\n%.*s", msg, (int)loglen, log);
  napi_create_string_utf8(env, full, (size_t)flen, &v);
  napi_set_named_property(env, error, "message", v);
  napi_create_string_utf8(env, log, loglen, &v);
  napi_set_named_property(env, error, "verifierLog", v);
  /* The stack was captured with the short message; keep its frames, show the long one. */
  napi_get_named_property(env, error, "stack", &v);
  if (napi_get_value_string_utf8(env, v, NULL, 0, &slen) == napi_ok) {
    vs_autofree char *stack = malloc(slen + 1);
    vs_autofree char *fixed = malloc(slen + (size_t)flen + 16);
    if (stack != NULL && fixed != NULL) {
      napi_get_value_string_utf8(env, v, stack, slen + 1, &slen);
      const char *frames = strchr(stack, '\n');
      int n = snprintf(fixed, slen + (size_t)flen + 16, "Error: %s%s", full, frames ? frames : "");
      napi_create_string_utf8(env, fixed, (size_t)n, &v);
      napi_set_named_property(env, error, "stack", v);
    }
  }
  napi_throw(env, error);
}

/* Ids of the device programs attached directly to the cgroup (not inherited ones).
 * Returns a malloc'd array (maybe empty) or NULL with errno set. */
static uint32_t *query_ids(int cgfd, uint32_t *count) {
  uint32_t cap = VS_DEVFILTER_QUERY_START;
  for (;;) {
    uint32_t *ids = calloc(cap, sizeof *ids);
    if (ids == NULL) return NULL;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.query.target_fd = (uint32_t)cgfd;
    a.query.attach_type = BPF_CGROUP_DEVICE;
    a.query.prog_ids = ptr_u64(ids);
    a.query.prog_cnt = cap;
    if (sys_bpf(BPF_PROG_QUERY, &a) == 0) {
      *count = a.query.prog_cnt;
      return ids;
    }
    int err = errno;
    free(ids);
    /* ENOSPC: more were attached than we made room for; prog_cnt says how many. */
    if (err != ENOSPC || a.query.prog_cnt <= cap) {
      errno = err;
      return NULL;
    }
    cap = a.query.prog_cnt;
  }
}

static int prog_id_of(int progfd, uint32_t *id) {
  struct bpf_prog_info pinfo;
  memset(&pinfo, 0, sizeof pinfo);
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.info.bpf_fd = (uint32_t)progfd;
  a.info.info_len = sizeof pinfo;
  a.info.info = ptr_u64(&pinfo);
  if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0) return -1;
  *id = pinfo.id;
  return 0;
}

static int prog_fd_by_id(uint32_t id) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.prog_id = id;
  return sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
}

/* A multi-attached program is detached by naming it (its fd) with flags 0: the attach
 * flags are not repeated (6.18 answers BPF_F_ALLOW_MULTI on a detach with EINVAL), and
 * without a program fd a multi-attach group has no single program to remove. */
static int prog_attach_detach(int cmd, int cgfd, int progfd, uint32_t flags) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.target_fd = (uint32_t)cgfd;
  a.attach_bpf_fd = (uint32_t)progfd;
  a.attach_type = BPF_CGROUP_DEVICE;
  a.attach_flags = flags;
  return sys_bpf(cmd, &a);
}

/* attachDeviceFilter(cgroupDirFd, rules) → id of the new program. Only programs that
 * were attached before this call are detached: of two concurrent callers on one group
 * neither can detach the other's program unless it saw it first, so at least one
 * filter always stays (access is then the intersection of both policies). */
static napi_value fn_attach_device_filter(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t cgfd;
  if (!vs_args(env, info, 2, argv) || !vs_get_i32(env, argv[0], "cgroupDirFd", &cgfd)) return NULL;
  vs_autofree struct devrule *rules = NULL;
  size_t nrules = 0;
  if (!parse_rules(env, argv[1], &rules, &nrules)) return NULL;
  vs_autofree struct bpf_insn *insns = calloc(9 + VS_DEVFILTER_RULE_INSNS * nrules, sizeof *insns);
  if (insns == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  size_t ninsns = build_program(rules, nrules, insns);

  uint32_t nold = 0;
  vs_autofree uint32_t *old = query_ids(cgfd, &nold);
  if (old == NULL) {
    vs_throw_errno(env, errno, "bpf(BPF_PROG_QUERY)", NULL);
    return NULL;
  }

  vs_autofd int progfd = prog_load(insns, ninsns, NULL, 0);
  if (progfd < 0) {
    /* Load again with a log only on failure: a log that overflows fails even a good
     * program with ENOSPC, and the log costs verifier time. */
    int err = errno;
    vs_autofree char *log = calloc(1, VS_DEVFILTER_LOG_SIZE);
    if (log != NULL) {
      int again = prog_load(insns, ninsns, log, VS_DEVFILTER_LOG_SIZE);
      if (again >= 0) close(again);
      log[VS_DEVFILTER_LOG_SIZE - 1] = '\0';
    }
    throw_with_log(env, err, "bpf(BPF_PROG_LOAD)", log);
    return NULL;
  }
  uint32_t id;
  if (prog_id_of(progfd, &id) < 0) {
    vs_throw_errno(env, errno, "bpf(BPF_OBJ_GET_INFO_BY_FD)", NULL);
    return NULL;
  }
  if (prog_attach_detach(BPF_PROG_ATTACH, cgfd, progfd, BPF_F_ALLOW_MULTI) < 0) {
    vs_throw_errno(env, errno, "bpf(BPF_PROG_ATTACH)", NULL);
    return NULL;
  }
  /* From here the new filter is in force. A failed detach leaves an older program
   * attached beside it (stricter, never looser) and is reported. */
  for (uint32_t i = 0; i < nold; i++) {
    if (old[i] == id) continue;
    vs_autofd int oldfd = prog_fd_by_id(old[i]);
    if (oldfd < 0) {
      if (errno == ENOENT) continue; /* freed since the query: nothing to detach */
      vs_throw_errno(env, errno, "bpf(BPF_PROG_GET_FD_BY_ID)", NULL);
      return NULL;
    }
    if (prog_attach_detach(BPF_PROG_DETACH, cgfd, oldfd, 0) < 0) {
      if (errno == ENOENT) continue; /* detached by someone else since the query */
      vs_throw_errno(env, errno, "bpf(BPF_PROG_DETACH)", NULL);
      return NULL;
    }
  }
  return vs_int(env, id);
}

static napi_value fn_query_device_filters(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t cgfd;
  if (!vs_args(env, info, 1, argv) || !vs_get_i32(env, argv[0], "cgroupDirFd", &cgfd)) return NULL;
  uint32_t n = 0;
  vs_autofree uint32_t *ids = query_ids(cgfd, &n);
  if (ids == NULL) {
    vs_throw_errno(env, errno, "bpf(BPF_PROG_QUERY)", NULL);
    return NULL;
  }
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (uint32_t i = 0; i < n; i++) napi_set_element(env, arr, i, vs_int(env, ids[i]));
  return arr;
}

/* Whether a BPF program with this id is still loaded: after its cgroup is removed, a
 * detached filter is freed and its id disappears. */
static napi_value fn_bpf_prog_exists(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  uint32_t id;
  if (!vs_args(env, info, 1, argv) || !vs_get_u32(env, argv[0], "id", &id)) return NULL;
  vs_autofd int fd = prog_fd_by_id(id);
  if (fd < 0 && errno != ENOENT) {
    vs_throw_errno(env, errno, "bpf(BPF_PROG_GET_FD_BY_ID)", NULL);
    return NULL;
  }
  napi_value r;
  napi_get_boolean(env, fd >= 0, &r);
  return r;
}

void vs_register_bpf_devfilter(napi_env env, napi_value exports, napi_value c) {
  static const vs_fn_entry fns[] = {
      {"attachDeviceFilter", fn_attach_device_filter},
      {"queryDeviceFilters", fn_query_device_filters},
      {"bpfProgExists", fn_bpf_prog_exists},
  };
  VS_EXPORT_FNS(env, exports, fns);
  VS_CONST(BPF_DEVCG_DEV_BLOCK); VS_CONST(BPF_DEVCG_DEV_CHAR);
  VS_CONST(BPF_DEVCG_ACC_MKNOD); VS_CONST(BPF_DEVCG_ACC_READ); VS_CONST(BPF_DEVCG_ACC_WRITE);
}
