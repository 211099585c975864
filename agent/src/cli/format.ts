/** Number and time formats of util-vserver's tools. */
import type { DesiredState } from "@/lib/protocol/vservers";

/** "43.8M", "1.5G", "512K" (binary units), "0" for zero. */
export function humanBytes(n: number): string {
  if (n < 1024) return String(n);
  const units = ["K", "M", "G", "T"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}${units[i]}`;
}

/** vserver-stat's times: "0m37s86" under an hour, "13h00m44" under a day, "56d04h05" beyond. */
export function statTime(sec: number): string {
  const two = (n: number) => String(Math.floor(n)).padStart(2, "0");
  if (sec < 3600) return `${Math.floor(sec / 60)}m${two(sec % 60)}s${two((sec * 100) % 100)}`;
  if (sec < 86400) return `${Math.floor(sec / 3600)}h${two((sec % 3600) / 60)}m${two(sec % 60)}`;
  return `${Math.floor(sec / 86400)}d${two((sec % 86400) / 3600)}h${two((sec % 3600) / 60)}`;
}

/** Left-aligned columns separated by two spaces (numbers right-aligned). */
export function table(rows: string[][], rightAligned: readonly number[] = []): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd())
    .join("\n")
    .concat("\n");
}

/** The `status` line of the host's desired-state record: "Desired: suspended (by panel, 2026-12-06T10:00:00Z): unpaid". */
export function desiredLine(d: DesiredState): string {
  return `Desired: ${d.state} (by ${d.by}${d.at ? `, ${d.at}` : ""})${d.reason ? `: ${d.reason}` : ""}`;
}

/** What `vserver NAME status` prints for a running server (util-vserver's lines). */
export function runningStatusLines(name: string, context: number, processes: number, uptimeSec: number): string {
  return `Vserver '${name}' is running at context '${context}'\nNumber of processes: ${processes}\nUptime:              ${statTime(uptimeSec)}\n`;
}

/** vserver-stat's header: util-vserver's fixed layout. */
export const STAT_HEADER = "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME";

/** Where each of vserver-stat's fields ends (right-aligned; CTX left-aligned, NAME from 55). */
const STAT_ENDS = [10, 17, 24, 34, 44, 54] as const;

/**
 * One vserver-stat line in util-vserver's fixed columns: CTX from column 0, PROC, VSZ,
 * RSS, userTIME, sysTIME and UPTIME right-aligned to columns 10, 17, 24, 34, 44 and 54,
 * NAME from column 55. A field too wide for its place pushes the rest right by what it
 * needs (one space kept), where util-vserver's would overwrite its neighbour.
 */
export function statLine(ctx: string, fields: readonly [string, string, string, string, string, string], name: string): string {
  let line = ctx;
  fields.forEach((f, i) => {
    line += " ".repeat(Math.max(1, STAT_ENDS[i]! - f.length - line.length)) + f;
  });
  return `${line}${" ".repeat(Math.max(1, 55 - line.length))}${name}`;
}
