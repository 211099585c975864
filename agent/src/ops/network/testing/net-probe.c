/*
 * A static test program copied into busybox guests by the network tests, for what busybox
 * cannot do (built by net-probe.ts with `gcc -static`). Addresses of either family.
 *   listen PORT MS          UDP on [::]:PORT (both families) for up to MS ms; one line per
 *                           datagram: "from SRC TAG"; "ready" first; ends at the tag "end"
 *   send SRC DST PORT TAG   one UDP datagram from SRC (bound: it must be the sender's)
 *   spoof SRC DST PORT TAG  one UDP datagram with a forged source, through a raw socket
 *                           (IP_HDRINCL / IPV6_HDRINCL: needs only CAP_NET_RAW)
 *   recv PORT SKIP MS       accept one TCP connection, ignore SKIP ms (slow start), then
 *                           print "bits_per_sec N" over MS ms; "ready" first
 *   blast DST PORT MS       connect and write as fast as possible for MS ms
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL 36
#endif

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *what) {
  printf("error %s %s\n", what, strerror(errno));
  exit(1);
}

/* Fills `ss` with ADDR:PORT; returns the address length, 0 when ADDR is not an address. */
static socklen_t sockaddr_of(const char *addr, int port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    return sizeof *a4;
  }
  if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    return sizeof *a6;
  }
  return 0;
}

static int listen_udp(int port, int ms) {
  int fd = socket(AF_INET6, SOCK_DGRAM, 0);
  int off = 0;
  setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = in6addr_any};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  printf("ready\n");
  fflush(stdout);
  long long end = now_ms() + ms;
  for (long long left; (left = end - now_ms()) > 0;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)left) <= 0) continue;
    char buf[256], from[INET6_ADDRSTRLEN];
    struct sockaddr_in6 src;
    socklen_t len = sizeof src;
    ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&src, &len);
    if (n < 0) continue;
    buf[n] = 0;
    if (strcmp(buf, "end") == 0) break;
    inet_ntop(AF_INET6, &src.sin6_addr, from, sizeof from);
    /* Show IPv4 senders as dotted quads, not ::ffff:a.b.c.d. */
    printf("from %s %s\n", strncmp(from, "::ffff:", 7) == 0 ? from + 7 : from, buf);
    fflush(stdout);
  }
  return 0;
}

static int send_udp(const char *src, const char *dst, int port, const char *tag) {
  struct sockaddr_storage s, d;
  socklen_t sl = sockaddr_of(src, 0, &s), dl = sockaddr_of(dst, port, &d);
  if (!sl || !dl) die("address");
  int fd = socket(d.ss_family, SOCK_DGRAM, 0);
  if (bind(fd, (struct sockaddr *)&s, sl) < 0) die("bind");
  if (sendto(fd, tag, strlen(tag), 0, (struct sockaddr *)&d, dl) < 0) die("sendto");
  printf("sent\n");
  return 0;
}

