/**
 * A push parser for tar streams (ustar, pax, GNU long names): feed it chunks as they
 * come from the decompressor; it calls the sink for each member and its data. Member
 * paths are normalized here and any path that climbs out ("..") or is absolute after
 * stripping is refused, so the extractor never sees one. Unknown member types are
 * reported to `onSkip` and their data skipped.
 */
import { BLOCK, checksumOk, cString, padding, parseNumber, parsePax, type TarHeader, type TarType } from "./tar-format";

/** What the parser calls. */
export interface TarSink {
  entry(h: TarHeader): void;
  data(chunk: Buffer): void;
  end(): void;
  skip?(name: Buffer, why: string): void;
}

const TYPES: Record<string, TarType> = { "0": "file", "\0": "file", "7": "file", "1": "hardlink", "2": "symlink", "3": "char", "4": "block", "5": "dir", "6": "fifo" };

/** Normalizes an archive name to a relative path ("" = the root); throws on "..". */
export function normalizeMemberPath(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i === raw.length || raw[i] === 0x2f) {
      const part = raw.subarray(start, i);
      start = i + 1;
      if (part.length === 0 || (part.length === 1 && part[0] === 0x2e)) continue;
      if (part.length === 2 && part[0] === 0x2e && part[1] === 0x2e) {
        throw new Error(`archive member "${raw.toString("latin1")}" climbs out with ".."`);
      }
      parts.push(part);
    }
  }
  const out: Buffer[] = [];
  parts.forEach((p, i) => out.push(i ? Buffer.concat([Buffer.from("/"), p]) : p));
  return Buffer.concat(out);
}

type State = { kind: "header" } | { kind: "data"; left: number; pad: number; meta: "pax" | "gnu-name" | "gnu-link" | "member" | "skip"; buf: Buffer[] };

/** The parser; call push() with each chunk and finish() at the end of input. */
export class TarParser {
  private pending = Buffer.alloc(0);
  private state: State = { kind: "header" };
  private pax = new Map<string, Buffer>();
  private gnuName: Buffer | null = null;
  private gnuLink: Buffer | null = null;
  private zeroBlocks = 0;
  /** True once the end marker was read. */
  done = false;
  members = 0;

  constructor(private readonly sink: TarSink) {}

  /** Feeds bytes. */
  push(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.done) {
      if (this.state.kind === "header") {
        if (buf.length < BLOCK) break;
        this.header(buf.subarray(0, BLOCK));
        buf = buf.subarray(BLOCK);
        continue;
      }
      const st = this.state;
      if (st.left > 0) {
        if (buf.length === 0) break;
        const n = Math.min(st.left, buf.length);
        const part = buf.subarray(0, n);
        if (st.meta === "member") this.sink.data(part);
        else if (st.meta !== "skip") st.buf.push(Buffer.from(part));
        st.left -= n;
        buf = buf.subarray(n);
        continue;
      }
      if (buf.length < st.pad) break;
      buf = buf.subarray(st.pad);
      this.finishData(st);
      this.state = { kind: "header" };
    }
    this.pending = Buffer.from(buf);
  }

  /** Checks that the archive ended properly. */
  finish(): void {
    if (this.state.kind === "data") throw new Error("the archive ends in the middle of a member (truncated?)");
    if (!this.done && this.zeroBlocks === 0 && this.members === 0) throw new Error("not a tar archive (empty)");
    if (!this.done && this.pending.length > 0) throw new Error("the archive ends with a partial block (truncated?)");
  }

  private header(block: Buffer): void {
    if (block.every((c) => c === 0)) {
      if (++this.zeroBlocks >= 2) this.done = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(block)) throw new Error(`bad tar header checksum after ${this.members} members (not a tar archive, or corrupt)`);
    const flag = String.fromCharCode(block[156]!);
    const size = this.pax.has("size") ? Number(this.pax.get("size")!.toString()) : parseNumber(block.subarray(124, 136));
    if (!Number.isSafeInteger(size) || size < 0) throw new Error("bad member size");
    const data = (meta: "pax" | "gnu-name" | "gnu-link" | "member" | "skip", bytes = size) => {
      this.state = { kind: "data", left: bytes, pad: padding(bytes), meta, buf: [] };
      if (bytes === 0) {
        const st = this.state;
        this.state = { kind: "header" };
        this.finishData(st);
      }
    };
    if (flag === "x") return data("pax");
    if (flag === "g") return data("skip"); // global pax headers carry nothing we use
    if (flag === "L") return data("gnu-name");
    if (flag === "K") return data("gnu-link");
    const name = this.pax.get("path") ?? this.gnuName ?? this.ustarName(block);
    const link = this.pax.get("linkpath") ?? this.gnuLink ?? cString(block.subarray(157, 257));
    const type = TYPES[flag];
    const xattrs = new Map<string, Buffer>();
    for (const [k, v] of this.pax) if (k.startsWith("SCHILY.xattr.")) xattrs.set(k.slice("SCHILY.xattr.".length), v);
    const num = (key: string, off: number, width: number) => (this.pax.has(key) ? Math.trunc(Number(this.pax.get(key)!.toString())) : parseNumber(block.subarray(off, off + width)));
    const mtime = num("mtime", 136, 12);
    const uid = num("uid", 108, 8);
    const gid = num("gid", 116, 8);
    const sparse = this.pax.has("GNU.sparse.major") || this.pax.has("GNU.sparse.map") || flag === "S";
    this.pax = new Map();
    this.gnuName = null;
    this.gnuLink = null;
    this.members++;
    if (sparse) throw new Error(`sparse member "${name.toString("latin1")}" is not supported`);
    if (!type) {
      this.sink.skip?.(name, `member type '${flag}' is not supported`);
      return data("skip");
    }
    const h: TarHeader = {
      path: normalizeMemberPath(name),
      type,
      mode: parseNumber(block.subarray(100, 108)) & 0o7777,
      uid,
      gid,
      size: type === "file" ? size : 0,
      mtime: Number.isFinite(mtime) ? mtime : 0,
      linkname: type === "hardlink" ? normalizeMemberPath(link) : link,
      devmajor: parseNumber(block.subarray(329, 337)),
      devminor: parseNumber(block.subarray(337, 345)),
      xattrs,
    };
    this.sink.entry(h);
    // A non-file member may still declare a size; its bytes are skipped.
    data(type === "file" ? "member" : "skip");
  }

  private ustarName(block: Buffer): Buffer {
    const name = cString(block.subarray(0, 100));
    const magic = block.subarray(257, 262).toString("latin1");
    const prefix = magic === "ustar" ? cString(block.subarray(345, 500)) : Buffer.alloc(0);
    return prefix.length ? Buffer.concat([prefix, Buffer.from("/"), name]) : name;
  }

  private finishData(st: Extract<State, { kind: "data" }>): void {
    const all = Buffer.concat(st.buf);
    if (st.meta === "pax") this.pax = parsePax(all);
    else if (st.meta === "gnu-name") this.gnuName = cString(all);
    else if (st.meta === "gnu-link") this.gnuLink = cString(all);
    else if (st.meta === "member") this.sink.end();
  }
}
