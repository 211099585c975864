/* Cleanup attributes in the style of bubblewrap: resources are released on every path
 * out of a scope, errno preserved, so early returns cannot leak fds into a guest.
 * Kept apart from sys.h so files that need <linux/fs.h> (which clashes with
 * <sys/mount.h>) can use them too. */
#ifndef VS_CLEANUP_H
#define VS_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void vs_close_fdp(int *fdp) {
  if (*fdp >= 0) {
    int saved = errno;
    close(*fdp);
    errno = saved;
  }
}

static inline void vs_freep(void *p) {
  int saved = errno;
  free(*(void **)p);
  errno = saved;
}

#define vs_autofd __attribute__((cleanup(vs_close_fdp)))
#define vs_autofree __attribute__((cleanup(vs_freep)))

/* Hand ownership of an fd out of an autofd scope. */
static inline int vs_steal_fd(int *fdp) {
  int fd = *fdp;
  *fdp = -1;
  return fd;
}

#endif
