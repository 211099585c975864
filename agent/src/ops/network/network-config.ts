/**
 * How servers are networked on this host, from one-value files in util-vserver's style
 * (absent = the default):
 *
 *   CONFDIR/.defaults/network/mode              routed | bridge          (routed)
 *   CONFDIR/.defaults/network/bridge            the bridge of bridge mode (an interface name)
 *   CONFDIR/.defaults/network/gateway4          the pool's gateways, the guests' default routes
 *   CONFDIR/.defaults/network/gateway6          in bridge mode
 *   CONFDIR/.defaults/network/bridge-addresses  CIDRs the host takes on the bridge when the
 *                                               agent has to create it (one per line)
 *   CONFDIR/.defaults/network/forwarding        devices | global         (devices)
 *   CONFDIR/NAME/network/{mode,bridge,gateway4,gateway6}   one server's own choice
 *
 * A server's `network/mode` overrides the host's; in bridge mode its bridge and gateways
 * default to the host's. Forwarding defaults to `devices` (kernel/net/DESIGN.md): only the
 * servers' own host-side links forward, so server↔server and server↔host work and
 * nothing host-wide changes. A routed host whose uplink must forward to its servers says
 * `global`; the agent then turns global forwarding on with the first server and restores
 * it after the last (which also makes IPv6 send MLD reports on every interface).
 */
import path from "node:path";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { badConfig, readLines, readValue } from "../../config/vserver/value-files";
import { parseCidr, parseIp, type BridgeOptions, type HostNetworkOptions, type NetworkModeInput } from "../../kernel/net";
import { checkIfName } from "../../kernel/net/spec";

/** The host's defaults as read. */
export interface HostNetworkConfig {
  mode: "routed" | "bridge";
  bridge: string | null;
  gateway4: string | null;
  gateway6: string | null;
  bridgeAddresses: { address: string; prefix: number }[];
  forwarding: "devices" | "global";
}

/** What starting one server needs from the config. */
export interface ServerNetworkPlan {
  mode: NetworkModeInput;
  host: HostNetworkOptions;
}

/** `CONFDIR/.defaults/network`. */
export function hostNetworkDir(paths: HostPaths): string {
  return path.join(paths.confDir, ".defaults", "network");
}

function oneOf<T extends string>(file: string, allowed: readonly T[]): T | undefined {
  const v = readValue(file);
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw badConfig(file, `"${v}" is not one of ${allowed.join(", ")}`);
  return v as T;
}

function ifName(file: string): string | undefined {
  const v = readValue(file);
  if (v === undefined) return undefined;
  try {
    return checkIfName(v, path.basename(file));
  } catch (e) {
    throw badConfig(file, e instanceof Error ? e.message : String(e));
  }
}

function gateway(file: string, family: 4 | 6): string | undefined {
  const v = readValue(file);
  if (v === undefined) return undefined;
  const ip = parseIp(v);
  if (!ip || ip.family !== family) throw badConfig(file, `"${v}" is not an IPv${family} address`);
  return ip.address;
}

/** Reads the host's defaults (errors name the file). */
export function readHostNetworkConfig(paths: HostPaths): HostNetworkConfig {
  const dir = hostNetworkDir(paths);
  const bridgeAddresses = readLines(path.join(dir, "bridge-addresses")).map((line) => {
    try {
      const a = parseCidr(line, "bridge-addresses");
      return { address: a.address, prefix: a.prefix };
    } catch (e) {
      throw badConfig(path.join(dir, "bridge-addresses"), e instanceof Error ? e.message : String(e));
    }
  });
  return {
    mode: oneOf(path.join(dir, "mode"), ["routed", "bridge"] as const) ?? "routed",
    bridge: ifName(path.join(dir, "bridge")) ?? null,
    gateway4: gateway(path.join(dir, "gateway4"), 4) ?? null,
    gateway6: gateway(path.join(dir, "gateway6"), 6) ?? null,
    bridgeAddresses,
    forwarding: oneOf(path.join(dir, "forwarding"), ["devices", "global"] as const) ?? "devices",
  };
}

/** The mode and host preparation for server `name` (its `network/` over the host's defaults). */
export function serverNetworkPlan(paths: HostPaths, name: string): ServerNetworkPlan {
  const host = readHostNetworkConfig(paths);
  const dir = path.join(paths.confDir, name, "network");
  const mode = oneOf(path.join(dir, "mode"), ["routed", "bridge"] as const) ?? host.mode;
  if (mode === "routed") return { mode: "routed", host: { forwarding: host.forwarding } };
  const own = ifName(path.join(dir, "bridge"));
  const bridge = own ?? host.bridge;
  if (!bridge) {
    throw new AgentFailure("BAD_REQUEST", `${path.join(dir, "bridge")}: bridge mode needs a bridge (here or in ${hostNetworkDir(paths)}/bridge)`, "bridge");
  }
  const gateway4 = gateway(path.join(dir, "gateway4"), 4) ?? host.gateway4 ?? undefined;
  const gateway6 = gateway(path.join(dir, "gateway6"), 6) ?? host.gateway6 ?? undefined;
  // Only the host's own bridge is made when missing; a server's own bridge must exist
  // (attach refuses a missing one), so a typo cannot create a bridge to nowhere.
  const bridges: BridgeOptions[] = bridge === host.bridge ? [{ name: bridge, addresses: host.bridgeAddresses }] : [];
  return { mode: { bridge, gateway4, gateway6 }, host: { forwarding: host.forwarding, bridges } };
}
