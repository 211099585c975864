/**
 * attachVserverNetwork: gives a server in its own network namespace a veth pair, its
 * addresses, routes, the anti-spoofing table and its bandwidth limits, under an undo
 * stack: a failure at any step removes everything made so far.
 *
 * Order (it matters):
 * 1. state file (intent record for a crashed agent's successor);
 * 2. host `ip -batch`: veth (guest side created inside the namespace as eth0), the host
 *    side's next-hop addresses, IFB; the host side stays DOWN;
 * 3. in parallel: nft table, tc limits, host-side sysctls, and inside the namespace its
 *    sysctls and `ip -batch` (lo, link-local, addresses, eth0 up, default routes);
 * 4. host side UP and host routes: only now can a frame pass, and only through the filter.
 * Three process starts on the critical path (ip, the slowest of step 3, ip).
 */
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../host-paths";
import { checkAddressesFree, checkOwnClaims } from "./address-claims";
import { withAddressLock, withCtxLock } from "./ctx-lock";
import { hasForceForwarding } from "./forwarding";
import { guestLines, guestSysctls, hostCreateLines, hostLinkSysctls, hostUpLines, ipBatch } from "./ip-script";
import { deleteLink, isBridge, linkExists, netnsIdentity } from "./links";
import { readServerState, removeServerState, writeServerState, type ServerNetState } from "./net-state";
import { allowedSources, createTableScript, deleteTableScript } from "./nft-script";
import { readHostSeed } from "./naming";
import { ipBatchRun, nftRun, tcRun } from "./run-scripts";
import { parseAttachRequest, type AttachNetworkRequest, type NetworkSpec } from "./spec";
import { writeHostSysctls, writeNetnsSysctls } from "./sysctl";
import { limitCommands, tcBatch } from "./tc-script";
import { withReverter } from "../../reverter";

/** What attach made. */
export interface AttachedNetwork {
  ctx: number;
  hostLink: string;
  ifb: string | null;
  table: string;
  mac: string;
  linkLocal: string;
  addresses: NetworkSpec["addresses"];
  mode: NetworkSpec["mode"];
  rate: NetworkSpec["rate"];
}

export { checkAddressesFree } from "./address-claims";

/** The nft table of a spec. */
export function tableScriptOf(spec: Pick<NetworkSpec, "table" | "hostLink" | "mac" | "addresses" | "linkLocal" | "rate" | "ifb" | "name" | "mode">): string {
  return createTableScript({
    table: spec.table,
    hostLink: spec.hostLink,
    mac: spec.mac,
    ...allowedSources(spec.addresses, spec.linkLocal, spec.mode),
    shapeVia: spec.rate.out === null ? null : spec.ifb,
    comment: `vserver ${spec.name}`,
  });
}

async function preflight(spec: NetworkSpec, paths?: HostPaths): Promise<string> {
  checkOwnClaims(spec.mode, [], spec.addresses, (i) => `interfaces[${i}].address`);
  if (await readServerState(spec.ctx, paths)) {
    throw new AgentFailure("CONFLICT", `ctx ${spec.ctx} already has a network; detach it first`, "ctx");
  }
  if ((await linkExists(spec.hostLink)) || (await linkExists(spec.ifb))) {
    throw new AgentFailure("CONFLICT", `${spec.hostLink} or ${spec.ifb} exists without a state file; clean orphans first`, "ctx");
  }
  const netnsId = await netnsIdentity(spec.netnsPath);
  if (!netnsId) throw new AgentFailure("BAD_REQUEST", `${spec.netnsPath} does not exist`, "netnsPath");
  if (netnsId === (await netnsIdentity("/proc/self/ns/net"))) {
    throw new AgentFailure("BAD_REQUEST", `${spec.netnsPath} is the host's own network namespace`, "netnsPath");
  }
  if (spec.mode.kind === "bridge" && !(await isBridge(spec.mode.bridge))) {
    throw new AgentFailure("BAD_REQUEST", `mode.bridge: ${spec.mode.bridge} is not an existing bridge`, "mode.bridge");
  }
  return netnsId;
}

/**
 * Attaches a server's network (see the file comment for the design). Throws
 * BAD_REQUEST/CONFLICT before touching anything, KERNEL (with the tool's stderr) when a
 * step fails; in that case nothing of this server is left behind.
 */
export async function attachVserverNetwork(request: AttachNetworkRequest, paths?: HostPaths): Promise<AttachedNetwork> {
  const spec = parseAttachRequest(request, readHostSeed());
  return withCtxLock(spec.ctx, async () => {
    const netnsId = await preflight(spec, paths);
    return withReverter(async (undo) => {
      const state: ServerNetState = {
        version: 1,
        name: spec.name,
        ctx: spec.ctx,
        netnsPath: spec.netnsPath,
        netnsId,
        mode: spec.mode,
        mac: spec.mac,
        linkLocal: spec.linkLocal,
        addresses: spec.addresses,
        rate: spec.rate,
      };
      // The state file is also the record of which addresses are taken: check and write
      // under the address lock so that two attaches cannot both claim one address.
      await withAddressLock(async () => {
        await checkAddressesFree(spec.ctx, spec.mode, spec.addresses, (i) => `interfaces[${i}].address`, paths);
        await writeServerState(state, paths);
      });
      undo.push("state file", () => removeServerState(spec.ctx, paths));

      // Undo before the step: a batch that fails halfway may have made the veth already.
      undo.push("veth", () => deleteLink(spec.hostLink));
      if (spec.rate.out !== null) undo.push("ifb", () => deleteLink(spec.ifb));
      await ipBatchRun(ipBatch(hostCreateLines(spec)));

      undo.push("nft table", () => nftRun(deleteTableScript(spec.table), /No such file or directory/));
      const forceForwarding = await hasForceForwarding();
      const tcLines = [
        ...(spec.rate.in !== null ? limitCommands(spec.hostLink, spec.rate.in) : []),
        ...(spec.rate.out !== null ? limitCommands(spec.ifb, spec.rate.out) : []),
      ];
      // Independent of each other while the host side is down: nothing reaches the guest
      // yet, so its sysctls need not precede its addresses. (A namespace whose IPv6 is
      // disabled by default, devconf_inherit_init_net=1 on an IPv6-less host, makes the
      // guest batch fail and the attach revert, with the kernel's message.)
      const results = await Promise.allSettled([
        nftRun(tableScriptOf(spec)),
        tcRun(tcBatch(tcLines)),
        writeHostSysctls(hostLinkSysctls(spec, forceForwarding)),
        writeNetnsSysctls(spec.netnsPath, guestSysctls()),
        ipBatchRun(ipBatch(guestLines(spec)), spec.netnsPath),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;

      await ipBatchRun(ipBatch(hostUpLines(spec)));
      return {
        ctx: spec.ctx,
        hostLink: spec.hostLink,
        ifb: spec.rate.out === null ? null : spec.ifb,
        table: spec.table,
        mac: spec.mac,
        linkLocal: spec.linkLocal,
        addresses: spec.addresses,
        mode: spec.mode,
        rate: spec.rate,
      };
    });
  });
}
