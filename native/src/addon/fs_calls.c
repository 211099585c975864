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

static napi_value fn_openat2(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t dirfd;
  uint32_t flags, mode, resolve;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
  if (!vs_get_u32(env, argv[2], "flags", &flags) || !vs_get_u32(env, argv[3], "mode", &mode) ||
      !vs_get_u32(env, argv[4], "resolve", &resolve))
    return NULL;
  /* O_CLOEXEC is forced: an fd without it would leak into every helper we spawn. */
  int fd = vs_openat2(dirfd, path, (uint64_t)flags | O_CLOEXEC, mode, resolve);
  if (fd < 0) {
    vs_throw_errno(env, errno, "openat2", path);
    return NULL;
  }
  return vs_int(env, fd);
}

static napi_value fn_mkdirat(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t dirfd;
  uint32_t mode;
  if (!vs_args(env, info, 3, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
  if (!vs_get_u32(env, argv[2], "mode", &mode)) return NULL;
  if (mkdirat(dirfd, path, mode) < 0) {
    vs_throw_errno(env, errno, "mkdirat", path);
    return NULL;
  }
  return vs_undefined(env);
}

static napi_value fn_unlinkat(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t dirfd;
  uint32_t flags;
  if (!vs_args(env, info, 3, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
  if (!vs_get_u32(env, argv[2], "flags", &flags)) return NULL;
  if (unlinkat(dirfd, path, (int)flags) < 0) {
    vs_throw_errno(env, errno, "unlinkat", path);
    return NULL;
  }
  return vs_undefined(env);
}

static napi_value fn_renameat2(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t olddirfd, newdirfd;
  uint32_t flags;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "olddirfd", &olddirfd))
    return NULL;
  PATH_ARG(oldpath, 1, "oldpath");
  if (!vs_get_i32(env, argv[2], "newdirfd", &newdirfd)) return NULL;
  PATH_ARG(newpath, 3, "newpath");
  if (!vs_get_u32(env, argv[4], "flags", &flags)) return NULL;
  if (renameat2(olddirfd, oldpath, newdirfd, newpath, flags) < 0) {
    vs_throw_errno(env, errno, "renameat2", oldpath);
    return NULL;
  }
  return vs_undefined(env);
}

static napi_value fn_symlinkat(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t dirfd;
  if (!vs_args(env, info, 3, argv)) return NULL;
  PATH_ARG(target, 0, "target");
  if (!vs_get_i32(env, argv[1], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 2, "path");
  if (symlinkat(target, dirfd, path) < 0) {
    vs_throw_errno(env, errno, "symlinkat", path);
    return NULL;
  }
  return vs_undefined(env);
}

static napi_value fn_readlinkat(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t dirfd;
  if (!vs_args(env, info, 3, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
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
  napi_value argv[3];
  int32_t dirfd;
  uint32_t flags;
  if (!vs_args(env, info, 3, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
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
  return o;
}

static napi_value fn_fchownat(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t dirfd, uid, gid;
  uint32_t flags;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
  if (!vs_get_i32(env, argv[2], "uid", &uid) || !vs_get_i32(env, argv[3], "gid", &gid) ||
      !vs_get_u32(env, argv[4], "flags", &flags))
    return NULL;
  if (fchownat(dirfd, path, (uid_t)uid, (gid_t)gid, (int)flags) < 0) {
    vs_throw_errno(env, errno, "fchownat", path);
    return NULL;
  }
  return vs_undefined(env);
}

static napi_value fn_linkat(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t olddirfd, newdirfd;
  uint32_t flags;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "olddirfd", &olddirfd))
    return NULL;
  PATH_ARG(oldpath, 1, "oldpath");
  if (!vs_get_i32(env, argv[2], "newdirfd", &newdirfd)) return NULL;
  PATH_ARG(newpath, 3, "newpath");
  if (!vs_get_u32(env, argv[4], "flags", &flags)) return NULL;
  if (linkat(olddirfd, oldpath, newdirfd, newpath, (int)flags) < 0) {
    vs_throw_errno(env, errno, "linkat", newpath);
    return NULL;
  }
  return vs_undefined(env);
}

static napi_value fn_mknodat(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t dirfd;
  uint32_t mode, maj, min;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "dirfd", &dirfd)) return NULL;
  PATH_ARG(path, 1, "path");
  if (!vs_get_u32(env, argv[2], "mode", &mode) || !vs_get_u32(env, argv[3], "major", &maj) ||
      !vs_get_u32(env, argv[4], "minor", &min))
    return NULL;
  if (mknodat(dirfd, path, mode, makedev(maj, min)) < 0) {
    vs_throw_errno(env, errno, "mknodat", path);
    return NULL;
  }
  return vs_undefined(env);
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
  vs_export_fns(env, exports, fns, sizeof fns / sizeof fns[0]);
#define C(x) vs_export_const(env, c, #x, x)
  C(O_RDONLY); C(O_WRONLY); C(O_RDWR); C(O_CREAT); C(O_EXCL); C(O_TRUNC); C(O_APPEND);
  C(O_NONBLOCK); C(O_DIRECTORY); C(O_NOFOLLOW); C(O_CLOEXEC); C(O_PATH); C(O_NOCTTY);
  C(O_NOATIME); C(O_TMPFILE);
  C(RESOLVE_NO_XDEV); C(RESOLVE_NO_MAGICLINKS); C(RESOLVE_NO_SYMLINKS); C(RESOLVE_BENEATH);
  C(RESOLVE_IN_ROOT); C(RESOLVE_CACHED);
  C(AT_FDCWD); C(AT_SYMLINK_NOFOLLOW); C(AT_REMOVEDIR); C(AT_SYMLINK_FOLLOW); C(AT_EMPTY_PATH);
  C(RENAME_NOREPLACE); C(RENAME_EXCHANGE); C(RENAME_WHITEOUT);
  C(S_IFMT); C(S_IFREG); C(S_IFDIR); C(S_IFLNK); C(S_IFIFO); C(S_IFSOCK); C(S_IFCHR);
  C(S_IFBLK);
  C(DT_UNKNOWN); C(DT_REG); C(DT_DIR); C(DT_LNK); C(DT_FIFO); C(DT_SOCK); C(DT_CHR); C(DT_BLK);
#undef C
}
