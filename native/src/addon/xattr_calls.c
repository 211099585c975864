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

/* The (fd, name, …) arguments both calls start with: fills `path` with the fd's
 * /proc/self/fd/N and returns the name (malloc'd), or NULL after throwing. */
static char *fd_path_and_name(napi_env env, napi_callback_info info, size_t want, napi_value *argv,
                              char *path, size_t size) {
  int32_t fd;
  if (!vs_args(env, info, want, argv) || !vs_get_i32(env, argv[0], "fd", &fd)) return NULL;
  snprintf(path, size, "/proc/self/fd/%d", fd);
  return vs_get_path(env, argv[1], "name");
}

/* fgetxattr(fd, name): a Buffer, or null when the attribute is absent (or the filesystem
 * has no xattrs at all, like ramfs). */
static napi_value fn_fdgetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[64];
  vs_autofree char *name = fd_path_and_name(env, info, 2, argv, path, sizeof path);
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
  vs_autofree char *name = fd_path_and_name(env, info, 3, argv, path, sizeof path);
  if (name == NULL) return NULL;
  bool is_buffer = false;
  void *data = NULL;
  size_t len = 0;
  if (napi_is_buffer(env, argv[2], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "value must be a Buffer");
    return NULL;
  }
  return vs_undefined_or_throw(env, setxattr(path, name, data, len, 0), "setxattr", name);
}

void vs_register_xattr(napi_env env, napi_value exports, napi_value c) {
  (void)c;
  static const vs_fn_entry fns[] = {{"fdgetxattr", fn_fdgetxattr}, {"fdsetxattr", fn_fdsetxattr}};
  VS_EXPORT_FNS(env, exports, fns);
}
