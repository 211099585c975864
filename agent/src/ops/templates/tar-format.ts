/**
 * The tar format of templates: POSIX ustar headers, with pax extended headers ('x')
 * where a field does not fit (long or non-ASCII names, big sizes and ids) and for
 * xattrs (SCHILY.xattr.*, as GNU tar and bsdtar write them). Names are raw bytes (a
 * guest's file names need not be UTF-8). The reader also understands GNU long names
 * ('L'/'K') and base-256 numbers, so tarballs made by GNU tar or bsdtar work as templates.
 */

/** Entry types we write and accept. */
export type TarType = "file" | "hardlink" | "symlink" | "char" | "block" | "dir" | "fifo";

/** One archive member's metadata. */
export interface TarHeader {
  /** Relative path, raw bytes, without a leading "./" ("" for the root itself). */
  path: Buffer;
  type: TarType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  /** Symlink target or hard link's first name (raw bytes). */
  linkname: Buffer;
  devmajor: number;
  devminor: number;
  /** Extended attributes (name → value). */
  xattrs: Map<string, Buffer>;
}

/** Tar block size. */
export const BLOCK = 512;

const TYPE_FLAG: Record<TarType, string> = { file: "0", hardlink: "1", symlink: "2", char: "3", block: "4", dir: "5", fifo: "6" };

/** Octal field of `width` bytes (width-1 digits and a NUL), or null when the value does not fit. */
function octal(value: number, width: number): Buffer | null {
  const digits = Math.trunc(value).toString(8);
  if (value < 0 || digits.length > width - 1) return null;
  return Buffer.from(`${digits.padStart(width - 1, "0")}\0`, "latin1");
}

/** One pax record "LEN key=value\n" (LEN counts the whole record, its own digits too). */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, "utf8"), value, Buffer.from("\n")]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len), "latin1"), body]);
}

/** The archive name of a relative path: "./" for the root, "./a/b" (dirs end in "/"). */
export function archiveName(path: Buffer, type: TarType): Buffer {
  const slash = type === "dir" ? "/" : "";
  return path.length === 0 ? Buffer.from("./") : Buffer.concat([Buffer.from("./"), path, Buffer.from(slash)]);
}

/** Splits a name into ustar prefix (≤155) and name (≤100) at a slash, or null. */
function splitUstar(name: Buffer): { prefix: Buffer; name: Buffer } | null {
  if (name.length <= 100) return { prefix: Buffer.alloc(0), name };
  for (let i = Math.min(155, name.length - 1); i > 0; i--) {
    if (name[i] === 0x2f && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return { prefix: name.subarray(0, i), name: name.subarray(i + 1) };
  }
  return null;
}

const ascii = (b: Buffer) => b.every((c) => c >= 0x20 && c < 0x7f);

/** Encodes one member's header block(s): a pax header first when needed. Data follows. */
export function encodeHeader(h: TarHeader): Buffer {
  const name = archiveName(h.path, h.type);
  const pax: Buffer[] = [];
  const split = ascii(name) ? splitUstar(name) : null;
  if (!split) pax.push(paxRecord("path", name));
  if (h.linkname.length > 100 || !ascii(h.linkname)) pax.push(paxRecord("linkpath", h.linkname));
  const fields: [string, number, number][] = [["uid", h.uid, 8], ["gid", h.gid, 8], ["size", h.size, 12], ["mtime", h.mtime, 12]];
  for (const [key, value, width] of fields) if (!octal(value, width)) pax.push(paxRecord(key, Buffer.from(String(Math.trunc(value)))));
  for (const [k, v] of h.xattrs) pax.push(paxRecord(`SCHILY.xattr.${k}`, v));
  const main = ustarBlock({
    name: split?.name ?? name.subarray(0, 100),
    prefix: split?.prefix ?? Buffer.alloc(0),
    flag: TYPE_FLAG[h.type],
    linkname: h.linkname.length > 100 || !ascii(h.linkname) ? Buffer.alloc(0) : h.linkname,
    h,
  });
  if (pax.length === 0) return main;
  const data = Buffer.concat(pax);
  const paxHeader = ustarBlock({
    name: Buffer.from("./PaxHeaders/entry"),
    prefix: Buffer.alloc(0),
    flag: "x",
    linkname: Buffer.alloc(0),
    h: { ...h, size: data.length, mode: 0o644, uid: 0, gid: 0, devmajor: 0, devminor: 0 },
  });
  return Buffer.concat([paxHeader, data, Buffer.alloc(padding(data.length)), main]);
}

function ustarBlock(x: { name: Buffer; prefix: Buffer; flag: string; linkname: Buffer; h: TarHeader }): Buffer {
  const b = Buffer.alloc(BLOCK);
  x.name.copy(b, 0, 0, 100);
  const put = (v: number, off: number, width: number) => (octal(v, width) ?? octal(0, width)!).copy(b, off);
  put(x.h.mode & 0o7777, 100, 8);
  put(x.h.uid, 108, 8);
  put(x.h.gid, 116, 8);
  put(x.flag === "0" || x.flag === "x" ? x.h.size : 0, 124, 12);
  put(x.h.mtime, 136, 12);
  b.write(x.flag, 156, "latin1");
  x.linkname.copy(b, 157, 0, 100);
  b.write("ustar\0", 257, "latin1");
  b.write("00", 263, "latin1");
  put(x.h.devmajor, 329, 8);
  put(x.h.devminor, 337, 8);
  x.prefix.copy(b, 345, 0, 155);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of b) sum += c;
  Buffer.from(`${sum.toString(8).padStart(6, "0")}\0 `, "latin1").copy(b, 148);
  return b;
}

/** Zero bytes after `size` bytes of data up to the next block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The end-of-archive marker: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/** A numeric header field: octal text, or GNU base-256 (top bit set). */
export function parseNumber(field: Buffer): number {
  if (field.length > 0 && (field[0]! & 0x80) !== 0) {
    if ((field[0]! & 0x40) !== 0) throw new Error("negative base-256 number in a tar header");
    let v = field[0]! & 0x3f;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i]!;
    if (!Number.isSafeInteger(v)) throw new Error("number too large in a tar header");
    return v;
  }
  const text = field.toString("latin1").replace(/[\0 ]+$/, "").replace(/^[ ]+/, "").split("\0")[0]!;
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`bad number ${JSON.stringify(text)} in a tar header`);
  return parseInt(text, 8);
}

/** Whether a header block's checksum is right (unsigned sum, as POSIX says). */
export function checksumOk(block: Buffer): boolean {
  const want = parseNumber(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === want;
}

/** Parses pax records into key → raw value. */
export function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number(data.subarray(pos, space).toString("latin1"));
    if (!Number.isSafeInteger(len) || len <= 0 || pos + len > data.length) throw new Error("bad pax record");
    const rec = data.subarray(space + 1, pos + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq < 0) throw new Error("bad pax record (no '=')");
    out.set(rec.subarray(0, eq).toString("utf8"), Buffer.from(rec.subarray(eq + 1)));
    pos += len;
  }
  return out;
}

/** A string field up to its first NUL. */
export function cString(field: Buffer): Buffer {
  const nul = field.indexOf(0);
  return Buffer.from(nul < 0 ? field : field.subarray(0, nul));
}
