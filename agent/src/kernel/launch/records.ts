/**
 * The record codec shared with native/src/helper/record.c. A record is
 * `KEY \0 COUNT \0 FIELD_1 \0 … FIELD_COUNT \0`; strings never contain NUL, so encoding
 * needs no quoting and a crafted value cannot change the structure.
 */

/** One record: a key and its string fields. */
export interface SpecRecord {
  key: string;
  fields: string[];
}

function assertNoNul(s: string, what: string): void {
  if (s.includes("\0")) throw new TypeError(`${what} must not contain NUL bytes`);
}

/** Encodes records for a helper's spec fd; throws TypeError on a NUL in any string. */
export function encodeRecords(records: readonly SpecRecord[]): Buffer {
  const parts: string[] = [];
  for (const r of records) {
    assertNoNul(r.key, "record key");
    if (r.key === "") throw new TypeError("record key must not be empty");
    parts.push(r.key, String(r.fields.length));
    for (const f of r.fields) {
      assertNoNul(f, `field of ${r.key}`);
      parts.push(f);
    }
  }
  return Buffer.from(parts.map((p) => p + "\0").join(""), "utf8");
}

/**
 * Incremental decoder for a helper's status stream: feed chunks as they arrive, get the
 * complete records back; an incomplete tail waits for the next chunk.
 */
export class RecordDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds bytes and returns every record completed by them. */
  push(chunk: Buffer): SpecRecord[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: SpecRecord[] = [];
    for (;;) {
      const r = this.tryOne();
      if (r === undefined) break;
      out.push(r);
    }
    return out;
  }

  /** Bytes received that do not yet form a whole record (non-zero at EOF = truncated). */
  get leftover(): number {
    return this.pending.length;
  }

  private tryOne(): SpecRecord | undefined {
    const strs: string[] = [];
    let pos = 0;
    const next = (): string | undefined => {
      const nul = this.pending.indexOf(0, pos);
      if (nul < 0) return undefined;
      const s = this.pending.subarray(pos, nul).toString("utf8");
      pos = nul + 1;
      return s;
    };
    const key = next();
    const count = key === undefined ? undefined : next();
    if (key === undefined || count === undefined) return undefined;
    if (!/^\d{1,5}$/.test(count)) throw new Error(`malformed record count ${JSON.stringify(count)}`);
    for (let i = 0; i < Number(count); i++) {
      const f = next();
      if (f === undefined) return undefined;
      strs.push(f);
    }
    this.pending = this.pending.subarray(pos);
    return { key, fields: strs };
  }
}
