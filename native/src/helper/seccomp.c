/*
 * A classic-BPF deny-list. Layout:
 *   load arch; x86_64 -> L64; i386 -> L32; anything else -> KILL_PROCESS
 *   L64: nr >= 0x40000000 (x32 ABI) -> ERRNO;
 *        per rule: nr == N [&& (args[i] & mask) != 0 | args[i] == value] -> ERRNO
 *        -> ALLOW
 *   L32: the i386 rules, or ERRNO for every call when the policy is "deny"
 * Rules use only short forward jumps (0..4), and the two arch sections are reached with
 * BPF_JA (32-bit offset), so the list can be as long as BPF_MAXINSNS allows.
 */
#include "seccomp.h"
#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

enum arg_test { ARG_MASK, ARG_EQ };

struct rule {
  uint32_t nr, err;
  int arg;        /* -1: whole call */
  enum arg_test test;
  uint32_t value; /* the mask (ARG_MASK, never 0) or the value (ARG_EQ) */
};

struct vs_seccomp {
  struct rule *r64, *r32;
  size_t n64, n32;
  bool deny_i386;
  uint32_t deny_err;
};

struct vs_seccomp *vs_seccomp_parse(const struct vs_records *rs, const char **bad) {
  const struct vs_record *head = vs_records_find(rs, "seccomp");
  if (head == NULL) {
    errno = ENOENT;
    return NULL;
  }
  struct vs_seccomp *sc = calloc(1, sizeof *sc);
  sc->r64 = calloc(rs->n, sizeof *sc->r64);
  sc->r32 = calloc(rs->n, sizeof *sc->r32);
  uint64_t v;
  *bad = "seccomp";
  if (head->n != 2 || vs_parse_u64(head->f[1], &v) < 0 || v > 4095) goto bad;
  sc->deny_err = (uint32_t)v;
  if (strcmp(head->f[0], "deny") == 0)
    sc->deny_i386 = true;
  else if (strcmp(head->f[0], "list") != 0)
    goto bad;
  *bad = "syscall";
  for (size_t i = 0; i < rs->n; i++) {
    const struct vs_record *r = &rs->r[i];
    if (strcmp(r->key, "syscall") != 0) continue;
    /* 3 fields: the whole call; 5: index, mask (the older form); 6: index, "mask"|"eq", value. */
    if (r->n != 3 && r->n != 5 && r->n != 6) goto bad;
    struct rule ru = {.arg = -1};
    if (vs_parse_u64(r->f[1], &v) < 0 || v >= 0x40000000) goto bad;
    ru.nr = (uint32_t)v;
    if (vs_parse_u64(r->f[2], &v) < 0 || v > 4095) goto bad;
    ru.err = (uint32_t)v;
    if (r->n >= 5) {
      if (vs_parse_u64(r->f[3], &v) < 0 || v > 5) goto bad;
      ru.arg = (int)v;
      const char *val = r->f[r->n - 1];
      ru.test = ARG_MASK;
      if (r->n == 6) {
        if (strcmp(r->f[4], "eq") == 0)
          ru.test = ARG_EQ;
        else if (strcmp(r->f[4], "mask") != 0)
          goto bad;
      }
      if (vs_parse_u64(val, &v) < 0 || v > 0xffffffffu) goto bad;
      /* A zero mask would never match: a rule that silently denies nothing. */
      if (ru.test == ARG_MASK && v == 0) goto bad;
      ru.value = (uint32_t)v;
    }
    if (strcmp(r->f[0], "x86_64") == 0)
      sc->r64[sc->n64++] = ru;
    else if (strcmp(r->f[0], "i386") == 0)
      sc->r32[sc->n32++] = ru;
    else
      goto bad;
  }
  return sc;
bad:
  free(sc->r64);
  free(sc->r32);
  free(sc);
  errno = EINVAL;
  return NULL;
}

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))

static size_t emit_rules(struct sock_filter *p, const struct rule *r, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t ret = SECCOMP_RET_ERRNO | (r[i].err & SECCOMP_RET_DATA);
    if (r[i].arg < 0) {
      p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, r[i].nr, 0, 1);
      p[k++] = (struct sock_filter)RET(ret);
    } else {
      /* Only the low 32 bits of the argument (little-endian) are loaded: enough for flag
       * masks, and right for `unsigned int` arguments such as an ioctl's cmd, whose upper
       * half the kernel ignores, so a caller setting it cannot slip past an equality. */
      uint32_t off = (uint32_t)offsetof(struct seccomp_data, args[r[i].arg]);
      uint16_t op = r[i].test == ARG_EQ ? BPF_JEQ : BPF_JSET;
      p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, r[i].nr, 0, 4);
      p[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off);
      p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, r[i].value, 0, 1);
      p[k++] = (struct sock_filter)RET(ret);
      p[k++] = (struct sock_filter)LD_NR;
    }
  }
  return k;
}

int vs_seccomp_install(const struct vs_seccomp *sc) {
  size_t cap = 16 + 5 * (sc->n64 + sc->n32);
  if (cap > BPF_MAXINSNS) {
    errno = E2BIG;
    return -1;
  }
  struct sock_filter *p = calloc(cap, sizeof *p);
  if (p == NULL) return -1;
  uint32_t deny = SECCOMP_RET_ERRNO | (sc->deny_err & SECCOMP_RET_DATA);
  size_t k = 0;
  p[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                        offsetof(struct seccomp_data, arch));
  p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 1);
  size_t ja64 = k++;
  p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1);
  size_t ja32 = k++;
  p[k++] = (struct sock_filter)RET(SECCOMP_RET_KILL_PROCESS);

  size_t l64 = k;
  p[k++] = (struct sock_filter)LD_NR;
  p[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
  p[k++] = (struct sock_filter)RET(deny);
  k += emit_rules(p + k, sc->r64, sc->n64);
  p[k++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);

  size_t l32 = k;
  if (sc->deny_i386) {
    p[k++] = (struct sock_filter)RET(deny);
  } else {
    p[k++] = (struct sock_filter)LD_NR;
    k += emit_rules(p + k, sc->r32, sc->n32);
    p[k++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
  }
  p[ja64] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(l64 - ja64 - 1));
  p[ja32] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(l32 - ja32 - 1));

  struct sock_fprog prog = {.len = (unsigned short)k, .filter = p};
  int rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
  int e = errno;
  free(p);
  errno = e;
  return rc;
}
