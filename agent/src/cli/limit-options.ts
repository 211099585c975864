/**
 * The limit options of `vlimit` and `vserver NAME build`: --cpu 0.5 --cpu-weight 100
 * --memory 256M --swap 0 --pids 200 --disk 2G --inodes 100000 --io-read 20M
 * --io-write 20M --iops-read 500 --iops-write 500 --net-rate 100M ("unlimited" clears).
 */
import { vserverLimitsPatch, type VserverLimits, type VserverLimitsPatch } from "@/lib/protocol/vservers";
import { badInput } from "../errors";
import { LIMIT_FILES } from "../config/vserver/limits-files";

/** parseArgs option declarations for every limit. */
export const LIMIT_OPTIONS = Object.fromEntries(
  Object.values(LIMIT_FILES).map((c) => [c.file, { type: "string" as const }]),
) as Record<string, { type: "string" }>;

/** The patch given by parsed option values (field errors name the option). */
export function limitsFromOptions(values: Record<string, unknown>): VserverLimitsPatch {
  const patch: Record<string, number | null> = {};
  for (const [key, codec] of Object.entries(LIMIT_FILES)) {
    const v = values[codec.file];
    if (typeof v !== "string") continue;
    const parsed = codec.parse(v, `--${codec.file}`);
    patch[key] = key === "cpuWeight" && parsed === null ? 100 : parsed;
  }
  // Parsed here, at the CLI's edge, as the HTTP server parses its input: ops take parsed input.
  const parsed = vserverLimitsPatch.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    // Named as the API names it (limits.memory: at least 4M), whichever edge was used.
    throw badInput(`limits.${key}`, issue.message);
  }
  return parsed.data;
}

/** Lines "memory  256M" for printing. */
export function formatLimits(limits: VserverLimits): string[] {
  return Object.entries(LIMIT_FILES).map(([key, codec]) => {
    const v = limits[key as keyof VserverLimits];
    return `${codec.file.padEnd(11)} ${v === null ? "unlimited" : codec.format(v)}`;
  });
}

/** Help text of the options. */
export const LIMIT_HELP = `  --cpu N          CPU bandwidth in cores (0.5 = half a core)   --cpu-weight N  1..10000 (100)
  --memory SIZE    RAM (256M, 1G)                              --swap SIZE     swap on top of RAM
  --pids N         tasks                                       --disk SIZE     disk space (needs the disk layer)
  --inodes N       files (needs the disk layer)                --io-read RATE  bytes/s (20M)
  --io-write RATE  bytes/s                                     --iops-read N   --iops-write N
  --net-rate RATE  bits/s each way (100M)                      "unlimited" removes a limit`;
