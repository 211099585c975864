/**
 * chbind-style live changes: add or remove one address of a running server. Three places
 * change together (the address inside, the host route, the nft sets) under an undo
 * stack; the state file is written last. Ordering makes each change safe at every
 * instant: an added address is routable and allowed before the guest can use it, and a
 * removed address is refused by the filter before anything else is taken down.
 */
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../host-paths";
import { parseCidr, parseInterfaceAddress, type InterfaceAddress, type InterfaceAddressInput } from "./address";
import { checkAddressesFree, checkOwnClaims } from "./address-claims";
import { withAddressLock, withCtxLock } from "./ctx-lock";
import { guestAddressArgv, hostRouteArgv } from "./ip-script";
import { netnsIdentity } from "./links";
import { checkCtx, hostLinkName, tableName } from "./naming";
import { requireServerState, resolveCtx, writeServerState, type ServerNetState, type ServerRef } from "./net-state";
import { changeSourcesScript, sourceElement, type SourceChange } from "./nft-script";
import { nftRun } from "./run-scripts";
import { runTool } from "../run-tool";
import { withReverter } from "../../reverter";

const noRoute = /No such process|Cannot find/i;
const noAddress = /Cannot assign requested address/i;
const exists = /File exists/i;

function parseOne(input: InterfaceAddressInput | string): InterfaceAddress {
  return typeof input === "string" ? parseCidr(input, "address") : parseInterfaceAddress(input, "address");
}

async function requireRunning(state: ServerNetState): Promise<void> {
  const id = await netnsIdentity(state.netnsPath);
  if (id === null || (state.netnsId !== null && id !== state.netnsId)) {
    throw new AgentFailure("WRONG_STATE", `ctx ${state.ctx}: its network namespace ${state.netnsPath} is gone`, "ctx");
  }
}

/** The nft change that adds (or removes) one address, with the link-local rule of allowedSources. */
function sourceChange(state: ServerNetState, a: InterfaceAddress, adding: boolean): SourceChange {
  if (a.family === 4) return adding ? { add4: [a.address] } : { remove4: [a.address] };
  const others6 = state.addresses.filter((x) => x.family === 6 && x.address !== a.address).length;
  const withLinkLocal = others6 === 0 ? [state.linkLocal] : [];
  const element = sourceElement(state.mode, a);
  return adding ? { add6: [element, ...withLinkLocal] } : { remove6: [element, ...withLinkLocal] };
}

function invert(change: SourceChange): SourceChange {
  return { add4: change.remove4, remove4: change.add4, add6: change.remove6, remove6: change.add6 };
}

/**
 * Assigns one more address to a running server (by ctx or name; the address as
 * "ADDR/PREFIX" text or { address, prefix }). Idempotent for an address it already
 * has with the same prefix; CONFLICT when another server has it. Returns the new list.
 */
export async function addAddress(server: ServerRef, input: InterfaceAddressInput | string, paths?: HostPaths): Promise<InterfaceAddress[]> {
  const ctx = checkCtx(await resolveCtx(server, paths));
  const a = parseOne(input);
  return withCtxLock(ctx, async () => {
    const state = await requireServerState(ctx, paths);
    const current = state.addresses.find((x) => x.address === a.address);
    if (current && current.prefix === a.prefix) return state.addresses;
    if (current) throw new AgentFailure("CONFLICT", `address: ${a.address} is assigned as /${current.prefix}; remove it first`, "address");
    await requireRunning(state);
    const link = hostLinkName(ctx);
    // Held until the state file records the address (see withAddressLock).
    return withAddressLock(() => withReverter(async (undo) => {
      checkOwnClaims(state.mode, state.addresses, [a], () => "address");
      await checkAddressesFree(ctx, state.mode, [a], () => "address", paths);
      const target = { hostLink: link, linkLocal: state.linkLocal };
      if (state.mode.kind === "routed") {
        await runTool("ip", hostRouteArgv("add", target, a));
        undo.push("host route", () => runTool("ip", hostRouteArgv("del", target, a), { okIf: noRoute }).then(() => undefined));
      }
      const change = sourceChange(state, a, true);
      await nftRun(changeSourcesScript(tableName(ctx), change));
      undo.push("nft sets", () => nftRun(changeSourcesScript(tableName(ctx), invert(change))));
      await runTool("ip", ["addr", "add", ...guestAddressArgv(state.mode, a)], { netns: state.netnsPath, okIf: exists });
      undo.push("guest address", () =>
        runTool("ip", ["addr", "del", ...guestAddressArgv(state.mode, a)], { netns: state.netnsPath, okIf: noAddress }).then(() => undefined),
      );
      const next = { ...state, addresses: [...state.addresses, a] };
      await writeServerState(next, paths);
      return next.addresses;
    }));
  });
}

/**
 * Takes one address away from a running server: the filter refuses it first, then the
 * host route and the address inside go. NOT_FOUND when the server does not have it.
 */
export async function removeAddress(server: ServerRef, input: InterfaceAddressInput | string, paths?: HostPaths): Promise<InterfaceAddress[]> {
  const ctx = checkCtx(await resolveCtx(server, paths));
  const wanted = typeof input === "string" ? parseCidr(input, "address").address : parseOne(input).address;
  return withCtxLock(ctx, async () => {
    const state = await requireServerState(ctx, paths);
    const a = state.addresses.find((x) => x.address === wanted);
    if (!a) throw new AgentFailure("NOT_FOUND", `address: ctx ${ctx} does not have ${wanted}`, "address");
    await requireRunning(state);
    const link = hostLinkName(ctx);
    return withReverter(async (undo) => {
      const change = sourceChange(state, a, false);
      await nftRun(changeSourcesScript(tableName(ctx), change));
      undo.push("nft sets", () => nftRun(changeSourcesScript(tableName(ctx), invert(change))));
      if (state.mode.kind === "routed") {
        const target = { hostLink: link, linkLocal: state.linkLocal };
        await runTool("ip", hostRouteArgv("del", target, a), { okIf: noRoute });
        undo.push("host route", () => runTool("ip", hostRouteArgv("add", target, a), { okIf: exists }).then(() => undefined));
      }
      await runTool("ip", ["addr", "del", ...guestAddressArgv(state.mode, a)], { netns: state.netnsPath, okIf: noAddress });
      const next = { ...state, addresses: state.addresses.filter((x) => x !== a) };
      await writeServerState(next, paths);
      return next.addresses;
    });
  });
}
