/**
 * Network sysctls. /proc/sys/net shows the namespace of whoever opens the file, so the
 * host's are plain file writes from the agent (it lives in the host's namespace) and a
 * server's go through `nsenter --net=... sysctl`. Keys are built from our own validated
 * names only; interface names with dots are not supported here on purpose.
 */
import { readFile, writeFile } from "node:fs/promises";
import { AgentFailure } from "../../errors";
import { runTool } from "../run-tool";

const keyPattern = /^net\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

/** /proc/sys path of a dotted key. */
export function sysctlPath(key: string): string {
  if (!keyPattern.test(key)) throw new AgentFailure("INTERNAL", `bad sysctl key ${key}`);
  return `/proc/sys/${key.replaceAll(".", "/")}`;
}

/** Reads a host sysctl; `null` when it does not exist (device gone, old kernel). */
export async function readHostSysctl(key: string): Promise<string | null> {
  try {
    return (await readFile(sysctlPath(key), "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Writes a host sysctl; KERNEL with the path on failure. */
export async function writeHostSysctl(key: string, value: string): Promise<void> {
  try {
    await writeFile(sysctlPath(key), value);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new AgentFailure("KERNEL", `sysctl ${key}=${value}: ${e.code ?? e.message}`, undefined, { cause: error });
  }
}

/** Writes several host sysctls in order. */
export async function writeHostSysctls(entries: [string, string][]): Promise<void> {
  for (const [key, value] of entries) await writeHostSysctl(key, value);
}

/** Writes sysctls inside a network namespace with one `sysctl -w` run. */
export async function writeNetnsSysctls(netnsPath: string, entries: [string, string][]): Promise<void> {
  if (!entries.length) return;
  for (const [key] of entries) sysctlPath(key);
  await runTool("sysctl", ["-q", "-w", ...entries.map(([k, v]) => `${k}=${v}`)], { netns: netnsPath });
}
