/**
 * The running kernel's build options, to say *why* project quotas cannot be enabled
 * ("built without CONFIG_XFS_QUOTA") instead of only that they are off.
 */
import fs from "node:fs";
import os from "node:os";
import { gunzipSync } from "node:zlib";

/** CONFIG_* name → "y" | "m" | value; options that are "not set" are absent. */
export type KernelConfig = ReadonlyMap<string, string>;

/** Parses a kernel .config text. */
export function parseKernelConfig(text: string): KernelConfig {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** /proc/config.gz, else /boot/config-<release>; undefined when neither is readable. */
export function readKernelConfig(): KernelConfig | undefined {
  try {
    return parseKernelConfig(gunzipSync(fs.readFileSync("/proc/config.gz")).toString("utf8"));
  } catch {
    // no IKCONFIG_PROC
  }
  try {
    return parseKernelConfig(fs.readFileSync(`/boot/config-${os.release()}`, "utf8"));
  } catch {
    return undefined;
  }
}
