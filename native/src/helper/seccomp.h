/* Builds the seccomp deny-list filter from syscall numbers given by TypeScript. */
#ifndef VS_SECCOMP_H
#define VS_SECCOMP_H

#include "record.h"

struct vs_seccomp;

/* From the `seccomp` record (fields: i386 policy "list"|"deny", errno for x32 and for a
 * denied i386) and `syscall` records (arch, nr, errno[, argIndex, mask]) or
 * (arch, nr, errno, argIndex, "mask"|"eq", value); arguments compare by their low 32 bits.
 * NULL with errno=ENOENT when the spec has no `seccomp` record. */
struct vs_seccomp *vs_seccomp_parse(const struct vs_records *rs, const char **bad);

/* seccomp(SECCOMP_SET_MODE_FILTER); -1 with errno. */
int vs_seccomp_install(const struct vs_seccomp *sc);

#endif