static uint16_t checksum(const void *data, size_t len, uint32_t sum) {
  const uint8_t *p = data;
  for (; len > 1; len -= 2, p += 2) sum += (uint32_t)(p[0] << 8 | p[1]);
  if (len) sum += (uint32_t)(p[0] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

static int spoof(const char *src, const char *dst, int port, const char *tag) {
  struct sockaddr_storage s, d;
  if (!sockaddr_of(src, 0, &s) || !sockaddr_of(dst, 0, &d) || s.ss_family != d.ss_family) die("address");
  size_t taglen = strlen(tag);
  uint8_t pkt[512];
  memset(pkt, 0, sizeof pkt);
  int fd;
  size_t len;
  struct udphdr *u;
  if (d.ss_family == AF_INET) {
    struct iphdr *ip = (struct iphdr *)pkt;
    u = (struct udphdr *)(pkt + sizeof *ip);
    len = sizeof *ip + sizeof *u + taglen;
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->tot_len = htons((uint16_t)len);
    ip->saddr = ((struct sockaddr_in *)&s)->sin_addr.s_addr;
    ip->daddr = ((struct sockaddr_in *)&d)->sin_addr.s_addr;
    u->check = 0; /* optional over IPv4 */
    fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  } else {
    struct ip6_hdr *ip = (struct ip6_hdr *)pkt;
    u = (struct udphdr *)(pkt + sizeof *ip);
    len = sizeof *ip + sizeof *u + taglen;
    ip->ip6_flow = htonl(6u << 28);
    ip->ip6_plen = htons((uint16_t)(sizeof *u + taglen));
    ip->ip6_nxt = IPPROTO_UDP;
    ip->ip6_hlim = 64;
    ip->ip6_src = ((struct sockaddr_in6 *)&s)->sin6_addr;
    ip->ip6_dst = ((struct sockaddr_in6 *)&d)->sin6_addr;
    fd = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
    int on = 1;
    if (fd >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_HDRINCL, &on, sizeof on) < 0) die("IPV6_HDRINCL");
  }
  if (fd < 0) die("socket");
  u->source = htons(40000);
  u->dest = htons((uint16_t)port);
  u->len = htons((uint16_t)(sizeof *u + taglen));
  memcpy((uint8_t *)u + sizeof *u, tag, taglen);
  if (d.ss_family == AF_INET6) {
    /* The UDP checksum is mandatory over IPv6: pseudo-header + UDP header + data. */
    struct ip6_hdr *ip = (struct ip6_hdr *)pkt;
    uint32_t sum = 0;
    const uint8_t *a = (const uint8_t *)&ip->ip6_src;
    for (int i = 0; i < 32; i += 2) sum += (uint32_t)(a[i] << 8 | a[i + 1]);
    sum += (uint32_t)(sizeof *u + taglen) + IPPROTO_UDP;
    u->check = htons(checksum(u, sizeof *u + taglen, sum));
    if (u->check == 0) u->check = 0xffff;
  }
  if (sendto(fd, pkt, len, 0, (struct sockaddr *)&d, d.ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) < 0) die("sendto");
  printf("sent\n");
  return 0;
}

static int recv_tcp(int port, int skip, int ms) {
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  int off = 0, on = 1;
  setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = in6addr_any};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1) < 0) die("listen");
  printf("ready\n");
  fflush(stdout);
  int c = accept(fd, NULL, NULL);
  if (c < 0) die("accept");
  static char buf[1 << 16];
  long long start = now_ms() + skip, end = start + ms, bytes = 0;
  for (;;) {
    ssize_t n = read(c, buf, sizeof buf);
    if (n <= 0) break;
    long long t = now_ms();
    if (t >= end) break;
    if (t >= start) bytes += n;
  }
  printf("bits_per_sec %lld\n", bytes * 8 * 1000 / ms);
  return 0;
}

static int blast(const char *dst, int port, int ms) {
  struct sockaddr_storage d;
  socklen_t dl = sockaddr_of(dst, port, &d);
  if (!dl) die("address");
  int fd = socket(d.ss_family, SOCK_STREAM, 0);
  if (connect(fd, (struct sockaddr *)&d, dl) < 0) die("connect");
  static char buf[1 << 16];
  memset(buf, 'a', sizeof buf);
  long long end = now_ms() + ms;
  while (now_ms() < end)
    if (write(fd, buf, sizeof buf) < 0) break;
  printf("done\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "listen") == 0) return listen_udp(atoi(argv[2]), atoi(argv[3]));
  if (argc == 6 && strcmp(argv[1], "send") == 0) return send_udp(argv[2], argv[3], atoi(argv[4]), argv[5]);
  if (argc == 6 && strcmp(argv[1], "spoof") == 0) return spoof(argv[2], argv[3], atoi(argv[4]), argv[5]);
  if (argc == 5 && strcmp(argv[1], "recv") == 0) return recv_tcp(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
  if (argc == 5 && strcmp(argv[1], "blast") == 0) return blast(argv[2], atoi(argv[3]), atoi(argv[4]));
  fprintf(stderr, "usage: net-probe listen PORT MS | send SRC DST PORT TAG | spoof SRC DST PORT TAG | recv PORT SKIP MS | blast DST PORT MS\n");
  return 2;
}
