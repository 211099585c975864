/*
 * pidfd wrappers: the agent signals and tracks guest inits by pidfd, never by a bare
 * pid, so a recycled pid can never redirect a kill to an unrelated process.
 */
#include "napi_util.h"
#include "../sys.h"

static napi_value fn_pidfd_open(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t pid;
  uint32_t flags = 0;
  if (!vs_args(env, info, 2, argv) || !vs_get_i32(env, argv[0], "pid", &pid)) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  if (t != napi_undefined && !vs_get_u32(env, argv[1], "flags", &flags)) return NULL;
  int fd = vs_pidfd_open(pid, flags);
  if (fd < 0) {
    vs_throw_errno(env, errno, "pidfd_open", NULL);
    return NULL;
  }
  /* pidfd_open always sets O_CLOEXEC; nothing to do. */
  return vs_int(env, fd);
}

static napi_value fn_pidfd_send_signal(napi_env env, napi_callback_info info) {
  int32_t pidfd, sig;
  if (!vs_args_i32_pair(env, info, "pidfd", &pidfd, "signal", &sig)) return NULL;
  return vs_undefined_or_throw(env, vs_pidfd_send_signal(pidfd, sig, 0), "pidfd_send_signal", NULL);
}

void vs_register_pidfd(napi_env env, napi_value exports, napi_value c) {
  static const vs_fn_entry fns[] = {
      {"pidfdOpen", fn_pidfd_open},
      {"pidfdSendSignal", fn_pidfd_send_signal},
  };
  VS_EXPORT_FNS(env, exports, fns);
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
  vs_export_const(env, c, "PIDFD_NONBLOCK", PIDFD_NONBLOCK);
}
