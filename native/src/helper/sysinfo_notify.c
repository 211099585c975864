/* See sysinfo_notify.h. */
#include "sysinfo_notify.h"
#include "util.h"
#include "../sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

/* FLAG_CONTINUE (our answer to every failure) came in Linux 5.5; without it a failed
 * answer could only be an error, so older kernels keep the kernel's own sysinfo. */
static int kernel_has_continue(void) {
  struct utsname u;
  unsigned major = 0, minor = 0;
  if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2) return 0;
  return major > 5 || (major == 5 && minor >= 5);
}

int vs_sysinfo_filter_install(void) {
  if (!kernel_has_continue()) {
    errno = ENOSYS;
    return -1;
  }
  /* Only x86_64's sysinfo: the i386 struct has another layout, and x32 numbers are denied
   * by the deny-list (whose ERRNO outranks our USER_NOTIF for any call both match). */
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sysinfo, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = (unsigned short)(sizeof f / sizeof f[0]), .filter = f};
  int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
                        &prog);
  if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

static int open_dir_of(const char *procs_path) {
  const char *slash = strrchr(procs_path, '/');
  if (slash == NULL || slash == procs_path) return -1;
  char dir[4096];
  size_t len = (size_t)(slash - procs_path);
  if (len >= sizeof dir) return -1;
  memcpy(dir, procs_path, len);
  dir[len] = '\0';
  return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int has(int dir, const char *file) { return faccessat(dir, file, F_OK, 0) == 0; }

void vs_sysinfo_src_open(struct vs_sysinfo_src *src, char *const *procs_paths, size_t n,
                         uint64_t start_ticks) {
  src->mem_dir = src->pids_dir = -1;
  src->start_ticks = start_ticks;
  for (size_t i = 0; i < n; i++) {
    int d = open_dir_of(procs_paths[i]);
    if (d < 0) continue;
    int used = 0;
    if (src->mem_dir < 0 && (has(d, "memory.limit_in_bytes") || has(d, "memory.max"))) {
      src->mem_dir = d;
      used = 1;
    }
    if (src->pids_dir < 0 && has(d, "pids.current")) {
      src->pids_dir = used ? dup(d) : d;
      used = 1;
    }
    if (!used) close(d);
  }
}

/* A cgroup number: decimal, or "max" (v2's no-limit) as UINT64_MAX. -1 when unreadable. */
static int read_num(int dir, const char *file, uint64_t *out) {
  if (dir < 0) return -1;
  vs_autofd int fd = openat(dir, file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[64];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = '\0';
  if (buf[n - 1] == '\n') buf[n - 1] = '\0';
  if (strcmp(buf, "max") == 0) {
    *out = UINT64_MAX;
    return 0;
  }
  return vs_parse_u64(buf, out);
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t sub_or_0(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* Memory and swap: limit and usage of the server's memory cgroup, v2 or v1. */
static void fill_memory(struct sysinfo *si, int dir) {
  uint64_t host_ram = (uint64_t)si->totalram * si->mem_unit;
  uint64_t host_swap = (uint64_t)si->totalswap * si->mem_unit;
  uint64_t host_free_swap = (uint64_t)si->freeswap * si->mem_unit;
  uint64_t limit, usage, swlimit, swusage;
  int v2 = has(dir, "memory.max");
  if (read_num(dir, v2 ? "memory.max" : "memory.limit_in_bytes", &limit) < 0 ||
      read_num(dir, v2 ? "memory.current" : "memory.usage_in_bytes", &usage) < 0)
    return;
  uint64_t total = min_u64(limit, host_ram);
  uint64_t free_ram = sub_or_0(total, usage);
  uint64_t total_swap = host_swap, free_swap = host_free_swap;
  if (v2) {
    if (read_num(dir, "memory.swap.max", &swlimit) == 0 &&
        read_num(dir, "memory.swap.current", &swusage) == 0) {
      total_swap = min_u64(swlimit, host_swap);
      free_swap = sub_or_0(total_swap, swusage);
    }
  } else if (read_num(dir, "memory.memsw.limit_in_bytes", &swlimit) == 0 &&
             read_num(dir, "memory.memsw.usage_in_bytes", &swusage) == 0) {
    /* v1 counts memory + swap together: the swap part is what exceeds memory. */
    total_swap = min_u64(sub_or_0(swlimit, limit), host_swap);
    free_swap = sub_or_0(total_swap, sub_or_0(swusage, usage));
  }
  si->mem_unit = 1;
  si->totalram = total;
  si->freeram = free_ram;
  si->sharedram = 0;
  si->bufferram = 0;
  si->totalswap = total_swap;
  si->freeswap = free_swap;
  si->totalhigh = si->freehigh = 0;
}

/* The server's sysinfo: the host's, with uptime, memory, swap and process count replaced
 * by the server's (loads stay the host's: per-cgroup load averages are not kept by the
 * kernel). */
static int compute(const struct vs_sysinfo_src *src, struct sysinfo *si) {
  if (sysinfo(si) < 0) return -1;
  struct timespec now;
  long tck = sysconf(_SC_CLK_TCK);
  if (clock_gettime(CLOCK_BOOTTIME, &now) < 0 || tck <= 0) return -1;
  uint64_t started = src->start_ticks / (uint64_t)tck;
  si->uptime = (long)sub_or_0((uint64_t)now.tv_sec, started);
  if (src->mem_dir >= 0) fill_memory(si, src->mem_dir);
  uint64_t procs;
  if (read_num(src->pids_dir, "pids.current", &procs) == 0)
    si->procs = (unsigned short)min_u64(procs, 65535);
  return 0;
}

/* The answer goes into the caller's memory through /proc/PID/mem, opened BEFORE the
 * notification is checked still valid: the open fd then names the process that is
 * waiting, even if it died afterwards and its pid were reused (seccomp_unotify(2)). */
static int write_answer(int listener, const struct seccomp_notif *req, const struct sysinfo *si) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%u/mem", req->pid);
  vs_autofd int mem = open(path, O_WRONLY | O_CLOEXEC);
  if (mem < 0) return -1;
  uint64_t id = req->id;
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0) return -1;
  ssize_t w = pwrite(mem, si, sizeof *si, (off_t)req->data.args[0]);
  return w == (ssize_t)sizeof *si ? 0 : -1;
}

int vs_sysinfo_answer_one(int listener, const struct vs_sysinfo_src *src) {
  static struct seccomp_notif_sizes sizes;
  if (sizes.seccomp_notif == 0 &&
      syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
    return -1;
  /* The kernel's structs may be larger than our headers' (newer kernel): its sizes. */
  size_t req_size = sizes.seccomp_notif > sizeof(struct seccomp_notif)
                        ? sizes.seccomp_notif : sizeof(struct seccomp_notif);
  size_t resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)
                         ? sizes.seccomp_notif_resp : sizeof(struct seccomp_notif_resp);
  char req_buf[512] __attribute__((aligned(8)));
  char resp_buf[512] __attribute__((aligned(8)));
  if (req_size > sizeof req_buf || resp_size > sizeof resp_buf) return -1;
  memset(req_buf, 0, sizeof req_buf);
  memset(resp_buf, 0, sizeof resp_buf);
  struct seccomp_notif *req = (struct seccomp_notif *)req_buf;
  struct seccomp_notif_resp *resp = (struct seccomp_notif_resp *)resp_buf;
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
    /* ENOENT: the caller died (or was signalled) before we took it; nothing to answer. */
    return errno == EINTR || errno == ENOENT ? 0 : -1;
  }
  resp->id = req->id;
  resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  struct sysinfo si;
  memset(&si, 0, sizeof si);
  if (req->data.arch == AUDIT_ARCH_X86_64 && req->data.nr == __NR_sysinfo &&
      compute(src, &si) == 0 && write_answer(listener, req, &si) == 0) {
    resp->flags = 0;
    resp->val = 0;
    resp->error = 0;
  }
  /* ENOENT here: the caller is gone; not the listener's fault. */
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT) return 0;
  return 0;
}
