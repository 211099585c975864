/**
 * `rescue`: the host's record that a server is in rescue mode (ops/rescue), so that the
 * host keeps to it alone: an agent that restarts finds the rescue and ends it when its
 * time is up; a normal start (a reboot of the rescue system, a boot start, a start from
 * the panel) ends it. One file in the server's configuration directory, replaced
 * atomically; its first line is the end time, as in util-vserver's one-value files:
 *
 *     until 2026-12-07T04:00:00.000Z
 *     by panel
 */
import path from "node:path";
import { desiredSource, type DesiredSource } from "@/lib/protocol/vservers";
import type { HostPaths } from "../paths";
import { configFiles } from "./layout";
import { badConfig, readConfigText, removeConfigPath, writeAtomic } from "./value-files";

/** A rescue as the host records it. */
export interface RescueFileRecord {
  until: string;
  by: DesiredSource;
}

/** The record's file for `name`. */
export function rescueFile(paths: HostPaths, name: string): string {
  return path.join(configFiles(paths, name).dir, "rescue");
}

/** Reads the record; null when the server is not in rescue. */
export function readRescueFile(paths: HostPaths, name: string): RescueFileRecord | null {
  const file = rescueFile(paths, name);
  const text = readConfigText(file, 1024);
  if (text === undefined) return null;
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const m = /^(until|by) (.*)$/.exec(line);
    if (!m) throw badConfig(file, `"${line}" is not an "until" or "by" line`);
    fields.set(m[1]!, m[2]!.trim());
  }
  const until = fields.get("until");
  if (until === undefined || Number.isNaN(Date.parse(until))) throw badConfig(file, `until "${until ?? ""}" is not a time`);
  const by = desiredSource.safeParse(fields.get("by") ?? "cli");
  if (!by.success) throw badConfig(file, `by "${fields.get("by")}" is not one of ${desiredSource.options.join(", ")}`);
  return { until: new Date(until).toISOString(), by: by.data };
}

/** Writes the record (replacing an earlier one). */
export function writeRescueFile(paths: HostPaths, name: string, r: RescueFileRecord): void {
  writeAtomic(rescueFile(paths, name), `until ${r.until}\nby ${r.by}\n`);
}

/** Removes the record (nothing when there is none). */
export function removeRescueFile(paths: HostPaths, name: string): void {
  removeConfigPath(rescueFile(paths, name));
}
