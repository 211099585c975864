/* The monitor's loop: the guest's sysinfo listeners and the init's exit, polled together. */
#include "sysinfo_notify.h"
#include "sysinfo_socket.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Most fds the loop polls (the init's pidfd and listener, the bound socket, one listener
 * per entered command whose processes still live, hand-overs under way); well under the
 * usual 1024 open files. */
#define SYSINFO_MAX_FDS 512

enum { K_INIT, K_BOUND, K_CONN, K_LISTENER };

/* A fd received from a connection is used only if it is a seccomp listener. */
static bool is_listener(int fd) {
  char path[64], link[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, link, sizeof link - 1);
  if (n < 0) return false;
  link[n] = '\0';
  return strcmp(link, "anon_inode:seccomp notify") == 0;
}

/* See sysinfo_notify.h. */
void vs_sysinfo_serve(int pidfd, int listener, int bound, char *const *procs_paths,
                      size_t n_paths, uint64_t start) {
  if (listener < 0) {
    if (bound >= 0) close(bound);
    return;
  }
  struct vs_sysinfo_src src;
  vs_sysinfo_src_open(&src, procs_paths, n_paths, start);
  static struct pollfd p[SYSINFO_MAX_FDS];
  static int kind[SYSINFO_MAX_FDS];
  size_t n = 0;
  p[n] = (struct pollfd){.fd = pidfd, .events = POLLIN};
  kind[n++] = K_INIT;
  p[n] = (struct pollfd){.fd = listener, .events = POLLIN};
  kind[n++] = K_LISTENER;
  if (bound >= 0) {
    p[n] = (struct pollfd){.fd = bound, .events = POLLIN};
    kind[n++] = K_BOUND;
  }
  for (;;) {
    /* Full: take no new connection (a command entered meanwhile finds the backlog full
     * and keeps the kernel's answer) until a listener leaves. */
    for (size_t i = 1; i < n; i++)
      if (kind[i] == K_BOUND) p[i].events = n < SYSINFO_MAX_FDS ? POLLIN : 0;
    if (poll(p, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[0].revents != 0) break;
    for (size_t i = 1; i < n; i++) {
      short ev = p[i].revents;
      if (ev == 0) continue;
      int drop = 0;
      if (kind[i] == K_LISTENER) {
        drop = (ev & POLLIN) ? vs_sysinfo_answer_one(p[i].fd, &src) < 0 : 1;
      } else if (kind[i] == K_BOUND) {
        int c = vs_sysinfo_accept(p[i].fd);
        if (c >= 0 && n < SYSINFO_MAX_FDS) {
          p[n] = (struct pollfd){.fd = c, .events = POLLIN};
          kind[n++] = K_CONN;
        } else if (c >= 0) {
          close(c);
        } else if (errno != EAGAIN && errno != ECONNABORTED && errno != EPERM && errno != EINTR) {
          drop = 1; /* EMFILE and the like would wake us forever: no more hand-overs */
        }
      } else { /* K_CONN: one listener, then done */
        int conn = p[i].fd, l = -1;
        int r = vs_recv_fds(conn, &l, 1);
        if (r < 0 && errno == EAGAIN) continue;
        close(conn);
        if (r == 1 && is_listener(l)) {
          p[i].fd = l; /* the connection's slot becomes the listener's */
          kind[i] = K_LISTENER;
          continue;
        }
        if (r == 1) close(l);
        p[i].fd = -1; /* closed above */
        drop = 1;
      }
      if (drop) {
        if (p[i].fd >= 0) close(p[i].fd);
        p[i] = p[n - 1];
        kind[i] = kind[n - 1];
        n--;
        i--;
      }
    }
  }
  for (size_t i = 1; i < n; i++) close(p[i].fd);
  if (src.mem_dir >= 0) close(src.mem_dir);
  if (src.pids_dir >= 0) close(src.pids_dir);
}

