/* Both helpers run from a sealed in-memory copy of themselves, never from their file.
 *
 * Why: vs-start execs a guest's init and vs-enter a guest's command while the process
 * still is the helper. A guest that makes that program a script with `#!/proc/self/exe`
 * (or an ELF whose interpreter is /proc/self/exe) gets the kernel to run "the current
 * exe" inside the guest, and from there /proc/self/exe is an fd to the host's helper
 * binary: root in a shared-uid server could rewrite it and own the host the next time
 * the agent runs it (runc's CVE-2019-5736). Running from a memfd with every seal set
 * leaves nothing to reach: /proc/self/exe then names a private copy that cannot be
 * written, grown or shrunk, and the host's file is never the exe of a process that
 * touches a guest.
 *
 * This is an ELF constructor (glibc passes argc, argv and envp to them), so it runs
 * before main of either helper: the first run copies /proc/self/exe into a memfd,
 * seals it and re-execs from it with the same argv, environment and open fds (the
 * protocol fds 3 and 4 are inherited as they were); the second run finds its exe
 * sealed and returns. A helper that cannot do this refuses to run (fails closed).
 * Cost: one copy of a ~40 kB binary per helper start (well under 0.1 ms). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every seal: no writes (also through shared mappings), no size change, no unsealing. */
#define VS_SELF_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static void fail(const char *what) {
  dprintf(2, "vs-helper: cannot run from a sealed copy of itself (%s: %s)\n", what, strerror(errno));
  _exit(127);
}

/* Whether `fd` is a memfd carrying all of our seals. A regular file answers EINVAL. */
static int sealed(int fd) {
  int seals = fcntl(fd, F_GET_SEALS);
  return seals >= 0 && (seals & VS_SELF_SEALS) == VS_SELF_SEALS;
}

__attribute__((constructor)) static void vs_run_sealed_self(int argc, char **argv, char **envp) {
  (void)argc;
  /* Nothing here is worth dumping (main says so again). */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0) fail("open /proc/self/exe");
  if (sealed(self)) {
    close(self);
    return;
  }
  struct stat st;
  if (fstat(self, &st) < 0) fail("fstat");
  int copy = memfd_create("vs-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (copy < 0) fail("memfd_create");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(copy, self, &off, (size_t)(st.st_size - off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("copy");
  }
  close(self);
  if (fcntl(copy, F_ADD_SEALS, VS_SELF_SEALS) < 0) fail("seal");
  /* An ELF through an fd: the kernel has read it before close-on-exec closes `copy`
   * (only #! scripts need the fd after exec, and this is none). */
  fexecve(copy, argv, envp);
  fail("fexecve");
}
