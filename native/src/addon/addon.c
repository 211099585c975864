/* Entry point of vsnative.node: registers each group of syscall wrappers and their
 * constants (exposed as `constants`, like Node's fs.constants). */
#include "napi_util.h"

static napi_value init(napi_env env, napi_value exports) {
  napi_value consts;
  napi_create_object(env, &consts);
  vs_register_fs(env, exports, consts);
  vs_register_pidfd(env, exports, consts);
  vs_register_ioctl(env, exports, consts);
  vs_register_quota(env, exports, consts);
  vs_register_bpf_devfilter(env, exports, consts);
  vs_register_flock(env, exports, consts);
  vs_register_xattr(env, exports, consts);
  napi_set_named_property(env, exports, "constants", consts);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
