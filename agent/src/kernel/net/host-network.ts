/**
 * Host preparation for vserver networking, idempotent and reversible:
 * - forwarding: "global" turns on net.ipv4.ip_forward and net.ipv6.conf.all.forwarding
 *   (what a routed host needs so that traffic from its uplink reaches the servers);
 *   "devices" changes nothing global and relies on per-device forwarding that attach
 *   sets on each host-side veth (IPv4 `forwarding`, IPv6 `force_forwarding`): enough for
 *   server <-> server and server <-> host, and for hosts whose uplink forwarding is
 *   managed elsewhere. Note: flipping IPv6 forwarding globally makes the kernel send MLD
 *   reports on every interface.
 * - bridges: created when missing (with the pool gateway addresses given), left alone
 *   when they exist.
 * Proxy ARP/NDP are not needed by the routed design (see ip-script.ts) and so never
 * enabled. Every change is recorded in host.json before it is made; release restores it
 * once no server is attached any more.
 */
import { createHash } from "node:crypto";
import { AgentFailure, badInput } from "../../errors";
import type { HostPaths } from "../../host-paths";
import { cidrText, parseInterfaceAddresses, type InterfaceAddressInput } from "./address";
import { enableGlobalForwarding, hasForceForwarding, restoreSysctls, snapshotForwarding } from "./forwarding";
import { readHostState, removeHostState, writeHostState, type HostNetState } from "./host-state";
import { ipBatch } from "./ip-script";
import { bridgePorts, deleteLink, isBridge, linkExists } from "./links";
import { listServerStates } from "./net-state";
import { readHostSeed } from "./naming";
import { ipBatchRun } from "./run-scripts";
import { checkIfName } from "./spec";
import { writeHostSysctls } from "./sysctl";

/** A bridge for bridge-mode servers. */
export interface BridgeOptions {
  name: string;
  /** Addresses the host takes on the bridge (the pool's gateways), only when we create it. */
  addresses?: InterfaceAddressInput[];
}

/** Options of {@link ensureHostNetwork}. */
export interface HostNetworkOptions {
  /** Default "global". */
  forwarding?: "global" | "devices";
  bridges?: BridgeOptions[];
}

/** What {@link ensureHostNetwork} did. */
export interface HostNetworkReport {
  forwarding: "global" | "devices";
  changedSysctls: string[];
  createdBridges: string[];
}

function bridgeMac(name: string): string {
  const d = createHash("sha256").update(`${readHostSeed()}:bridge:${name}`).digest();
  return [0x02, d[0]!, d[1]!, d[2]!, d[3]!, d[4]!].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

async function createBridge(b: BridgeOptions, index: number, forwarding: "global" | "devices"): Promise<void> {
  const addresses = parseInterfaceAddresses(b.addresses ?? [], `bridges[${index}].addresses`);
  // A fixed MAC: a bridge otherwise takes its lowest port's, and the gateway's MAC would
  // change under the servers' neighbour caches whenever a server starts or stops.
  await ipBatchRun(ipBatch([`link add ${b.name} address ${bridgeMac(b.name)} type bridge`]));
  try {
    const sysctls: [string, string][] = [
      [`net.ipv6.conf.${b.name}.accept_ra`, "0"],
      [`net.ipv6.conf.${b.name}.autoconf`, "0"],
    ];
    if (forwarding === "devices") {
      sysctls.push([`net.ipv4.conf.${b.name}.forwarding`, "1"]);
      if (await hasForceForwarding()) sysctls.push([`net.ipv6.conf.${b.name}.force_forwarding`, "1"]);
    }
    await writeHostSysctls(sysctls);
    await ipBatchRun(
      ipBatch([
        ...addresses.map((a) => `addr add ${cidrText(a)} dev ${b.name}${a.family === 6 ? " nodad" : ""}`),
        `link set dev ${b.name} up`,
      ]),
    );
  } catch (error) {
    await deleteLink(b.name).catch(() => undefined);
    throw error;
  }
}

/**
 * Prepares the host; safe to call on every agent start and before every attach. Records
 * first, changes second, so a crash in between still leaves a complete record.
 */
export async function ensureHostNetwork(options: HostNetworkOptions = {}, paths?: HostPaths): Promise<HostNetworkReport> {
  const forwarding = options.forwarding ?? "global";
  if (forwarding !== "global" && forwarding !== "devices") throw badInput("forwarding", `must be "global" or "devices"`);
  const bridges = (options.bridges ?? []).map((b, i) => ({ ...b, name: checkIfName(b?.name, `bridges[${i}].name`) }));
  if (forwarding === "devices" && !(await hasForceForwarding())) {
    throw new AgentFailure("UNSUPPORTED", "this kernel has no per-device IPv6 forwarding (force_forwarding); use forwarding: global", "forwarding");
  }
  const state: HostNetState = (await readHostState(paths)) ?? { version: 1, forwarding, saved: [], createdBridges: [] };
  const report: HostNetworkReport = { forwarding: state.forwarding, changedSysctls: [], createdBridges: [] };

  if (forwarding === "global") {
    if (!state.saved.length) state.saved = await snapshotForwarding();
    state.forwarding = "global";
    await writeHostState(state, paths);
    report.forwarding = "global";
    report.changedSysctls = await enableGlobalForwarding();
  }

  for (const [i, b] of bridges.entries()) {
    if (await linkExists(b.name)) {
      if (!(await isBridge(b.name))) throw badInput(`bridges[${i}].name`, `${b.name} exists and is not a bridge`);
      continue;
    }
    if (!state.createdBridges.includes(b.name)) state.createdBridges.push(b.name);
    await writeHostState(state, paths);
    await createBridge(b, i, state.forwarding);
    report.createdBridges.push(b.name);
  }
  await writeHostState(state, paths);
  return report;
}

/** What {@link releaseHostNetwork} did. */
export interface HostReleaseReport {
  released: boolean;
  /** Servers still attached (nothing was released while there are any). */
  inUse: number[];
  restoredSysctls: string[];
  removedBridges: string[];
  /** Bridges we created that still have ports (someone else's), left in place. */
  keptBridges: string[];
}

/**
 * Undoes ensureHostNetwork once the last server is gone (or with `force`). Removes only
 * bridges it created and that have no ports left; restores only values it saved.
 */
export async function releaseHostNetwork(options: { force?: boolean } = {}, paths?: HostPaths): Promise<HostReleaseReport> {
  const inUse = await listServerStates(paths);
  const report: HostReleaseReport = { released: false, inUse, restoredSysctls: [], removedBridges: [], keptBridges: [] };
  if (inUse.length && !options.force) return report;
  const state = await readHostState(paths);
  if (state) {
    for (const name of state.createdBridges) {
      if (!(await linkExists(name))) continue;
      if ((await bridgePorts(name)).length) {
        report.keptBridges.push(name);
        continue;
      }
      await deleteLink(name);
      report.removedBridges.push(name);
    }
    report.restoredSysctls = await restoreSysctls(state.saved);
    await removeHostState(paths);
  }
  report.released = true;
  return report;
}
