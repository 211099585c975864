/**
 * `vps [ps options]`: the host's `ps` with util-vserver's CONTEXT column after PID: the
 * context id (right-aligned in 5) and server name ("0 MAIN" for the host), a fixed 20
 * characters wide whatever the names, so scripts that cut columns keep working.
 * `vps --vuid …` (ours, not util-vserver's) adds a VUID column after it: the process's
 * uid inside its server ("-" on the host); ps's own UID/USER columns stay the host's
 * view, for a server with its own user namespace an id of its range. The options go
 * to ps as argv words (no shell).
 */
import { execFile } from "node:child_process";
import { readProcTable } from "../ops/procs/proc-table";
import { cliPaths } from "./cli-support";
import { EXIT } from "./exit-codes";

/** Help of vps. */
export const VPS_HELP = `Usage: vps [--vuid] [ps options]
Runs ps(1) with the options and adds, after PID, util-vserver's CONTEXT column: the
context id and server name (0 MAIN is the host), 20 characters wide. --vuid adds a
VUID column: the uid inside the server (ps's own UID/USER are host uids: with a user
namespace, ids of the server's range).
Example: vps aux, vps -ef, vps --vuid -eo pid,user,comm.`;

/** Width of the CONTEXT column: 5 for the id, a space, 14 for the name. */
export const CONTEXT_WIDTH = 20;

/** A CONTEXT cell: "  100 web" padded to {@link CONTEXT_WIDTH} (longer names overflow, never cut). */
export function contextCell(context: number, name: string): string {
  return `${String(context).padStart(5)} ${name}`.padEnd(CONTEXT_WIDTH);
}

/**
 * Inserts columns after PID into ps output (cells by pid, each column `widths[c]` wide
 * at least); output without a PID column stays as it is.
 */
export function addColumns(psOutput: string, titles: readonly string[], cellsOf: (pid: number) => readonly string[], widths: readonly number[] = []): string {
  const lines = psOutput.split("\n");
  const header = lines[0] ?? "";
  const at = header.search(/(^|\s)PID(\s|$)/);
  if (at < 0) return psOutput;
  const end = header.indexOf("PID", at) + 3;
  const rows = lines.slice(1).map((l) => {
    const pid = Number(l.slice(0, end).trim().split(/\s+/).pop());
    return l.trim() === "" ? [] : Number.isInteger(pid) && pid > 0 ? cellsOf(pid) : titles.map(() => "?");
  });
  const w = titles.map((t, c) => Math.max(widths[c] ?? 0, t.length, ...rows.map((r) => (r[c] ?? "").length)));
  const insert = (line: string, cells: readonly string[]) => `${line.slice(0, end)}${w.map((width, c) => ` ${(cells[c] ?? "").padEnd(width)}`).join("")}${line.slice(end)}`;
  return [insert(header, titles), ...lines.slice(1).map((l, i) => (l.trim() === "" ? l : insert(l, rows[i]!)))].join("\n");
}

/** Inserts the CONTEXT column alone, util-vserver's layout (see {@link addColumns}). */
export function addContextColumn(psOutput: string, contextOf: (pid: number) => string): string {
  return addColumns(psOutput, ["CONTEXT"], (pid) => [contextOf(pid)], [CONTEXT_WIDTH]);
}

function runPs(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("ps", args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        process.stderr.write(stderr);
        reject(err);
      } else resolve(stdout);
    });
  });
}

/** Runs vps; ps's own exit status when ps refuses its options. */
export async function vpsMain(argv: string[]): Promise<number> {
  const vuid = argv[0] === "--vuid";
  const args = vuid ? argv.slice(1) : argv;
  // ps and /proc are read at the same time: vps answers in the time of the slower.
  const [stdout, procs] = await Promise.all([runPs(args).catch((e: { code?: unknown }) => (typeof e.code === "number" ? e.code : EXIT.FAILED)), readProcTable(cliPaths())]);
  if (typeof stdout === "number") return stdout;
  const byPid = new Map(procs.map((p) => [p.pid, [contextCell(p.context, p.vserver), p.guestUid === null ? "-" : String(p.guestUid)]]));
  const host = [contextCell(0, "MAIN"), "-"];
  const out = vuid
    ? addColumns(stdout, ["CONTEXT", "VUID"], (pid) => byPid.get(pid) ?? host, [CONTEXT_WIDTH])
    : addColumns(stdout, ["CONTEXT"], (pid) => [(byPid.get(pid) ?? host)[0]!], [CONTEXT_WIDTH]);
  process.stdout.write(out);
  return EXIT.OK;
}
