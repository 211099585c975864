/*
 * File ioctls used by the disk engine: project ids for project quotas (FS_IOC_FS*XATTR),
 * reflink copies (FICLONE) and dedupe for vunify (FIDEDUPERANGE). All act on fds that
 * TypeScript opened beneath a guest root.
 */
#include "napi_util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../cleanup.h"

static napi_value fn_get_fsxattr(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!vs_args(env, info, 1, argv) || !vs_get_i32(env, argv[0], "fd", &fd)) return NULL;
  struct fsxattr fa;
  memset(&fa, 0, sizeof fa);
  if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0) {
    vs_throw_errno(env, errno, "ioctl(FS_IOC_FSGETXATTR)", NULL);
    return NULL;
  }
  napi_value o;
  napi_create_object(env, &o);
  vs_set_int(env, o, "xflags", fa.fsx_xflags);
  vs_set_int(env, o, "extsize", fa.fsx_extsize);
  vs_set_int(env, o, "nextents", fa.fsx_nextents);
  vs_set_int(env, o, "projid", fa.fsx_projid);
  vs_set_int(env, o, "cowextsize", fa.fsx_cowextsize);
  return o;
}

static bool get_opt_u32(napi_env env, napi_value obj, const char *key, uint32_t *out) {
  napi_value v;
  return !vs_get_present(env, obj, key, &v) || vs_get_u32(env, v, key, out);
}

/* Read-modify-write: fields missing from the object keep their current value, because
 * FSSETXATTR replaces the whole struct and a caller usually means to change one field. */
static napi_value fn_set_fsxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  if (!vs_args(env, info, 2, argv) || !vs_get_i32(env, argv[0], "fd", &fd)) return NULL;
  if (!vs_require_object(env, argv[1], "The \"attr\" argument must be an object")) return NULL;
  struct fsxattr fa;
  memset(&fa, 0, sizeof fa);
  if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0) {
    vs_throw_errno(env, errno, "ioctl(FS_IOC_FSGETXATTR)", NULL);
    return NULL;
  }
  if (!get_opt_u32(env, argv[1], "xflags", &fa.fsx_xflags) ||
      !get_opt_u32(env, argv[1], "extsize", &fa.fsx_extsize) ||
      !get_opt_u32(env, argv[1], "projid", &fa.fsx_projid) ||
      !get_opt_u32(env, argv[1], "cowextsize", &fa.fsx_cowextsize))
    return NULL;
  return vs_undefined_or_throw(env, ioctl(fd, FS_IOC_FSSETXATTR, &fa), "ioctl(FS_IOC_FSSETXATTR)", NULL);
}

static napi_value fn_ficlone(napi_env env, napi_callback_info info) {
  int32_t dest, src;
  if (!vs_args_i32_pair(env, info, "destFd", &dest, "srcFd", &src)) return NULL;
  return vs_undefined_or_throw(env, ioctl(dest, FICLONE, src), "ioctl(FICLONE)", NULL);
}

static bool get_prop_i64(napi_env env, napi_value obj, const char *key, int64_t *out) {
  napi_value v;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return false;
  return vs_get_i64(env, v, key, out);
}

/* Returns one {status, bytesDeduped} per destination; status is FILE_DEDUPE_RANGE_SAME,
 * FILE_DEDUPE_RANGE_DIFFERS or a negative errno, exactly as the kernel reports it. */
static napi_value fn_fideduperange(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t src;
  int64_t src_off, len;
  if (!vs_args(env, info, 4, argv) || !vs_get_i32(env, argv[0], "srcFd", &src) ||
      !vs_get_i64(env, argv[1], "srcOffset", &src_off) ||
      !vs_get_i64(env, argv[2], "length", &len))
    return NULL;
  bool is_array = false;
  napi_is_array(env, argv[3], &is_array);
  uint32_t n = 0;
  if (is_array) napi_get_array_length(env, argv[3], &n);
  if (!is_array || n == 0 || n > 256 || src_off < 0 || len < 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE",
                          "fideduperange needs 1..256 destinations and non-negative ranges");
    return NULL;
  }
  size_t size = sizeof(struct file_dedupe_range) + n * sizeof(struct file_dedupe_range_info);
  vs_autofree struct file_dedupe_range *r = calloc(1, size);
  if (r == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  r->src_offset = (uint64_t)src_off;
  r->src_length = (uint64_t)len;
  r->dest_count = (uint16_t)n;
  for (uint32_t i = 0; i < n; i++) {
    napi_value d;
    int64_t fd, off;
    napi_get_element(env, argv[3], i, &d);
    if (!get_prop_i64(env, d, "fd", &fd) || !get_prop_i64(env, d, "offset", &off)) return NULL;
    r->info[i].dest_fd = fd;
    r->info[i].dest_offset = (uint64_t)off;
  }
  if (ioctl(src, FIDEDUPERANGE, r) < 0) {
    vs_throw_errno(env, errno, "ioctl(FIDEDUPERANGE)", NULL);
    return NULL;
  }
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (uint32_t i = 0; i < n; i++) {
    napi_value o;
    napi_create_object(env, &o);
    vs_set_int(env, o, "status", r->info[i].status);
    vs_set_int(env, o, "bytesDeduped", (int64_t)r->info[i].bytes_deduped);
    napi_set_element(env, arr, i, o);
  }
  return arr;
}

void vs_register_ioctl(napi_env env, napi_value exports, napi_value c) {
  static const vs_fn_entry fns[] = {
      {"getFsxattr", fn_get_fsxattr},
      {"setFsxattr", fn_set_fsxattr},
      {"ficlone", fn_ficlone},
      {"fideduperange", fn_fideduperange},
  };
  VS_EXPORT_FNS(env, exports, fns);
  VS_CONST(FS_XFLAG_REALTIME); VS_CONST(FS_XFLAG_PREALLOC); VS_CONST(FS_XFLAG_IMMUTABLE); VS_CONST(FS_XFLAG_APPEND);
  VS_CONST(FS_XFLAG_SYNC); VS_CONST(FS_XFLAG_NOATIME); VS_CONST(FS_XFLAG_NODUMP); VS_CONST(FS_XFLAG_RTINHERIT);
  VS_CONST(FS_XFLAG_PROJINHERIT); VS_CONST(FS_XFLAG_NOSYMLINKS); VS_CONST(FS_XFLAG_EXTSIZE);
  VS_CONST(FS_XFLAG_EXTSZINHERIT); VS_CONST(FS_XFLAG_NODEFRAG); VS_CONST(FS_XFLAG_FILESTREAM); VS_CONST(FS_XFLAG_DAX);
  VS_CONST(FS_XFLAG_COWEXTSIZE); VS_CONST(FS_XFLAG_HASATTR);
  VS_CONST(FILE_DEDUPE_RANGE_SAME); VS_CONST(FILE_DEDUPE_RANGE_DIFFERS);
}
