/*
 * *at() wrappers: every guest path is resolved relative to a directory fd, so the
 * TypeScript side never hands a guest path string to a path-walking host API.
 * Each function is a thin syscall; policy (what to follow, what to replace) is in TS.
 */
#include "napi_util.h"
#include "../sys.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define PATH_ARG(var, idx, name)                     \
  vs_autofree char *var = vs_get_path(env, argv[idx], name); \
  if (var == NULL) return NULL

/* The (dirfd, path, …) most calls start with: declares argv[n], dirfd and path, or returns
 * NULL after throwing. */
#define DIRFD_PATH_ARGS(n)                                                                    \
  napi_value argv[n];                                                                         \
  int32_t dirfd;                                                                              \
  if (!vs_args(env, info, n, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL; \
  PATH_ARG(path, 1, "path")

static napi_value fn_openat2(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(5);
  uint32_t flags, mode, resolve;
  if (!vs_get_u32(env, argv[2], "flags", &flags) || !vs_get_u32(env, argv[3], "mode", &mode) ||
      !vs_get_u32(env, argv[4], "resolve", &resolve))
    return NULL;
  /* O_CLOEXEC is forced: an fd without it would leak into every helper we spawn. */
  return vs_int_or_throw(env, vs_openat2(dirfd, path, (uint64_t)flags | O_CLOEXEC, mode, resolve), "openat2", path);
}

static napi_value fn_mkdirat(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(3);
  uint32_t mode;
  if (!vs_get_u32(env, argv[2], "mode", &mode)) return NULL;
  return vs_undefined_or_throw(env, mkdirat(dirfd, path, mode), "mkdirat", path);
}

static napi_value fn_unlinkat(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(3);
  uint32_t flags;
  if (!vs_get_u32(env, argv[2], "flags", &flags)) return NULL;
  return vs_undefined_or_throw(env, unlinkat(dirfd, path, (int)flags), "unlinkat", path);
}

/* renameat2 and linkat take the same (olddirfd, oldpath, newdirfd, newpath, flags); one
 * parse of them, then the call `link` chooses. An error names the path the call acts on:
 * the old one for a rename, the new one for a link. */
static napi_value two_path_call(napi_env env, napi_callback_info info, bool link) {
  napi_value argv[5];
  int32_t olddirfd, newdirfd;
  uint32_t flags;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "olddirfd", &olddirfd))
    return NULL;
  PATH_ARG(oldpath, 1, "oldpath");
  if (!vs_get_i32(env, argv[2], "newdirfd", &newdirfd)) return NULL;
  PATH_ARG(newpath, 3, "newpath");
  if (!vs_get_u32(env, argv[4], "flags", &flags)) return NULL;
  if (link) return vs_undefined_or_throw(env, linkat(olddirfd, oldpath, newdirfd, newpath, (int)flags), "linkat", newpath);
  return vs_undefined_or_throw(env, renameat2(olddirfd, oldpath, newdirfd, newpath, flags), "renameat2", oldpath);
}

static napi_value fn_renameat2(napi_env env, napi_callback_info info) {
  return two_path_call(env, info, false);
}

