/*
 * Argument parsing and error objects shared by the N-API functions.
 * Every exported function validates its arguments here and throws TypeError on misuse,
 * so a wrong call from TypeScript fails loudly instead of reaching the kernel.
 */
#ifndef VS_NAPI_UTIL_H
#define VS_NAPI_UTIL_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

#define VS_MAX_ARGS 8

/* Fetch exactly `want` arguments (missing ones are undefined); false after throwing. */
bool vs_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);

bool vs_get_i32(napi_env env, napi_value v, const char *name, int32_t *out);
bool vs_get_u32(napi_env env, napi_value v, const char *name, uint32_t *out);
/* Integers up to 2^53 given as number, or any uint64 given as bigint. */
bool vs_get_u64(napi_env env, napi_value v, const char *name, uint64_t *out);
bool vs_get_i64(napi_env env, napi_value v, const char *name, int64_t *out);

/* Fetch exactly two arguments that are both 32-bit integers (two fds, an fd and an
 * operation); false after throwing. */
bool vs_args_i32_pair(napi_env env, napi_callback_info info, const char *first, int32_t *a,
                      const char *second, int32_t *b);

/* True when `v` is an object; else a TypeError (code ERR_INVALID_ARG_TYPE) with `message`. */
bool vs_require_object(napi_env env, napi_value v, const char *message);

/* The property `key` of an options object when it is there and not undefined (an option
 * left out keeps its default); false, leaving *out unset, otherwise. */
bool vs_get_present(napi_env env, napi_value obj, const char *key, napi_value *out);

/* A path given as string (UTF-8) or Buffer (raw bytes, for names that are not UTF-8).
 * Returns a malloc'd NUL-terminated copy; embedded NULs are rejected. */
char *vs_get_path(napi_env env, napi_value v, const char *name);

/* Throw an Error shaped like Node's fs errors:
 * message "EPERM: operation not permitted, openat2 'etc/hostname'",
 * properties code ('EPERM'), errno (-1), syscall and, when given, path. */
void vs_throw_errno(napi_env env, int err, const char *syscall, const char *path);

/* The end of a wrapper around a call that returns -1 and sets errno: undefined when `rc` is
 * not negative, else the errno thrown (as vs_throw_errno) and NULL. Pass the call itself as
 * `rc`, so nothing runs between it and the read of errno. */
napi_value vs_undefined_or_throw(napi_env env, long rc, const char *syscall, const char *path);
/* The same for a call that returns an fd (or another count): the number, or the errno thrown. */
napi_value vs_int_or_throw(napi_env env, long rc, const char *syscall, const char *path);

napi_value vs_undefined(napi_env env);
napi_value vs_int(napi_env env, int64_t v);
napi_value vs_bigint_u64(napi_env env, uint64_t v);
void vs_set(napi_env env, napi_value obj, const char *key, napi_value v);
void vs_set_int(napi_env env, napi_value obj, const char *key, int64_t v);

/* Registration helper used by each group of functions. */
typedef struct {
  const char *name;
  napi_callback fn;
} vs_fn_entry;

void vs_export_fns(napi_env env, napi_value exports, const vs_fn_entry *fns, size_t n);
void vs_export_const(napi_env env, napi_value obj, const char *name, int64_t value);
/* Export a static table of functions, its length taken from the array. */
#define VS_EXPORT_FNS(env, exports, fns) vs_export_fns(env, exports, fns, sizeof fns / sizeof fns[0])
/* Export a C constant under its own name; used in a register function whose consts object is `c`. */
#define VS_CONST(x) vs_export_const(env, c, #x, x)

void vs_register_fs(napi_env env, napi_value exports, napi_value consts);
void vs_register_pidfd(napi_env env, napi_value exports, napi_value consts);
void vs_register_ioctl(napi_env env, napi_value exports, napi_value consts);
void vs_register_quota(napi_env env, napi_value exports, napi_value consts);
void vs_register_bpf_devfilter(napi_env env, napi_value exports, napi_value consts);
void vs_register_flock(napi_env env, napi_value exports, napi_value consts);
void vs_register_xattr(napi_env env, napi_value exports, napi_value consts);

#endif
