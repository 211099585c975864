/**
 * `vps [ps options]`: the host's `ps` with a CONTEXT column after PID: the context id
 * and server name of each process ("0 MAIN" for the host), like util-vserver's vps,
 * and a VUID column: the process's uid inside its server ("-" on the host). ps's own
 * UID/USER columns stay the host's view: for a server with its own user namespace that
 * is an id of its range, not the guest's. The options go to ps as argv words (no shell).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readProcTable } from "../ops/procs/proc-table";
import { cliPaths } from "./cli-support";
import { EXIT } from "./exit-codes";

/** Help of vps. */
export const VPS_HELP = `Usage: vps [ps options]
Runs ps(1) with the options and adds, after PID, a CONTEXT column (context id and
server name; 0 MAIN is the host) and a VUID column (the uid inside the server; ps's
own UID/USER are host uids: with a user namespace, ids of the server's range).
Example: vps aux, vps -ef, vps -eo pid,user,comm.`;

/** Inserts columns after PID into ps output (cells by pid); output without a PID column stays as it is. */
export function addColumns(psOutput: string, titles: readonly string[], cellsOf: (pid: number) => readonly string[]): string {
  const lines = psOutput.split("\n");
  const header = lines[0] ?? "";
  const at = header.search(/(^|\s)PID(\s|$)/);
  if (at < 0) return psOutput;
  const end = header.indexOf("PID", at) + 3;
  const rows = lines.slice(1).map((l) => {
    const pid = Number(l.slice(0, end).trim().split(/\s+/).pop());
    return l.trim() === "" ? [] : Number.isInteger(pid) && pid > 0 ? cellsOf(pid) : titles.map(() => "?");
  });
  const widths = titles.map((t, c) => Math.max(t.length, ...rows.map((r) => (r[c] ?? "").length)));
  const insert = (line: string, cells: readonly string[]) => `${line.slice(0, end)}${widths.map((w, c) => ` ${(cells[c] ?? "").padEnd(w)}`).join("")}${line.slice(end)}`;
  return [insert(header, titles), ...lines.slice(1).map((l, i) => (l.trim() === "" ? l : insert(l, rows[i]!)))].join("\n");
}

/** Inserts the CONTEXT column alone (see {@link addColumns}). */
export function addContextColumn(psOutput: string, contextOf: (pid: number) => string): string {
  return addColumns(psOutput, ["CONTEXT"], (pid) => [contextOf(pid)]);
}

/** Runs vps. */
export async function vpsMain(args: string[]): Promise<number> {
  const procs = await readProcTable(cliPaths());
  const byPid = new Map(procs.map((p) => [p.pid, [`${p.context} ${p.vserver}`, p.guestUid === null ? "-" : String(p.guestUid)]]));
  const { stdout } = await promisify(execFile)("ps", args, { maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(addColumns(stdout, ["CONTEXT", "VUID"], (pid) => byPid.get(pid) ?? ["0 MAIN", "-"]));
  return EXIT.OK;
}
