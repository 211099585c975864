/* Argument parsing and Node-style errno errors for the vsnative addon. */
#include "napi_util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void throw_type(napi_env env, const char *name, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "The \"%s\" argument must be %s", name, what);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
}

bool vs_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  napi_value undef = vs_undefined(env);
  for (size_t i = argc; i < want; i++) argv[i] = undef;
  return true;
}

static bool get_number(napi_env env, napi_value v, const char *name, double *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_number) {
    throw_type(env, name, "of type number");
    return false;
  }
  napi_get_value_double(env, v, out);
  return true;
}

/* A number that is a whole number in [min, max] (bounds within ±2^53, where a double holds
 * every integer); else a TypeError saying what was expected. */
static bool get_integer(napi_env env, napi_value v, const char *name, double min, double max,
                        const char *expected, double *out) {
  if (!get_number(env, v, name, out)) return false;
  if (*out < min || *out > max || *out != (double)(int64_t)*out) {
    throw_type(env, name, expected);
    return false;
  }
  return true;
}

bool vs_get_i32(napi_env env, napi_value v, const char *name, int32_t *out) {
  double d;
  if (!get_integer(env, v, name, -2147483648.0, 2147483647.0, "a 32-bit integer", &d)) return false;
  *out = (int32_t)d;
  return true;
}

bool vs_get_u32(napi_env env, napi_value v, const char *name, uint32_t *out) {
  double d;
  if (!get_integer(env, v, name, 0, 4294967295.0, "an unsigned 32-bit integer", &d)) return false;
  *out = (uint32_t)d;
  return true;
}

bool vs_get_u64(napi_env env, napi_value v, const char *name, uint64_t *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    bool lossless;
    napi_get_value_bigint_uint64(env, v, out, &lossless);
    if (!lossless) {
      throw_type(env, name, "a bigint in the uint64 range");
      return false;
    }
    return true;
  }
  double d;
  if (!get_integer(env, v, name, 0, 9007199254740991.0, "a safe non-negative integer", &d)) return false;
  *out = (uint64_t)d;
  return true;
}

bool vs_get_i64(napi_env env, napi_value v, const char *name, int64_t *out) {
  double d;
  if (!get_integer(env, v, name, -9007199254740991.0, 9007199254740991.0, "a safe integer", &d)) return false;
  *out = (int64_t)d;
  return true;
}

char *vs_get_path(napi_env env, napi_value v, const char *name) {
  bool is_buf = false;
  napi_is_buffer(env, v, &is_buf);
  char *out;
  size_t len;
  if (is_buf) {
    void *data;
    napi_get_buffer_info(env, v, &data, &len);
    out = malloc(len + 1);
    if (out == NULL) goto oom;
    memcpy(out, data, len);
    out[len] = '\0';
  } else {
    napi_valuetype t;
    napi_typeof(env, v, &t);
    if (t != napi_string) {
      throw_type(env, name, "of type string or an instance of Buffer");
      return NULL;
    }
    napi_get_value_string_utf8(env, v, NULL, 0, &len);
    out = malloc(len + 1);
    if (out == NULL) goto oom;
    napi_get_value_string_utf8(env, v, out, len + 1, &len);
  }
  /* A NUL inside would silently truncate the path the kernel sees. */
  if (strlen(out) != len) {
    free(out);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "paths must not contain NUL bytes");
    return NULL;
  }
  return out;
oom:
  napi_throw_error(env, "ENOMEM", "out of memory");
  return NULL;
}

void vs_throw_errno(napi_env env, int err, const char *syscall, const char *path) {
  const char *code = strerrorname_np(err);
  char codebuf[16];
  if (code == NULL) {
    snprintf(codebuf, sizeof codebuf, "E%d", err);
    code = codebuf;
  }
  char desc[128];
  snprintf(desc, sizeof desc, "%s", strerror(err));
  desc[0] = (char)tolower((unsigned char)desc[0]);
  size_t mlen = strlen(code) + strlen(desc) + strlen(syscall) + (path ? strlen(path) : 0) + 16;
  char *msg = malloc(mlen);
  if (msg == NULL) {
    napi_throw_error(env, code, desc);
    return;
  }
  if (path != NULL)
    snprintf(msg, mlen, "%s: %s, %s '%s'", code, desc, syscall, path);
  else
    snprintf(msg, mlen, "%s: %s, %s", code, desc, syscall);
  napi_value jmsg, jcode, error;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &jmsg);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &jcode);
  napi_create_error(env, jcode, jmsg, &error);
  free(msg);
  napi_value s;
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, error, "code", s);
  vs_set_int(env, error, "errno", -err);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, error, "syscall", s);
  if (path != NULL) {
    napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &s);
    napi_set_named_property(env, error, "path", s);
  }
  napi_throw(env, error);
}

napi_value vs_undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

bool vs_get_present(napi_env env, napi_value obj, const char *key, napi_value *out) {
  bool has = false;
  napi_has_named_property(env, obj, key, &has);
  if (!has) return false;
  napi_get_named_property(env, obj, key, out);
  napi_valuetype t;
  napi_typeof(env, *out, &t);
  return t != napi_undefined;
}

bool vs_require_object(napi_env env, napi_value v, const char *message) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_object) return true;
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return false;
}

bool vs_args_i32_pair(napi_env env, napi_callback_info info, const char *first, int32_t *a,
                      const char *second, int32_t *b) {
  napi_value argv[2];
  return vs_args(env, info, 2, argv) && vs_get_i32(env, argv[0], first, a) &&
         vs_get_i32(env, argv[1], second, b);
}

napi_value vs_undefined_or_throw(napi_env env, long rc, const char *syscall, const char *path) {
  if (rc >= 0) return vs_undefined(env);
  vs_throw_errno(env, errno, syscall, path);
  return NULL;
}

napi_value vs_int_or_throw(napi_env env, long rc, const char *syscall, const char *path) {
  if (rc >= 0) return vs_int(env, rc);
  vs_throw_errno(env, errno, syscall, path);
  return NULL;
}

napi_value vs_int(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}

napi_value vs_bigint_u64(napi_env env, uint64_t v) {
  napi_value r;
  napi_create_bigint_uint64(env, v, &r);
  return r;
}

void vs_set(napi_env env, napi_value obj, const char *key, napi_value v) {
  napi_set_named_property(env, obj, key, v);
}

void vs_set_int(napi_env env, napi_value obj, const char *key, int64_t v) {
  vs_set(env, obj, key, vs_int(env, v));
}

void vs_export_fns(napi_env env, napi_value exports, const vs_fn_entry *fns, size_t n) {
  for (size_t i = 0; i < n; i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    napi_set_named_property(env, exports, fns[i].name, f);
  }
}

void vs_export_const(napi_env env, napi_value obj, const char *name, int64_t value) {
  vs_set_int(env, obj, name, value);
}