static napi_value fn_symlinkat(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t dirfd;
  if (!vs_args(env, info, 3, argv)) return NULL;
  PATH_ARG(target, 0, "target");
  if (!vs_get_i32(env, argv[1], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 2, "path");
  return vs_undefined_or_throw(env, symlinkat(target, dirfd, path), "symlinkat", path);
}

static napi_value fn_readlinkat(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(3);
  bool want_buffer = false;
  napi_get_value_bool(env, argv[2], &want_buffer);
  char buf[4097];
  ssize_t n = readlinkat(dirfd, path, buf, sizeof buf - 1);
  if (n < 0) {
    vs_throw_errno(env, errno, "readlinkat", path);
    return NULL;
  }
  napi_value out;
  if (want_buffer)
    napi_create_buffer_copy(env, (size_t)n, buf, NULL, &out);
  else
    napi_create_string_utf8(env, buf, (size_t)n, &out);
  return out;
}

static const char *type_name(mode_t m) {
  switch (m & S_IFMT) {
    case S_IFREG: return "file";
    case S_IFDIR: return "dir";
    case S_IFLNK: return "symlink";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "char";
    case S_IFBLK: return "block";
    default: return "unknown";
  }
}

static napi_value fn_fstatat(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(3);
  uint32_t flags;
  if (!vs_get_u32(env, argv[2], "flags", &flags)) return NULL;
  struct stat st;
  if (fstatat(dirfd, path, &st, (int)flags) < 0) {
    vs_throw_errno(env, errno, "fstatat", path);
    return NULL;
  }
  napi_value o, s;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, type_name(st.st_mode), NAPI_AUTO_LENGTH, &s);
  vs_set(env, o, "type", s);
  vs_set_int(env, o, "mode", st.st_mode);
  vs_set_int(env, o, "uid", st.st_uid);
  vs_set_int(env, o, "gid", st.st_gid);
  vs_set_int(env, o, "size", st.st_size);
  vs_set_int(env, o, "dev", (int64_t)st.st_dev);
  vs_set(env, o, "ino", vs_bigint_u64(env, st.st_ino));
  vs_set_int(env, o, "nlink", (int64_t)st.st_nlink);
  vs_set_int(env, o, "blocks", st.st_blocks);
  vs_set_int(env, o, "rdevMajor", major(st.st_rdev));
  vs_set_int(env, o, "rdevMinor", minor(st.st_rdev));
  vs_set_int(env, o, "mtimeMs", (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000);
  vs_set_int(env, o, "ctimeMs", (int64_t)st.st_ctim.tv_sec * 1000 + st.st_ctim.tv_nsec / 1000000);
  return o;
}

static napi_value fn_fchownat(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(5);
  int32_t uid, gid;
  uint32_t flags;
  if (!vs_get_i32(env, argv[2], "uid", &uid) || !vs_get_i32(env, argv[3], "gid", &gid) ||
      !vs_get_u32(env, argv[4], "flags", &flags))
    return NULL;
  return vs_undefined_or_throw(env, fchownat(dirfd, path, (uid_t)uid, (gid_t)gid, (int)flags), "fchownat", path);
}

static napi_value fn_linkat(napi_env env, napi_callback_info info) {
  return two_path_call(env, info, true);
}

static napi_value fn_mknodat(napi_env env, napi_callback_info info) {
  DIRFD_PATH_ARGS(5);
  uint32_t mode, maj, min;
  if (!vs_get_u32(env, argv[2], "mode", &mode) || !vs_get_u32(env, argv[3], "major", &maj) ||
      !vs_get_u32(env, argv[4], "minor", &min))
    return NULL;
  return vs_undefined_or_throw(env, mknodat(dirfd, path, mode, makedev(maj, min)), "mknodat", path);
}

static void closedirp(DIR **d) {
  if (*d != NULL) closedir(*d);
}

/* Lists a directory given by fd without moving that fd's offset (it reopens "."), and
 * returns names as Buffers: guest names need not be UTF-8 and must round-trip exactly. */
static napi_value fn_readdir(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t dirfd;
  if (!vs_args(env, info, 1, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  int fd = vs_openat2(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0);
  if (fd < 0) {
    vs_throw_errno(env, errno, "openat2", ".");
    return NULL;
  }
  __attribute__((cleanup(closedirp))) DIR *d = fdopendir(fd);
  if (d == NULL) {
    int err = errno;
    close(fd);
    vs_throw_errno(env, err, "fdopendir", NULL);
    return NULL;
  }
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t i = 0;
  for (;;) {
    errno = 0;
    struct dirent *de = readdir(d);
    if (de == NULL) {
      if (errno != 0) {
        vs_throw_errno(env, errno, "readdir", NULL);
        return NULL;
      }
      break;
    }
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    napi_value o, name;
    napi_create_object(env, &o);
    napi_create_buffer_copy(env, strlen(de->d_name), de->d_name, NULL, &name);
    vs_set(env, o, "name", name);
    vs_set_int(env, o, "type", de->d_type);
    napi_set_element(env, arr, i++, o);
  }
  return arr;
}

void vs_register_fs(napi_env env, napi_value exports, napi_value c) {
  static const vs_fn_entry fns[] = {
      {"openat2", fn_openat2},     {"mkdirat", fn_mkdirat},     {"unlinkat", fn_unlinkat},
      {"renameat2", fn_renameat2}, {"symlinkat", fn_symlinkat}, {"readlinkat", fn_readlinkat},
      {"fstatat", fn_fstatat},     {"fchownat", fn_fchownat},   {"linkat", fn_linkat},
      {"mknodat", fn_mknodat},     {"readdir", fn_readdir},
  };
  VS_EXPORT_FNS(env, exports, fns);
  VS_CONST(O_RDONLY); VS_CONST(O_WRONLY); VS_CONST(O_RDWR); VS_CONST(O_CREAT); VS_CONST(O_EXCL); VS_CONST(O_TRUNC); VS_CONST(O_APPEND);
  VS_CONST(O_NONBLOCK); VS_CONST(O_DIRECTORY); VS_CONST(O_NOFOLLOW); VS_CONST(O_CLOEXEC); VS_CONST(O_PATH); VS_CONST(O_NOCTTY);
  VS_CONST(O_NOATIME); VS_CONST(O_TMPFILE);
  VS_CONST(RESOLVE_NO_XDEV); VS_CONST(RESOLVE_NO_MAGICLINKS); VS_CONST(RESOLVE_NO_SYMLINKS); VS_CONST(RESOLVE_BENEATH);
  VS_CONST(RESOLVE_IN_ROOT); VS_CONST(RESOLVE_CACHED);
  VS_CONST(AT_FDCWD); VS_CONST(AT_SYMLINK_NOFOLLOW); VS_CONST(AT_REMOVEDIR); VS_CONST(AT_SYMLINK_FOLLOW); VS_CONST(AT_EMPTY_PATH);
  VS_CONST(RENAME_NOREPLACE); VS_CONST(RENAME_EXCHANGE); VS_CONST(RENAME_WHITEOUT);
  VS_CONST(S_IFMT); VS_CONST(S_IFREG); VS_CONST(S_IFDIR); VS_CONST(S_IFLNK); VS_CONST(S_IFIFO); VS_CONST(S_IFSOCK); VS_CONST(S_IFCHR);
  VS_CONST(S_IFBLK);
  VS_CONST(DT_UNKNOWN); VS_CONST(DT_REG); VS_CONST(DT_DIR); VS_CONST(DT_LNK); VS_CONST(DT_FIFO); VS_CONST(DT_SOCK); VS_CONST(DT_CHR); VS_CONST(DT_BLK);
}
