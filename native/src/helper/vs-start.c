/*
 * vs-start: start a vserver's init. Contract:
 *   fd 3  the spec (records, read to EOF)        fd 4  status socket (records out; the
 *   fd 0-2 passed to the init only with           go byte 'g' in, when the spec has
 *          `stdio inherit`                        `wait-go`)
 * Exits 0 once the monitor is forked (everything else arrives on fd 4), or 125 after an
 * `error` record when the spec is unusable.
 *
 * `vs-start --probe-idmap PATH` tells whether PATH's filesystem takes idmapped mounts
 * (exit 0; 3 when it does not): the build shifts the ownership of roots that do not.
 */
#include "report.h"
#include "start.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

char **vs_fields_vec(const struct vs_record *r) {
  char **v = calloc(r->n + 1, sizeof *v);
  if (v == NULL) vs_die("alloc", ENOMEM, NULL);
  memcpy(v, r->f, r->n * sizeof *v);
  return v;
}

static const char *one(const struct vs_records *rs, const char *key, bool required) {
  const struct vs_record *r = vs_records_find(rs, key);
  if (r == NULL && !required) return NULL;
  if (r == NULL || r->n != 1) vs_die("spec", EINVAL, key);
  return r->f[0];
}

static void parse(struct vs_start_spec *s) {
  const struct vs_records *rs = &s->rs;
  if (strcmp(one(rs, "version", true), "1") != 0) vs_die("spec", EPROTO, "version");
  s->root = one(rs, "root", true);
  s->rundir = one(rs, "rundir", true);
  s->hostname = one(rs, "hostname", false);
  s->domainname = one(rs, "domainname", false);
  s->log = one(rs, "log", false);
  s->cgroups = vs_records_find(rs, "cgroup-procs");
  s->argv = vs_records_find(rs, "argv");
  s->env = vs_records_find(rs, "env");
  s->on_exit = vs_records_find(rs, "on-exit");
  s->wait_go = vs_records_find(rs, "wait-go") != NULL;
  const char *stdio = one(rs, "stdio", false);
  s->stdio_inherit = stdio != NULL && strcmp(stdio, "inherit") == 0;
  if (stdio != NULL && !s->stdio_inherit && strcmp(stdio, "null") != 0)
    vs_die("spec", EINVAL, "stdio");
  if (s->argv == NULL || s->argv->n == 0 || s->argv->f[0][0] != '/')
    vs_die("spec", EINVAL, "argv");
  if (s->on_exit != NULL && (s->on_exit->n == 0 || s->on_exit->f[0][0] != '/'))
    vs_die("spec", EINVAL, "on-exit");
  if (s->root[0] != '/' || s->rundir[0] != '/') vs_die("spec", EINVAL, "root");
  const char *nofile = one(rs, "rlimit-nofile", false);
  if (nofile != NULL && (vs_parse_u64(nofile, &s->nofile) < 0 || s->nofile == 0))
    vs_die("spec", EINVAL, "rlimit-nofile");
  const char *bad;
  if (vs_sandbox_parse(rs, &s->sandbox, &bad) < 0) vs_die("spec", errno, bad);
  if (vs_userns_parse(rs, &s->userns, &bad) < 0) vs_die("spec", errno, bad);
  for (size_t i = 0; i < rs->n; i++) {
    const char *k = rs->r[i].key;
    if (strcmp(k, "mount") == 0 || strcmp(k, "device") == 0 || strcmp(k, "symlink") == 0) {
      if (rs->r[i].n < 2 || rs->r[i].f[1][0] == '\0') vs_die("spec", EINVAL, k);
      if (rs->r[i].f[0][0] != '/' && strcmp(k, "mount") != 0) vs_die("spec", EINVAL, k);
    }
  }
}

int vs_apply_nofile(const struct vs_start_spec *spec, pid_t pid) {
  if (spec->nofile == 0) return 0;
  struct rlimit rl = {.rlim_cur = (rlim_t)spec->nofile, .rlim_max = (rlim_t)spec->nofile};
  return prlimit(pid, RLIMIT_NOFILE, &rl, NULL);
}

int main(int argc, char **argv) {
  /* Nothing of ours is worth dumping, and a dumpable helper could be ptraced. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (argc == 3 && strcmp(argv[1], "--probe-idmap") == 0) return vs_idmap_probe(argv[2]);
  if (argc != 1) {
    dprintf(2, "usage: vs-start (spec on fd 3, status on fd 4) | vs-start --probe-idmap PATH\n");
    return 2;
  }
  if (fcntl(4, F_GETFD) < 0 || fcntl(3, F_GETFD) < 0) {
    dprintf(2, "vs-start: needs the spec on fd 3 and the status socket on fd 4\n");
    return 2;
  }
  vs_status_fd = 4;
  fcntl(4, F_SETFD, FD_CLOEXEC);
  /* Whatever else the caller left inheritable (node-pty's pty masters, for one) must not
   * live on in a monitor for the server's lifetime: keep 0-4, close the rest. */
  if (vs_close_range(5, ~0u, 0) < 0) vs_die("close-range", errno, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct vs_start_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.sysinfo_sock = -1;
  vs_records_take_spec(&spec.rs);
  parse(&spec);

  spec.root_fd = open(spec.root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (spec.root_fd < 0) vs_die("open-root", errno, spec.root);
  spec.rundir_fd = open(spec.rundir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (spec.rundir_fd < 0) vs_die("open-rundir", errno, spec.rundir);

  pid_t pid = fork();
  if (pid < 0) vs_die("fork", errno, NULL);
  if (pid == 0) vs_monitor_main(&spec);
  return 0;
}
