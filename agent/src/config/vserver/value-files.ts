/**
 * util-vserver's one-value-per-file configuration: small text files read with a clear
 * error naming the file, written atomically (temp file + rename) so a crash or a
 * concurrent reader never sees half a value.
 */
import fs from "node:fs";
import path from "node:path";
import { AgentFailure } from "../../errors";

/** A configuration file that exists but does not parse: names the file and why. */
export function badConfig(file: string, why: string): AgentFailure {
  return new AgentFailure("BAD_REQUEST", `${file}: ${why}`, path.basename(file));
}

/** Contents of a config file, or undefined when it does not exist. Refuses anything
 * but a regular file (config dirs are root's, but a stray FIFO must not hang the agent). */
export function readConfigText(file: string, maxBytes = 64 * 1024): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw badConfig(file, "is a symlink; config files must be regular files");
    throw badConfig(file, `cannot open: ${code ?? String(e)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw badConfig(file, "is not a regular file");
    if (st.size > maxBytes) throw badConfig(file, `larger than ${maxBytes} bytes`);
    return fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/** The first line of a one-value file, trimmed; undefined when the file is missing or empty. */
export function readValue(file: string): string | undefined {
  const text = readConfigText(file);
  if (text === undefined) return undefined;
  const line = text.split("\n")[0]!.trim();
  return line === "" ? undefined : line;
}

/** Non-empty lines without `#` comments. */
export function readLines(file: string): string[] {
  const text = readConfigText(file);
  if (text === undefined) return [];
  return text
    .split("\n")
    .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
    .filter((l) => l !== "");
}

/** Writes `content` to `file` atomically, creating its directory. */
export function writeAtomic(file: string, content: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    fs.writeFileSync(tmp, content, { mode, flag: "wx" });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes a one-value file (with a trailing newline). */
export function writeValue(file: string, value: string): void {
  writeAtomic(file, `${value}\n`);
}

/** Writes a one-entry-per-line file; an empty list removes the file. */
export function writeLines(file: string, lines: readonly string[]): void {
  if (lines.length === 0) fs.rmSync(file, { force: true });
  else writeAtomic(file, `${lines.join("\n")}\n`);
}

/** Removes a file or directory tree of the config; missing is fine. */
export function removeConfigPath(file: string): void {
  fs.rmSync(file, { recursive: true, force: true });
}

/**
 * A JSON record the agent wrote itself (run state, last exit), parsed with `schema`; null
 * when it is missing, unreadable or not what the schema says: an old or broken record
 * says nothing rather than failing the reader.
 */
export function readJsonRecord<T>(file: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
