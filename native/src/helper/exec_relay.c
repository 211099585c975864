/*
 * The host side of exec (passthrough) mode. The command gets pipes made by vs-enter, not
 * our own stdio: a guest process then never holds the agent's pipes (or a terminal), and
 * a daemon the command leaves running cannot keep the caller waiting for EOF. When the
 * command exits we move what it already wrote and stop.
 */
#include "enter.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* After the exit: only what is in the pipe now (a leftover daemon may write forever). */
static void drain(int from, int to) {
  fcntl(from, F_SETFL, fcntl(from, F_GETFL) | O_NONBLOCK);
  char buf[16384];
  for (int i = 0; i < 1024; i++) {
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0 || vs_write_all(to, buf, (size_t)n) < 0) return;
  }
}

int vs_exec_relay(int in_w, int out_r, int err_r, pid_t child) {
  sigset_t mask;
  sigemptyset(&mask);
  int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaddset(&mask, sigs[i]);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
  /* Writing to a command that stopped reading must not kill us. */
  signal(SIGPIPE, SIG_IGN);

  bool in_open = true, out_open = true, err_open = true;
  int status = 0;
  for (;;) {
    if (waitpid(child, &status, WNOHANG) == child) break;
    struct pollfd p[4] = {
        {.fd = in_open ? 0 : -1, .events = POLLIN},
        {.fd = out_open ? out_r : -1, .events = POLLIN},
        {.fd = err_open ? err_r : -1, .events = POLLIN},
        {.fd = sfd, .events = POLLIN},
    };
    if (poll(p, 4, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[1].revents) out_open = vs_pump(out_r, 1);
    if (p[2].revents) err_open = vs_pump(err_r, 2);
    if (p[0].revents) {
      in_open = vs_pump(0, in_w);
      if (!in_open) close(in_w); /* EOF on our stdin: EOF for the command */
    }
    if (p[3].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD)
        kill(child, (int)si.ssi_signo);
    }
  }
  if (out_open) drain(out_r, 1);
  if (err_open) drain(err_r, 2);
  return status;
}
