/*
 * Extended attributes of an inode the caller holds an fd of (O_PATH fds too): reached
 * through /proc/self/fd/N, our own fd, never a path in a guest tree. Used to carry file
 * capabilities and POSIX ACLs across an ownership shift (chown removes the first).
 */
#include "napi_util.h"
#include "../sys.h"

#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#define XATTR_MAX 65536

static bool fd_path(napi_env env, napi_value v, char *buf, size_t size) {
  int32_t fd;
  if (!vs_get_i32(env, v, "fd", &fd)) return false;
  snprintf(buf, size, "/proc/self/fd/%d", fd);
  return true;
}

/* fgetxattr(fd, name): a Buffer, or null when the attribute is absent (or the filesystem
 * has no xattrs at all, like ramfs). */
static napi_value fn_fdgetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[64];
  if (!vs_args(env, info, 2, argv) || !fd_path(env, argv[0], path, sizeof path)) return NULL;
  vs_autofree char *name = vs_get_path(env, argv[1], "name");
  if (name == NULL) return NULL;
  vs_autofree char *buf = malloc(XATTR_MAX);
  if (buf == NULL) {
    vs_throw_errno(env, ENOMEM, "getxattr", name);
    return NULL;
  }
  ssize_t n = getxattr(path, name, buf, XATTR_MAX);
  napi_value out;
  if (n < 0 && (errno == ENODATA || errno == EOPNOTSUPP)) {
    napi_get_null(env, &out);
    return out;
  }
  if (n < 0) {
    vs_throw_errno(env, errno, "getxattr", name);
    return NULL;
  }
  napi_create_buffer_copy(env, (size_t)n, buf, NULL, &out);
  return out;
}

/* fsetxattr(fd, name, value: Buffer). */
static napi_value fn_fdsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char path[64];
  if (!vs_args(env, info, 3, argv) || !fd_path(env, argv[0], path, sizeof path)) return NULL;
  vs_autofree char *name = vs_get_path(env, argv[1], "name");
  if (name == NULL) return NULL;
  bool is_buffer = false;
  void *data = NULL;
  size_t len = 0;
  if (napi_is_buffer(env, argv[2], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "value must be a Buffer");
    return NULL;
  }
  if (setxattr(path, name, data, len, 0) < 0) {
    vs_throw_errno(env, errno, "setxattr", name);
    return NULL;
  }
  return vs_undefined(env);
}

void vs_register_xattr(napi_env env, napi_value exports, napi_value c) {
  (void)c;
  static const vs_fn_entry fns[] = {{"fdgetxattr", fn_fdgetxattr}, {"fdsetxattr", fn_fdsetxattr}};
  vs_export_fns(env, exports, fns, sizeof fns / sizeof fns[0]);
}
