/** `vlimit NAME [--memory 256M …]`: show limits and usage, or change limits (live + persisted). */
import { checkVserverName } from "../config/vserver/names";
import { readVserverConfig } from "../config/vserver/read-config";
import { readUsage } from "../ops/limits/read-usage";
import { setLimits } from "../ops/limits/set-limits";
import { cliPaths, parseOptions, UsageError } from "./cli-support";
import { EXIT, EXIT_HELP } from "./exit-codes";
import { humanBytes } from "./format";
import { formatLimits, LIMIT_HELP, LIMIT_OPTIONS, limitsFromOptions } from "./limit-options";

/** Help of vlimit. */
export const VLIMIT_HELP = `Usage: vlimit NAME                 print limits and usage
       vlimit NAME [options]       change limits: live on a running server, and persisted
${LIMIT_HELP}
${EXIT_HELP}`;

/** Runs vlimit. */
export async function vlimitMain(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, LIMIT_OPTIONS);
  if (positionals.length !== 1) throw new UsageError("expected one vserver NAME");
  const name = checkVserverName(positionals[0]!);
  const paths = cliPaths();
  const patch = limitsFromOptions(values);
  const limits = Object.keys(patch).length ? await setLimits(paths, name, patch) : readVserverConfig(paths, name).limits;
  const u = await readUsage(paths, name);
  const lines = [
    ...formatLimits(limits),
    "",
    `state       ${u.running ? "running" : "stopped"}`,
    `processes   ${u.processes}`,
    `memory      ${u.memoryBytes === null ? "-" : humanBytes(u.memoryBytes)} (peak ${u.memoryPeakBytes === null ? "-" : humanBytes(u.memoryPeakBytes)})`,
    `cpu         ${u.cpuUsageUsec === null ? "-" : `${(u.cpuUsageUsec / 1e6).toFixed(2)}s`}`,
    `io          read ${u.ioReadBytes === null ? "-" : humanBytes(u.ioReadBytes)} write ${u.ioWriteBytes === null ? "-" : humanBytes(u.ioWriteBytes)}`,
    `net         rx ${u.netRxBytes === null ? "-" : humanBytes(u.netRxBytes)} tx ${u.netTxBytes === null ? "-" : humanBytes(u.netTxBytes)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.OK;
}
