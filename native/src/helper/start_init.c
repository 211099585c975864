/*
 * The guest init, from clone3 to execve (ARCHITECTURE.md "Starting a vserver"):
 * cgroups, cgroup ns, [user namespace: the monitor's mounts, become the namespace's
 * root], [go byte], private /, bind root onto itself (or attach the monitor's idmapped
 * root), the spec's mounts, devices and symlinks in order, pivot_root + detach the old
 * root, hostname, a fresh session keyring, setsid, stdio, capabilities + seccomp, close
 * fds, exec. Any failure is one `error` record and _exit: the monitor reaps us and leaves.
 */
#include "mounts.h"
#include "report.h"
#include "start.h"
#include "sysinfo_notify.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

static void wait_for_go(void) {
  vs_emit("waiting", 0, NULL);
  char b = 0;
  ssize_t n;
  do n = read(vs_status_fd, &b, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1 || b != 'g') vs_die("go", n < 0 ? errno : ECANCELED, NULL);
}

/* The root fd from vs-start names a mount of the HOST's namespace, which open_tree and
 * move_mount refuse (EINVAL) in ours: reopen the trusted path here and prove it is the
 * same directory, so nothing could have been swapped in between. */
static int reopen_root(int root_fd, const char *root) {
  int fd = open(root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) vs_die("open-root", errno, root);
  struct stat a, b;
  if (fstat(fd, &a) < 0 || fstat(root_fd, &b) < 0) vs_die("open-root", errno, root);
  if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) vs_die("open-root", ESTALE, root);
  return fd;
}

static int bind_root_onto_itself(int host_root_fd, const char *root) {
  vs_autofd int root_fd = reopen_root(host_root_fd, root);
  int t = vs_open_tree(root_fd, "",
                       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
  if (t < 0) vs_die("bind-root", errno, root);
  if (vs_move_mount(t, "", root_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    vs_die("bind-root", errno, root);
  /* The tree fd now names the root of the new mount; the old fd names what is under it. */
  return t;
}

/* User-namespace mode: the root mount the monitor cloned (and idmapped) goes on top of
 * the root's own path in our namespace; the tree fd then names the mounted root. */
static int attach_root(int tree, int target, const char *root) {
  if (vs_move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    vs_die("attach-root", errno, root);
  close(target);
  return tree;
}

static void pivot(int root, const char *rootpath) {
  if (fchdir(root) < 0) vs_die("pivot_root", errno, rootpath);
  /* pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then
   * removes it, with no need for a put_old directory inside the guest tree. */
  if (vs_pivot_root(".", ".") < 0) vs_die("pivot_root", errno, rootpath);
  if (umount2(".", MNT_DETACH) < 0) vs_die("umount-old-root", errno, NULL);
  if (chdir("/") < 0) vs_die("chdir", errno, "/");
}

static void guest_stdio(void) {
  vs_autofd int fd = open("/dev/null", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd < 0) vs_die("open-stdio", errno, "/dev/null");
  if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
    vs_die("open-stdio", ENODEV, "/dev/null");
  for (int i = 0; i < 3; i++)
    if (dup2(fd, i) < 0) vs_die("dup2", errno, NULL);
}

/* The sandbox installed the sysinfo filter after the deny-list: our sysinfo calls (and
 * those of every process the guest starts) wait for the monitor, which gets the listener.
 * Where the kernel cannot, nothing is sent and the kernel answers as before. The listener
 * is never ours past exec: it is sent, then closed. */
static void hand_over_sysinfo(int sock, int listener) {
  if (sock < 0) return;
  if (listener >= 0) {
    if (vs_send_fds(sock, &listener, 1) < 0) vs_die("sysinfo-listener", errno, NULL);
    close(listener);
  }
  close(sock);
}

_Noreturn void vs_init_main(struct vs_start_spec *spec, int fail_fd, int userns_sock) {
  vs_fail_fd = fail_fd;
  /* Until exec, die with the monitor: a half-started guest must not outlive it. */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  close(spec->rundir_fd);
  /* Still the host's root here (shared-uid mode): a raise works where the host allows it. */
  if (!spec->userns.on && vs_apply_nofile(spec, 0) < 0) vs_die("rlimit-nofile", errno, NULL);
  if (spec->cgroups != NULL) {
    const char *failed = NULL;
    if (vs_join_cgroups(spec->cgroups->f, spec->cgroups->n, &failed) < 0)
      vs_die("cgroup", errno, failed);
  }
  if (unshare(CLONE_NEWCGROUP) < 0) vs_die("unshare-cgroupns", errno, NULL);
  int tree = -1, target = -1;
  struct vs_bind_sources binds, *prepared = NULL;
  if (spec->userns.on) {
    /* Still host uid 0 (capable only in our new namespaces): the root's path is reached
     * now, as the namespace's root could not search the host directories above it. */
    target = reopen_root(spec->root_fd, spec->root);
    close(spec->root_fd);
    vs_userns_receive(userns_sock, &tree, &binds);
    close(userns_sock);
    vs_userns_become_root();
    prepared = &binds;
  }
  if (spec->wait_go) wait_for_go();

  umask(0);
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) vs_die("make-private", errno, "/");
  int root;
  if (spec->userns.on) {
    root = attach_root(tree, target, spec->root);
  } else {
    root = bind_root_onto_itself(spec->root_fd, spec->root);
    close(spec->root_fd);
  }

  const struct vs_records *rs = &spec->rs;
  for (size_t i = 0; i < rs->n; i++) {
    const struct vs_record *r = &rs->r[i];
    if (strcmp(r->key, "mount") == 0) vs_do_mount(root, r, prepared);
    else if (strcmp(r->key, "device") == 0) vs_do_device(root, r);
    else if (strcmp(r->key, "symlink") == 0) vs_do_symlink(root, r);
  }
  pivot(root, spec->root);
  close(root);

  if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
    vs_die("sethostname", errno, spec->hostname);
  if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
    vs_die("setdomainname", errno, spec->domainname);
  /* The session keyring is inherited; a fresh anonymous one keeps host keys out. */
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
    vs_die("keyctl-session", errno, NULL);
  if (setsid() < 0) vs_die("setsid", errno, NULL);
  if (!spec->stdio_inherit) guest_stdio();

  char **argv = vs_fields_vec(spec->argv);
  static char *empty_env[] = {NULL};
  char **envp = spec->env ? vs_fields_vec(spec->env) : empty_env;

  int listener = -1;
  if (spec->sysinfo_sock >= 0) spec->sandbox.sysinfo_listener = &listener;
  vs_sandbox_apply(&spec->sandbox);
  hand_over_sysinfo(spec->sysinfo_sock, listener);
  vs_reset_signals();
  umask(022);
  vs_cloexec_all();
  vs_emit("exec", 0, NULL);
  prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
  execve(argv[0], argv, envp);
  vs_die("exec", errno, argv[0]);
}
