/*
 * The host side of a pty session: bytes between our stdin/stdout (a pipe, a node-pty
 * slave or the admin's terminal) and the guest's pty master. We never hand our own
 * terminal to the guest; the guest only ever sees its own devpts.
 */
#include "enter.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static bool raw_set;

static void restore_tty(void) {
  if (raw_set) tcsetattr(0, TCSADRAIN, &saved);
}

/* Our terminal goes raw so keystrokes (^C, ^Z, arrows) reach the guest's line
 * discipline untouched, which then does the echoing and signalling. */
static void make_raw(void) {
  if (!isatty(0) || tcgetattr(0, &saved) < 0) return;
  struct termios t = saved;
  cfmakeraw(&t);
  if (tcsetattr(0, TCSADRAIN, &t) == 0) {
    raw_set = true;
    atexit(restore_tty);
  }
}

static void copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

int vs_pty_relay(int master, pid_t child) {
  sigset_t mask;
  sigemptyset(&mask);
  int sigs[] = {SIGCHLD, SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGQUIT};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaddset(&mask, sigs[i]);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
  make_raw();
  copy_winsize(master);

  bool in_open = true, master_open = true;
  int status = 0;
  bool exited = false;
  while (!exited || master_open) {
    struct pollfd p[3] = {
        {.fd = in_open ? 0 : -1, .events = POLLIN},
        {.fd = master_open ? master : -1, .events = POLLIN},
        {.fd = sfd, .events = POLLIN},
    };
    /* After the shell exited, drain what it left without waiting on lingering holders
     * of the slave (background jobs). */
    int rc = poll(p, 3, exited ? 0 : -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) break;
    if (rc == 0) break;
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) master_open = vs_pump(master, 1);
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) in_open = vs_pump(0, master);
    if (p[2].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) != sizeof si) continue;
      if (si.ssi_signo == SIGWINCH) copy_winsize(master);
      else if (si.ssi_signo != SIGCHLD) kill(child, SIGHUP); /* like a hangup */
    }
    if (!exited && waitpid(child, &status, WNOHANG) == child) exited = true;
  }
  if (!exited) waitpid(child, &status, 0);
  close(master);
  restore_tty();
  return status;
}
