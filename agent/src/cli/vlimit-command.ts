/** `vlimit NAME [--memory 256M …]`: show limits and usage, or change limits (live + persisted). */
import { checkVserverName } from "../config/vserver/names";
import { readVserverConfig } from "../config/vserver/read-config";
import { readDiskState, readUsage, type DiskState } from "../ops/limits/read-usage";
import { setLimits } from "../ops/limits/set-limits";
import { getNofile, setNofile } from "../ops/limits/set-nofile";
import { parseNofile } from "../config/vserver/rlimits";
import { cliPaths, parseOptions, UsageError } from "./cli-support";
import { EXIT, EXIT_HELP } from "./exit-codes";
import { humanBytes } from "./format";
import { formatSize } from "../kernel/units";
import { formatLimits, LIMIT_HELP, LIMIT_OPTIONS, limitsFromOptions } from "./limit-options";

/** Help of vlimit. */
export const VLIMIT_HELP = `Usage: vlimit NAME                 print limits and usage
       vlimit NAME [options]       change limits: live on a running server, and persisted
${LIMIT_HELP}
  --nofile N       open files per process (rlimits/nofile), every process of the server
${EXIT_HELP}`;

/** "disk  210M used, 0 free of 256M, 308 inodes (loop)": free 0 = at the limit. */
function diskLine(d: DiskState | null): string {
  if (!d) return "disk        - (no disk limit; vserver --host-info tells this host's disk mode)";
  return `disk        ${humanBytes(d.bytesUsed)} used, ${humanBytes(d.bytesAvailable)} free of ${formatSize(d.bytesLimit)}, ${d.inodesUsed} inodes (${d.mode})`;
}

/** Runs vlimit. */
export async function vlimitMain(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...LIMIT_OPTIONS, nofile: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("expected one vserver NAME");
  const name = checkVserverName(positionals[0]!);
  const paths = cliPaths();
  const patch = limitsFromOptions(values);
  const nofile = typeof values.nofile === "string" ? parseNofile(values.nofile, "--nofile") : undefined;
  const limits = Object.keys(patch).length ? await setLimits(paths, name, patch) : readVserverConfig(paths, name).limits;
  if (nofile !== undefined) await setNofile(paths, name, nofile);
  const u = await readUsage(paths, name);
  const lines = [
    ...formatLimits(limits),
    `nofile      ${getNofile(paths, name) ?? "host default"}`,
    "",
    `state       ${u.running ? "running" : "stopped"}`,
    `processes   ${u.processes}`,
    `memory      ${u.memoryBytes === null ? "-" : humanBytes(u.memoryBytes)} (peak ${u.memoryPeakBytes === null ? "-" : humanBytes(u.memoryPeakBytes)})`,
    `oom kills   ${u.oomKills === null ? "-" : u.oomKills}`,
    `cpu         ${u.cpuUsageUsec === null ? "-" : `${(u.cpuUsageUsec / 1e6).toFixed(2)}s`}`,
    `io          read ${u.ioReadBytes === null ? "-" : humanBytes(u.ioReadBytes)} write ${u.ioWriteBytes === null ? "-" : humanBytes(u.ioWriteBytes)}`,
    `net         rx ${u.netRxBytes === null ? "-" : humanBytes(u.netRxBytes)} tx ${u.netTxBytes === null ? "-" : humanBytes(u.netTxBytes)}`,
    diskLine(await readDiskState(paths, name)),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.OK;
}
