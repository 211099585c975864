/**
 * Compressed archive files: writing through `zstd`/`gzip` (a child reading our tar
 * stream on stdin, writing a temp file beside the destination, renamed into place only
 * when complete) and reading through the matching decompressor, chosen by the file's
 * magic bytes (zstd, gzip, xz, bzip2, or plain tar).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { AgentFailure, badInput } from "../../errors";

/** Compression of a template file. */
export type ArchiveFormat = "tar.zst" | "tar.gz" | "tar";

/** The format a file name asks for. */
export function formatOfName(file: string): ArchiveFormat {
  if (/\.(tar\.zst|tzst)$/.test(file)) return "tar.zst";
  if (/\.(tar\.gz|tgz)$/.test(file)) return "tar.gz";
  if (/\.tar$/.test(file)) return "tar";
  throw badInput("file", `"${path.basename(file)}": name it .tar.zst, .tar.gz or .tar`);
}

/** A tar stream being written. */
export interface ArchiveWriter {
  write(chunk: Buffer): Promise<void>;
  /** Ends the stream, waits for the compressor, renames the file into place; returns its size. */
  close(): Promise<number>;
  /** Removes the partial file and stops the compressor. */
  abort(): Promise<void>;
}

async function waitChild(child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  const [code, signal] = (child.exitCode !== null || child.signalCode !== null ? [child.exitCode, child.signalCode] : await once(child, "exit")) as [number | null, string | null];
  if (code !== 0) throw new AgentFailure("INTERNAL", `${what} failed (${signal ?? `exit ${code}`}): ${stderr().trim().slice(0, 300)}`);
}

/** Opens `file` for writing (never replacing it until complete); an existing file is CONFLICT unless `replace`. */
export function openArchiveWriter(file: string, opts: { replace?: boolean; mode?: number } = {}): ArchiveWriter {
  const format = formatOfName(file);
  if (!opts.replace && fs.existsSync(file)) throw new AgentFailure("CONFLICT", `${file} already exists`, "file");
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, opts.mode ?? 0o600);
  let child: ChildProcess | undefined;
  let out: fs.WriteStream | undefined;
  let err = "";
  if (format === "tar") {
    out = fs.createWriteStream("", { fd, autoClose: true });
  } else {
    const [cmd, args] = format === "tar.zst" ? ["zstd", ["-q", "-3", "-T0", "-c"]] : ["gzip", ["-c", "-6"]];
    child = spawn(cmd, args, { stdio: ["pipe", fd, "pipe"] });
    fs.closeSync(fd); // the compressor has its own copy
    child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    child.stdin!.on("error", () => undefined);
    child.on("error", (e) => (err += String(e)));
  }
  const sink = child ? child.stdin! : out!;
  // One promise for the compressor's end: a listener per write would pile up.
  const ended = child ? once(child, "exit").then(() => undefined) : new Promise<void>(() => undefined);
  let done = false;
  return {
    async write(chunk) {
      if (!sink.write(chunk)) await Promise.race([new Promise<void>((r) => sink.once("drain", () => r())), ended]);
      if (child && child.exitCode !== null) throw new AgentFailure("INTERNAL", `${argv0(format)} exited early: ${err.trim().slice(0, 300)}`);
    },
    async close() {
      sink.end();
      if (child) await waitChild(child, argv0(format), () => err);
      else await once(out!, "close");
      const syncFd = fs.openSync(tmp, "r");
      try {
        fs.fsyncSync(syncFd);
      } finally {
        fs.closeSync(syncFd);
      }
      const size = fs.statSync(tmp).size;
      fs.renameSync(tmp, file);
      done = true;
      return size;
    },
    async abort() {
      if (done) return;
      sink.destroy();
      if (child && child.exitCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit").catch(() => undefined);
      }
      fs.rmSync(tmp, { force: true });
    },
  };
}

const argv0 = (f: ArchiveFormat) => (f === "tar.zst" ? "zstd" : f === "tar.gz" ? "gzip" : "tar writer");

/** The decompressor for a file, from its first bytes. */
export function decompressorOf(file: string): string[] | null {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  const head = Buffer.alloc(6);
  try {
    fs.readSync(fd, head, 0, 6, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.readUInt32LE(0) === 0xfd2fb528) return ["zstd", "-dcq"];
  if (head[0] === 0x1f && head[1] === 0x8b) return ["gzip", "-dc"];
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return ["xz", "-dc"];
  if (head.subarray(0, 3).toString("latin1") === "BZh") return ["bzip2", "-dc"];
  return null;
}

/** The tar bytes of `file`, decompressed; the returned stop() ends the decompressor early. */
export function openArchiveReader(file: string): { chunks: AsyncIterable<Buffer>; done: () => Promise<void>; stop: () => void } {
  if (!fs.statSync(file).isFile()) throw badInput("source", `${file} is not a regular file`);
  const dec = decompressorOf(file);
  if (!dec) {
    const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    return { chunks: stream, done: async () => undefined, stop: () => stream.destroy() };
  }
  const input = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  const child = spawn(dec[0]!, [...dec.slice(1)], { stdio: [input, "pipe", "pipe"] });
  fs.closeSync(input);
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  const started = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (e) => reject(new AgentFailure("UNSUPPORTED", `cannot run ${dec[0]} to read ${file}: ${e.message}`)));
  });
  return {
    chunks: child.stdout!,
    done: async () => {
      await started;
      await waitChild(child, dec[0]!, () => err);
    },
    stop: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** Collects small writes (tar headers) into ~1 MiB writes; call flush() at the end. */
export function batched(write: (b: Buffer) => Promise<void>, size = 1 << 20): { write: (b: Buffer) => Promise<void>; flush: () => Promise<void> } {
  let parts: Buffer[] = [];
  let held = 0;
  const flush = async () => {
    if (held === 0) return;
    const all = Buffer.concat(parts, held);
    parts = [];
    held = 0;
    await write(all);
  };
  return {
    write: async (b) => {
      parts.push(b);
      held += b.length;
      if (held >= size) await flush();
    },
    flush,
  };
}
