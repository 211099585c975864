/*
 * flock(2) for per-vserver lock files shared by the CLI and the daemon. flock rather
 * than fcntl locks because a flock belongs to the open file description: it is dropped
 * by the kernel when the holder dies (even by SIGKILL), and it is not silently released
 * when some other fd on the same file is closed, as a POSIX lock would be.
 */
#include "napi_util.h"

#include <errno.h>
#include <sys/file.h>

/* Blocking requests are retried after a signal: the caller asked to wait for the lock,
 * and a signal handled elsewhere in Node is no reason to throw EINTR at it. */
static napi_value fn_flock(napi_env env, napi_callback_info info) {
  int32_t fd, op;
  if (!vs_args_i32_pair(env, info, "fd", &fd, "operation", &op)) return NULL;
  int r;
  do
    r = flock(fd, op);
  while (r < 0 && errno == EINTR && !(op & LOCK_NB));
  if (r < 0) {
    /* EWOULDBLOCK is EAGAIN on Linux; the code is 'EAGAIN', as Node reports it. */
    vs_throw_errno(env, errno, "flock", NULL);
    return NULL;
  }
  return vs_undefined(env);
}

void vs_register_flock(napi_env env, napi_value exports, napi_value c) {
  static const vs_fn_entry fns[] = {
      {"flock", fn_flock},
  };
  VS_EXPORT_FNS(env, exports, fns);
  VS_CONST(LOCK_SH); VS_CONST(LOCK_EX); VS_CONST(LOCK_NB); VS_CONST(LOCK_UN);
}
