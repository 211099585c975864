/* Bounds-checked parser and writer of the NUL-separated record format (see record.h). */
#include "record.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vs_records_read(int fd, struct vs_records *out) {
  size_t cap = 65536, len = 0;
  char *buf = malloc(cap);
  if (buf == NULL) return -1;
  for (;;) {
    if (len == cap) {
      if (cap >= VS_SPEC_MAX) {
        free(buf);
        errno = EFBIG;
        return -1;
      }
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (nb == NULL) {
        free(buf);
        return -1;
      }
      buf = nb;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      free(buf);
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  if (vs_records_parse(buf, len, out) < 0) {
    int e = errno;
    free(buf);
    errno = e;
    return -1;
  }
  return 0;
}

/* Next NUL-terminated string at *pos, or NULL when the buffer ends without a NUL. */
static char *next_str(char *buf, size_t len, size_t *pos) {
  if (*pos >= len) return NULL;
  char *s = buf + *pos;
  char *nul = memchr(s, '\0', len - *pos);
  if (nul == NULL) return NULL;
  *pos = (size_t)(nul - buf) + 1;
  return s;
}

int vs_records_parse(char *buf, size_t len, struct vs_records *out) {
  size_t pos = 0, cap = 16;
  out->buf = buf;
  out->n = 0;
  out->r = calloc(cap, sizeof *out->r);
  if (out->r == NULL) return -1;
  while (pos < len) {
    char *key = next_str(buf, len, &pos);
    char *count = next_str(buf, len, &pos);
    uint64_t n;
    if (key == NULL || count == NULL || *key == '\0' || vs_parse_u64(count, &n) < 0 ||
        n > VS_FIELDS_MAX)
      goto bad;
    char **fields = calloc(n + 1, sizeof *fields);
    if (fields == NULL) return -1;
    for (uint64_t i = 0; i < n; i++) {
      fields[i] = next_str(buf, len, &pos);
      if (fields[i] == NULL) {
        free(fields);
        goto bad;
      }
    }
    if (out->n == cap) {
      cap *= 2;
      struct vs_record *nr = realloc(out->r, cap * sizeof *nr);
      if (nr == NULL) return -1;
      out->r = nr;
    }
    out->r[out->n++] = (struct vs_record){.key = key, .n = (size_t)n, .f = fields};
  }
  return 0;
bad:
  errno = EINVAL;
  return -1;
}

const struct vs_record *vs_records_find(const struct vs_records *rs, const char *key) {
  for (size_t i = 0; i < rs->n; i++)
    if (strcmp(rs->r[i].key, key) == 0) return &rs->r[i];
  return NULL;
}

const char *vs_records_get(const struct vs_records *rs, const char *key, size_t i) {
  const struct vs_record *r = vs_records_find(rs, key);
  return (r != NULL && i < r->n) ? r->f[i] : NULL;
}

int vs_record_write(int fd, const char *key, size_t n, const char *const *fields) {
  char countbuf[24];
  vs_fmt_u64(countbuf, sizeof countbuf, n);
  size_t len = strlen(key) + 1 + strlen(countbuf) + 1;
  for (size_t i = 0; i < n; i++) len += strlen(fields[i]) + 1;
  char *buf = malloc(len);
  if (buf == NULL) return -1;
  size_t pos = 0;
#define PUT(s)                          \
  do {                                  \
    size_t l_ = strlen(s) + 1;          \
    memcpy(buf + pos, (s), l_);         \
    pos += l_;                          \
  } while (0)
  PUT(key);
  PUT(countbuf);
  for (size_t i = 0; i < n; i++) PUT(fields[i]);
#undef PUT
  int rc = vs_write_all(fd, buf, len);
  free(buf);
  return rc;
}

void vs_records_take_spec(struct vs_records *out) {
  if (vs_records_read(3, out) < 0) vs_die("spec", errno, NULL);
  close(3);
}
