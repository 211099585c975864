/**
 * The `limits/` directory: one file per limit, one value per file, as people type them
 * (absent file or "unlimited" = no limit):
 *
 *   limits/cpu         0.5      CPU bandwidth in cores        limits/cpu-weight  100 (1..10000)
 *   limits/memory      256M     RAM                           limits/swap        0
 *   limits/pids        200      tasks                         limits/disk        2G
 *   limits/inodes      100000   files                         limits/io-read     20M  (bytes/s)
 *   limits/io-write    20M      bytes/s                       limits/iops-read   500
 *   limits/iops-write  500                                    limits/net-rate    100M (bits/s, each way)
 *
 * Sizes are binary (M = MiB), network rates decimal (100M = 100 Mbit/s), as `vlimit`
 * takes them.
 */
import path from "node:path";
import { vserverLimits, type VserverLimits, type VserverLimitsPatch } from "@/lib/protocol/vservers";
import { formatBitRate, parseBitRate } from "../../kernel/net/bit-rate";
import { formatSize, parseCount, parseCpuFraction, parseRate, parseSize } from "../../kernel/units";
import { AgentFailure } from "../../errors";
import { badConfig, readValue, removeConfigPath, writeValue } from "./value-files";

type Key = keyof VserverLimits;

/** File name and text codec of each limit. */
export const LIMIT_FILES: Record<Key, { file: string; parse: (t: string, field: string) => number | null; format: (v: number) => string }> = {
  cpu: { file: "cpu", parse: parseCpuFraction, format: (v) => String(v) },
  cpuWeight: { file: "cpu-weight", parse: parseCount, format: (v) => String(v) },
  memory: { file: "memory", parse: parseSize, format: (v) => formatSize(v) },
  swap: { file: "swap", parse: parseSize, format: (v) => formatSize(v) },
  pids: { file: "pids", parse: parseCount, format: (v) => String(v) },
  diskBytes: { file: "disk", parse: parseSize, format: (v) => formatSize(v) },
  diskInodes: { file: "inodes", parse: parseCount, format: (v) => String(v) },
  ioReadBps: { file: "io-read", parse: parseRate, format: (v) => formatSize(v) },
  ioWriteBps: { file: "io-write", parse: parseRate, format: (v) => formatSize(v) },
  ioReadIops: { file: "iops-read", parse: parseCount, format: (v) => String(v) },
  ioWriteIops: { file: "iops-write", parse: parseCount, format: (v) => String(v) },
  netRate: { file: "net-rate", parse: parseBitRate, format: (v) => formatBitRate(v) },
};

/** No limits at all (cpuWeight at its default). */
export const UNLIMITED: VserverLimits = Object.freeze({
  cpu: null, cpuWeight: 100, memory: null, swap: null, pids: null, diskBytes: null, diskInodes: null,
  ioReadBps: null, ioWriteBps: null, ioReadIops: null, ioWriteIops: null, netRate: null,
});

/** Reads `limits/`; every file is validated by the wire schema, errors name the file. */
export function readLimits(dir: string): VserverLimits {
  const out: Record<string, number | null> = { ...UNLIMITED };
  for (const [key, codec] of Object.entries(LIMIT_FILES) as [Key, (typeof LIMIT_FILES)[Key]][]) {
    const file = path.join(dir, codec.file);
    const text = readValue(file);
    if (text === undefined) continue;
    let value: number | null;
    try {
      value = codec.parse(text, codec.file);
    } catch (e) {
      throw badConfig(file, e instanceof AgentFailure ? e.message : String(e));
    }
    out[key] = key === "cpuWeight" && value === null ? 100 : value;
  }
  const parsed = vserverLimits.safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path[0] as Key;
    throw badConfig(path.join(dir, LIMIT_FILES[key]?.file ?? String(key)), issue.message);
  }
  return parsed.data;
}

/** Writes the fields of a patch (null removes the file = unlimited). */
export function writeLimits(dir: string, patch: VserverLimitsPatch): void {
  for (const [key, value] of Object.entries(patch) as [Key, number | null | undefined][]) {
    if (value === undefined) continue;
    const file = path.join(dir, LIMIT_FILES[key].file);
    if (value === null || (key === "cpuWeight" && value === 100)) removeConfigPath(file);
    else writeValue(file, LIMIT_FILES[key].format(value));
  }
}
