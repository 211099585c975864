/**
 * util-vserver's `rlimits/` directory: `rlimits/nofile` holds the open-files limit of
 * every process of the server (RLIMIT_NOFILE, soft = hard), one number; an absent file or
 * "unlimited" = the host's default (what the agent's own processes have).
 */
import path from "node:path";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../paths";
import { parseCount } from "../../kernel/units";
import { configFiles } from "./layout";
import { badConfig, readValue, removeConfigPath, writeValue } from "./value-files";

/** The lowest nofile accepted: below this a shell or an init cannot even start. */
export const MIN_NOFILE = 16;

/** Path of `rlimits/nofile` of `name`. */
export function nofileFile(paths: HostPaths, name: string): string {
  return path.join(configFiles(paths, name).dir, "rlimits", "nofile");
}

/** Parses a nofile value as typed (`--nofile 4096`, "unlimited" = null). */
export function parseNofile(text: string, field: string): number | null {
  const n = parseCount(text, field);
  if (n !== null && n < MIN_NOFILE) throw new AgentFailure("BAD_REQUEST", `${field}: at least ${MIN_NOFILE} open files`, field);
  return n;
}

/** The configured nofile of `name`, or null (none set). */
export function readNofile(paths: HostPaths, name: string): number | null {
  const file = nofileFile(paths, name);
  const text = readValue(file);
  if (text === undefined) return null;
  try {
    return parseNofile(text, "rlimits/nofile");
  } catch (e) {
    throw badConfig(file, e instanceof AgentFailure ? e.message : String(e));
  }
}

/** Writes (or, for null, removes) `rlimits/nofile`. */
export function writeNofile(paths: HostPaths, name: string, value: number | null): void {
  const file = nofileFile(paths, name);
  if (value === null) removeConfigPath(file);
  else writeValue(file, String(value));
}
