/**
 * Questions about host links and namespaces, answered cheaply: /sys/class/net for
 * existence (no process start), `ip -j` when a list is needed.
 */
import { stat } from "node:fs/promises";
import { AgentFailure } from "../../errors";
import { runTool } from "../run-tool";

const missingLink = /Cannot find device|does not exist|No such device/i;

/** True when a link of that name exists in the host's namespace. */
export async function linkExists(name: string): Promise<boolean> {
  try {
    await stat(`/sys/class/net/${name}`);
    return true;
  } catch {
    return false;
  }
}

/** True when the link exists and is a bridge. */
export async function isBridge(name: string): Promise<boolean> {
  try {
    return (await stat(`/sys/class/net/${name}/bridge`)).isDirectory();
  } catch {
    return false;
  }
}

/** Deletes a link; a missing one counts as deleted. */
export async function deleteLink(name: string): Promise<void> {
  await runTool("ip", ["link", "del", "dev", name], { okIf: missingLink });
}

/** Names of all links in the host's namespace. */
export async function listLinkNames(): Promise<string[]> {
  const out = (await runTool("ip", ["-j", "link", "show"])).stdout;
  const parsed: unknown = JSON.parse(out || "[]");
  if (!Array.isArray(parsed)) throw new AgentFailure("KERNEL", "ip -j link show: unexpected output");
  return parsed
    .map((l: unknown) => (typeof l === "object" && l !== null ? (l as { ifname?: unknown }).ifname : undefined))
    .filter((n): n is string => typeof n === "string");
}

/** Links enslaved to a bridge. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const out = (await runTool("ip", ["-j", "link", "show", "master", bridge])).stdout;
  const parsed: unknown = JSON.parse(out || "[]");
  return Array.isArray(parsed) ? parsed.map((l) => String((l as { ifname?: unknown }).ifname)) : [];
}

/**
 * Identity of a network namespace file ("dev:inode"), or null when it is gone. A pid can
 * be reused; the namespace inode of a live server does not change.
 */
export async function netnsIdentity(netnsPath: string): Promise<string | null> {
  try {
    const s = await stat(netnsPath);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}
