/**
 * `vps [ps options]`: the host's `ps` with a CONTEXT column after PID: the context id
 * and server name of each process ("0 MAIN" for the host), like util-vserver's vps.
 * The options go to ps as argv words (no shell).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readProcTable } from "../ops/procs/proc-table";
import { cliPaths } from "./cli-support";
import { EXIT } from "./exit-codes";

/** Help of vps. */
export const VPS_HELP = `Usage: vps [ps options]
Runs ps(1) with the options and adds a CONTEXT column (context id and server name;
0 MAIN is the host) after PID. Example: vps aux, vps -ef, vps -eo pid,comm.`;

/** Inserts the CONTEXT column into ps output; lines without a PID column stay as they are. */
export function addContextColumn(psOutput: string, contextOf: (pid: number) => string): string {
  const lines = psOutput.split("\n");
  const header = lines[0] ?? "";
  const at = header.search(/(^|\s)PID(\s|$)/);
  if (at < 0) return psOutput;
  const end = header.indexOf("PID", at) + 3;
  const labels = lines.slice(1).map((l) => {
    const pid = Number(l.slice(0, end).trim().split(/\s+/).pop());
    return l.trim() === "" ? "" : Number.isInteger(pid) && pid > 0 ? contextOf(pid) : "?";
  });
  const width = Math.max("CONTEXT".length, ...labels.map((l) => l.length));
  const insert = (line: string, label: string) => `${line.slice(0, end)} ${label.padEnd(width)}${line.slice(end)}`;
  return [insert(header, "CONTEXT"), ...lines.slice(1).map((l, i) => (l.trim() === "" ? l : insert(l, labels[i]!)))].join("\n");
}

/** Runs vps. */
export async function vpsMain(args: string[]): Promise<number> {
  const procs = await readProcTable(cliPaths());
  const byPid = new Map(procs.map((p) => [p.pid, `${p.context} ${p.vserver}`]));
  const { stdout } = await promisify(execFile)("ps", args, { maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(addContextColumn(stdout, (pid) => byPid.get(pid) ?? "0 MAIN"));
  return EXIT.OK;
}
