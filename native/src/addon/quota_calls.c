/*
 * quotactl_fd(2): disk quotas addressed by an fd on the filesystem instead of a block
 * device path, so the agent needs no knowledge of which device backs /vservers.
 * Units are the kernel's: limits in 1 KiB blocks (QIF_DQBLKSIZE), usage in bytes.
 */
#include "napi_util.h"
#include "../sys.h"

#include <linux/quota.h>
#include <string.h>

static bool get_u64_prop(napi_env env, napi_value obj, const char *key, uint64_t *out,
                         uint32_t bit, uint32_t *valid) {
  napi_value v;
  if (!vs_get_present(env, obj, key, &v)) return true;
  if (!vs_get_u64(env, v, key, out)) return false;
  *valid |= bit;
  return true;
}

static napi_value dqblk_to_js(napi_env env, const struct if_dqblk *q) {
  napi_value o;
  napi_create_object(env, &o);
  vs_set_int(env, o, "bhardlimit", (int64_t)q->dqb_bhardlimit);
  vs_set_int(env, o, "bsoftlimit", (int64_t)q->dqb_bsoftlimit);
  vs_set_int(env, o, "curspace", (int64_t)q->dqb_curspace);
  vs_set_int(env, o, "ihardlimit", (int64_t)q->dqb_ihardlimit);
  vs_set_int(env, o, "isoftlimit", (int64_t)q->dqb_isoftlimit);
  vs_set_int(env, o, "curinodes", (int64_t)q->dqb_curinodes);
  vs_set_int(env, o, "btime", (int64_t)q->dqb_btime);
  vs_set_int(env, o, "itime", (int64_t)q->dqb_itime);
  vs_set_int(env, o, "valid", q->dqb_valid);
  return o;
}

static napi_value fn_quotactl_fd(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t fd, id;
  uint32_t cmd, type;
  if (!vs_args(env, info, 5, argv) || !vs_get_i32(env, argv[0], "fd", &fd) ||
      !vs_get_u32(env, argv[1], "cmd", &cmd) || !vs_get_u32(env, argv[2], "type", &type) ||
      !vs_get_i32(env, argv[3], "id", &id))
    return NULL;
  unsigned int qcmd = QCMD(cmd, type);
  switch (cmd) {
    case Q_GETQUOTA:
    case Q_GETNEXTQUOTA: {
      struct if_dqblk q;
      memset(&q, 0, sizeof q);
      if (vs_quotactl_fd(fd, qcmd, id, &q) < 0) break;
      return dqblk_to_js(env, &q);
    }
    case Q_SETQUOTA: {
      if (!vs_require_object(env, argv[4], "Q_SETQUOTA needs a dqblk object")) return NULL;
      struct if_dqblk q;
      memset(&q, 0, sizeof q);
      uint32_t valid = 0;
      uint64_t bh = 0, bs = 0, ih = 0, is = 0, bt = 0, it = 0;
      /* Only the fields given are marked valid, so the kernel leaves the others alone. */
      if (!get_u64_prop(env, argv[4], "bhardlimit", &bh, QIF_BLIMITS, &valid) ||
          !get_u64_prop(env, argv[4], "bsoftlimit", &bs, QIF_BLIMITS, &valid) ||
          !get_u64_prop(env, argv[4], "ihardlimit", &ih, QIF_ILIMITS, &valid) ||
          !get_u64_prop(env, argv[4], "isoftlimit", &is, QIF_ILIMITS, &valid) ||
          !get_u64_prop(env, argv[4], "btime", &bt, QIF_BTIME, &valid) ||
          !get_u64_prop(env, argv[4], "itime", &it, QIF_ITIME, &valid))
        return NULL;
      /* Setting only one of a hard/soft pair would zero the other; refuse that. */
      if ((valid & QIF_BLIMITS) || (valid & QIF_ILIMITS)) {
        bool hb, sb, hi, si;
        napi_has_named_property(env, argv[4], "bhardlimit", &hb);
        napi_has_named_property(env, argv[4], "bsoftlimit", &sb);
        napi_has_named_property(env, argv[4], "ihardlimit", &hi);
        napi_has_named_property(env, argv[4], "isoftlimit", &si);
        if (hb != sb || hi != si) {
          napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE",
                                "give hard and soft limits together (block and inode pairs)");
          return NULL;
        }
      }
      q.dqb_bhardlimit = bh;
      q.dqb_bsoftlimit = bs;
      q.dqb_ihardlimit = ih;
      q.dqb_isoftlimit = is;
      q.dqb_btime = bt;
      q.dqb_itime = it;
      q.dqb_valid = valid;
      if (vs_quotactl_fd(fd, qcmd, id, &q) < 0) break;
      return vs_undefined(env);
    }
    case Q_GETINFO: {
      struct if_dqinfo i;
      memset(&i, 0, sizeof i);
      if (vs_quotactl_fd(fd, qcmd, id, &i) < 0) break;
      napi_value o;
      napi_create_object(env, &o);
      vs_set_int(env, o, "bgrace", (int64_t)i.dqi_bgrace);
      vs_set_int(env, o, "igrace", (int64_t)i.dqi_igrace);
      vs_set_int(env, o, "flags", i.dqi_flags);
      vs_set_int(env, o, "valid", i.dqi_valid);
      return o;
    }
    case Q_GETFMT: {
      uint32_t fmt = 0;
      if (vs_quotactl_fd(fd, qcmd, id, &fmt) < 0) break;
      return vs_int(env, fmt);
    }
    case Q_SYNC:
    case Q_QUOTAON:
    case Q_QUOTAOFF:
      if (vs_quotactl_fd(fd, qcmd, id, NULL) < 0) break;
      return vs_undefined(env);
    default:
      napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "unsupported quotactl command");
      return NULL;
  }
  vs_throw_errno(env, errno, "quotactl_fd", NULL);
  return NULL;
}

void vs_register_quota(napi_env env, napi_value exports, napi_value c) {
  static const vs_fn_entry fns[] = {{"quotactlFd", fn_quotactl_fd}};
  VS_EXPORT_FNS(env, exports, fns);
  VS_CONST(Q_GETQUOTA); VS_CONST(Q_SETQUOTA); VS_CONST(Q_GETINFO); VS_CONST(Q_GETFMT); VS_CONST(Q_SYNC); VS_CONST(Q_QUOTAON);
  VS_CONST(Q_QUOTAOFF); VS_CONST(Q_GETNEXTQUOTA); VS_CONST(USRQUOTA); VS_CONST(GRPQUOTA); VS_CONST(PRJQUOTA); VS_CONST(QFMT_VFS_V1);
  VS_CONST(QIF_DQBLKSIZE); VS_CONST(QIF_BLIMITS); VS_CONST(QIF_SPACE); VS_CONST(QIF_ILIMITS); VS_CONST(QIF_INODES); VS_CONST(QIF_BTIME);
  VS_CONST(QIF_ITIME); VS_CONST(QIF_ALL);
}
