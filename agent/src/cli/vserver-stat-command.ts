/** `vserver-stat`: running servers with CTX PROC VSZ RSS userTIME sysTIME UPTIME NAME (util-vserver's fixed columns). */
import { vserverStat } from "../ops/procs/vserver-stat";
import { cliPaths, UsageError } from "./cli-support";
import { EXIT } from "./exit-codes";
import { humanBytes, STAT_HEADER, statLine, statTime } from "./format";

/** Help of vserver-stat. */
export const VSERVER_STAT_HELP = `Usage: vserver-stat
One line per running vserver, the host first as context 0 ("root server"):
CTX PROC VSZ RSS userTIME sysTIME UPTIME NAME in util-vserver's fixed columns
(sizes in bytes with binary units: 43.8M; times: 0m37s86, 13h00m44, 5d04h05).`;

/** Runs vserver-stat. */
export async function vserverStatMain(args: string[]): Promise<number> {
  if (args.length) throw new UsageError("vserver-stat takes no arguments");
  const rows = await vserverStat(cliPaths(), true);
  const out = [STAT_HEADER];
  for (const r of rows) {
    out.push(statLine(String(r.context), [String(r.processes), humanBytes(r.vszBytes), humanBytes(r.rssBytes), statTime(r.userTimeSec), statTime(r.systemTimeSec), statTime(r.uptimeSec)], r.name));
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.OK;
}
