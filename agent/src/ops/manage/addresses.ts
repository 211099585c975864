/**
 * `vserver NAME ip add|del IP/PREFIX` (chbind): an address is persisted in
 * `interfaces/` and, on a running server, added or removed live by the network layer.
 * A running server that has no network yet (it started without any address) gets its
 * veth, filter and routes with its first address, at once. The last address removed
 * leaves the veth until the next stop, with an empty filter: the server reaches no one.
 */
import type { InterfaceAddress } from "@/lib/protocol/names";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeInterfaceList } from "../../config/vserver/write-config";
import { addAddress, parseInterfaceAddress, removeAddress } from "../../kernel/net";
import { withContextLock, withServerLock } from "../locks";
import { checkAddressesUnused } from "../network/check-addresses-unused";
import { serverNetworkPlan } from "../network/network-config";
import { attachServerNetwork, detachServerNetwork } from "../network/server-network";
import { withReverter } from "../reverter";
import { initAlive, readRunState, writeRunState, type RunState } from "../runtime/run-state";

/** Whether the change reached the running server or waits for the next start. */
export interface AddressResult {
  interfaces: InterfaceAddress[];
  live: boolean;
}

/** Gives a running server without a network its first address (veth, filter, routes). */
async function attachFirst(paths: HostPaths, state: RunState, name: string, a: InterfaceAddress, netRate: number | null): Promise<void> {
  const plan = serverNetworkPlan(paths, name);
  await withReverter(async (r) => {
    // The run state says "network" first, so a crash half-way is cleaned up at the stop.
    writeRunState(paths, { ...state, network: true });
    r.push("run state", () => writeRunState(paths, state));
    r.push("network", () => detachServerNetwork(paths, state.context));
    await attachServerNetwork(paths, { name, ctx: state.context, initPid: state.initPid, interfaces: [a], netRate }, plan);
  });
}

/** Adds an address (CONFLICT when another server has it). */
export async function addVserverAddress(paths: HostPaths, name: string, input: InterfaceAddress): Promise<AddressResult> {
  const parsed = parseInterfaceAddress(input, "address");
  const a = { address: parsed.address, prefix: parsed.prefix };
  return withServerLock(paths, name, () =>
    withContextLock(paths, async () => {
      const cfg = readVserverConfig(paths, name);
      const existing = cfg.interfaces.find((x) => x.address === a.address);
      if (existing && existing.prefix === a.prefix) return { interfaces: cfg.interfaces, live: false };
      if (existing) throw new AgentFailure("CONFLICT", `address: ${a.address} is assigned as /${existing.prefix}; remove it first`, "address");
      checkAddressesUnused(paths, name, [a], "address", cfg.interfaces);
      const state = readRunState(paths, name);
      const running = state !== null && initAlive(state);
      const next = [...cfg.interfaces, a];
      return withReverter(async (r) => {
        if (running && state.network) {
          await addAddress(cfg.context, a, paths);
          r.push("live address", () => removeAddress(cfg.context, a, paths));
        } else if (running) {
          await attachFirst(paths, state, name, a, cfg.limits.netRate);
          r.push("network", async () => {
            await detachServerNetwork(paths, cfg.context);
            writeRunState(paths, state);
          });
        }
        writeInterfaceList(paths, name, next);
        return { interfaces: next, live: running };
      });
    }),
  );
}

/** Removes an address (NOT_FOUND when the server does not have it). */
export async function removeVserverAddress(paths: HostPaths, name: string, input: InterfaceAddress): Promise<AddressResult> {
  const parsed = parseInterfaceAddress(input, "address");
  return withServerLock(paths, name, async () => {
    const cfg = readVserverConfig(paths, name);
    const a = cfg.interfaces.find((x) => x.address === parsed.address);
    if (!a) throw new AgentFailure("NOT_FOUND", `address: vserver "${name}" does not have ${parsed.address}`, "address");
    const state = readRunState(paths, name);
    const live = state !== null && initAlive(state) && state.network;
    const next = cfg.interfaces.filter((x) => x !== a);
    // Even the last address goes live; the veth itself stays until the next stop.
    if (live) await removeAddress(cfg.context, a, paths);
    writeInterfaceList(paths, name, next);
    return { interfaces: next, live };
  });
}
