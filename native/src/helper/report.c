/* See report.h. */
#include "report.h"
#include "record.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int vs_status_fd = -1;
int vs_fail_fd = -1;

void vs_emit(const char *key, size_t n, const char *const *fields) {
  if (vs_status_fd >= 0) (void)vs_record_write(vs_status_fd, key, n, fields);
}

void vs_emit_num(const char *key, long long a) {
  char buf[24];
  vs_fmt_i64(buf, sizeof buf, a);
  const char *f[] = {buf};
  vs_emit(key, 1, f);
}

_Noreturn void vs_die(const char *step, int err, const char *path) {
  char errbuf[24];
  vs_fmt_i64(errbuf, sizeof errbuf, err);
  const char *f[] = {step, errbuf, path ? path : ""};
  if (vs_status_fd >= 0)
    vs_emit("error", 3, f);
  else
    dprintf(2, "vs-helper: %s: %s%s%s\n", step, strerror(err), path ? ": " : "", path ? path : "");
  if (vs_fail_fd >= 0) (void)vs_write_all(vs_fail_fd, "E", 1);
  _exit(VS_EXIT_HELPER_FAILED);
}

void vs_check_parent_alive(void) {
  if (vs_fail_fd < 0) return;
  /* The write end of a pipe polls POLLERR once its reader is gone. */
  struct pollfd p = {.fd = vs_fail_fd, .events = 0};
  if (poll(&p, 1, 0) < 0) vs_die("poll", errno, NULL);
  if (p.revents & (POLLERR | POLLHUP)) _exit(VS_EXIT_HELPER_FAILED);
}
