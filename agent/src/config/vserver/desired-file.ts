/**
 * `desired`: the host's record of what was last decided for a server's running state,
 * so that the host acts alone after an agent restart or a reboot (a suspended or
 * stopped server stays down; a running one starts). One file, replaced atomically, so a
 * crash never pairs a new state with an old reason. Its first line is the state, as in
 * util-vserver's one-value files (`head -1 desired`); key-value lines follow:
 *
 *     suspended
 *     by panel
 *     at 2026-12-06T10:00:00.000Z
 *     reason unpaid invoice 1234
 */
import { desiredRunState, desiredSource, recordText, type DesiredState } from "@/lib/protocol/vservers";
import { badConfig, readConfigText, writeAtomic } from "./value-files";

/** Reads the record; null when the file does not exist (the boot mark alone decides). */
export function readDesired(file: string): DesiredState | null {
  const text = readConfigText(file, 4096);
  if (text === undefined) return null;
  const [first = "", ...rest] = text.split("\n");
  const state = desiredRunState.safeParse(first.trim());
  if (!state.success) throw badConfig(file, `"${first.trim()}" is not one of ${desiredRunState.options.join(", ")}`);
  const fields = new Map<string, string>();
  for (const line of rest) {
    if (line.trim() === "") continue;
    const m = /^(by|at|reason) (.*)$/.exec(line);
    if (!m) throw badConfig(file, `"${line}" is not a "by", "at" or "reason" line`);
    fields.set(m[1]!, m[2]!.trim());
  }
  const by = desiredSource.safeParse(fields.get("by") ?? "cli");
  if (!by.success) throw badConfig(file, `by "${fields.get("by")}" is not one of ${desiredSource.options.join(", ")}`);
  const at = fields.get("at") ?? null;
  if (at !== null && Number.isNaN(Date.parse(at))) throw badConfig(file, `at "${at}" is not a time`);
  return { state: state.data, by: by.data, reason: fields.get("reason") || null, at };
}

/** Replaces the record atomically. */
export function writeDesired(file: string, d: DesiredState): void {
  const reason = d.reason === null ? null : recordText.parse(d.reason);
  const lines = [d.state, `by ${d.by}`, ...(d.at ? [`at ${d.at}`] : []), ...(reason ? [`reason ${reason}`] : [])];
  writeAtomic(file, `${lines.join("\n")}\n`);
}
