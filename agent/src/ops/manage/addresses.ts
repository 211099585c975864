/**
 * `vserver NAME ip add|del IP/PREFIX` (chbind): an address is persisted in
 * `interfaces/` and, on a running server, added or removed live by the network layer.
 * A server started without any address has no veth: its first address applies at the
 * next start (the answer says so).
 */
import type { InterfaceAddress } from "@/lib/protocol/names";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeInterfaceList } from "../../config/vserver/write-config";
import { addAddress, parseInterfaceAddress, removeAddress } from "../../kernel/net";
import { checkAddressesUnused } from "../build/build-vserver";
import { withContextLock, withServerLock } from "../locks";
import { initAlive, readRunState } from "../runtime/run-state";

/** Whether the change reached the running server or waits for the next start. */
export interface AddressResult {
  interfaces: InterfaceAddress[];
  live: boolean;
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
      checkAddressesUnused(paths, name, [a], "address");
      const state = readRunState(paths, name);
      const live = state !== null && initAlive(state) && state.network;
      if (live) await addAddress(cfg.context, a, paths);
      const next = [...cfg.interfaces, a];
      try {
        writeInterfaceList(paths, name, next);
      } catch (e) {
        if (live) await removeAddress(cfg.context, a, paths).catch(() => undefined);
        throw e;
      }
      return { interfaces: next, live };
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
