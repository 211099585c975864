/*
 * The record codec shared by the helpers and agent/src/kernel/launch/records.ts.
 *
 * A stream is a sequence of records; a record is
 *     KEY '\0' COUNT '\0' FIELD_1 '\0' ... FIELD_COUNT '\0'
 * with COUNT in decimal. Strings never contain NUL, so parsing is a bounds-checked walk
 * over one buffer: no quoting, no escaping, nothing for a crafted value to break.
 */
#ifndef VS_RECORD_H
#define VS_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#define VS_SPEC_MAX (4u << 20)
#define VS_FIELDS_MAX 65536u

struct vs_record {
  const char *key;
  size_t n;
  char **f;
};

struct vs_records {
  struct vs_record *r;
  size_t n;
  char *buf;
};

/* Read fd to EOF (at most VS_SPEC_MAX bytes) and parse. -1 with errno on failure
 * (EINVAL for a malformed stream, EFBIG when too large). */
int vs_records_read(int fd, struct vs_records *out);

/* Both helpers' first step: read the spec the agent wrote on fd 3, then close fd 3 (the
 * guest must not inherit it); dies with step "spec" when it cannot be read. */
void vs_records_take_spec(struct vs_records *out);
int vs_records_parse(char *buf, size_t len, struct vs_records *out);

/* First record with this key, or NULL. */
const struct vs_record *vs_records_find(const struct vs_records *rs, const char *key);

/* Field i of the first record `key`, or NULL when absent. */
const char *vs_records_get(const struct vs_records *rs, const char *key, size_t i);

/* Write one record with a single write(2), so records from the monitor and the init
 * (which share the status socket) never interleave. */
int vs_record_write(int fd, const char *key, size_t n, const char *const *fields);

#endif
