/**
 * The attach request and its validated form. Everything later steps need (names, MAC,
 * link-local, netns path) is computed here once, so the kernel steps are plain data
 * in, commands out.
 */
import path from "node:path";
import { badInput } from "../../errors";
import { parseInterfaceAddresses, parseIpOrThrow, type InterfaceAddress, type InterfaceAddressInput } from "./address";
import { checkBitRate } from "./bit-rate";
import { checkCtx, checkMac, guestMac, hostLinkName, ifbName, linkLocalFromMac, tableName } from "./naming";

/** Where the server's traffic goes on the host. */
export type NetworkModeInput =
  | "routed"
  | {
      /** An existing bridge (see ensureHostNetwork) the host side joins. */
      bridge: string;
      /** Default IPv4 gateway of the pool on that bridge. */
      gateway4?: string;
      /** Default IPv6 gateway of the pool on that bridge. */
      gateway6?: string;
    };

/** Bandwidth limits in bits/s; `in` = to the server, `out` = from it. null/absent = none. */
export interface RateInput {
  in?: number | null;
  out?: number | null;
}

/** What the caller asks for: see attachVserverNetwork. */
export interface AttachNetworkRequest {
  /** The vserver's name (messages, state). */
  name: string;
  /** Context id, unique per host. */
  ctx: number;
  /** Pid of a process in the server's network namespace (usually its init). */
  netnsPid?: number;
  /** Or a path to the namespace (/proc/PID/ns/net, /run/netns/NAME). */
  netnsPath?: string;
  interfaces: InterfaceAddressInput[];
  mode?: NetworkModeInput;
  rateBitsPerSec?: RateInput;
  /** Override of the derived guest MAC. */
  mac?: string;
}

/** Validated mode. */
export type NetworkMode =
  | { kind: "routed" }
  | { kind: "bridge"; bridge: string; gateway4: string | null; gateway6: string | null };

/** Validated rates. */
export interface RateLimit {
  in: number | null;
  out: number | null;
}

/** A validated attach request with everything derived. */
export interface NetworkSpec {
  name: string;
  ctx: number;
  netnsPath: string;
  addresses: InterfaceAddress[];
  mode: NetworkMode;
  rate: RateLimit;
  mac: string;
  linkLocal: string;
  hostLink: string;
  ifb: string;
  table: string;
}

/** Linux interface names: 1-15 chars, no "/", no whitespace, not "." or "..". */
export function checkIfName(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_.-]{1,15}$/.test(value) || value === "." || value === "..") {
    throw badInput(field, "must be an interface name of 1-15 letters, digits, '_', '.', '-'");
  }
  return value;
}

/** Vserver names as util-vserver allows them in /etc/vservers. */
export function checkServerName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw badInput(field, "must be 1-64 letters, digits, '.', '_', '-', starting with a letter or digit");
  }
  return value;
}

/** Resolves `netnsPid` / `netnsPath` to one absolute path. */
export function netnsPathOf(input: { netnsPid?: unknown; netnsPath?: unknown }): string {
  if (input.netnsPid !== undefined && input.netnsPath !== undefined) {
    throw badInput("netnsPid", "give netnsPid or netnsPath, not both");
  }
  if (input.netnsPid !== undefined) {
    const pid = input.netnsPid;
    if (typeof pid !== "number" || !Number.isInteger(pid) || pid < 1 || pid > 4_194_304) {
      throw badInput("netnsPid", "must be a process id");
    }
    return `/proc/${pid}/ns/net`;
  }
  const p = input.netnsPath;
  if (typeof p !== "string" || !path.isAbsolute(p) || path.normalize(p) !== p || p.includes("\0")) {
    throw badInput("netnsPath", "must be an absolute, normalized path (or give netnsPid)");
  }
  return p;
}

function parseMode(input: unknown): NetworkMode {
  if (input === undefined || input === "routed") return { kind: "routed" };
  if (typeof input !== "object" || input === null || !("bridge" in input)) {
    throw badInput("mode", `must be "routed" or { bridge, gateway4?, gateway6? }`);
  }
  const m = input as Record<string, unknown>;
  const bridge = checkIfName(m.bridge, "mode.bridge");
  if (/^vs[hi]\d/.test(bridge)) throw badInput("mode.bridge", "vsh*/vsi* names belong to the servers");
  const gw = (v: unknown, field: string, family: 4 | 6) =>
    v === undefined || v === null ? null : parseIpOrThrow(v, field, family).address;
  return { kind: "bridge", bridge, gateway4: gw(m.gateway4, "mode.gateway4", 4), gateway6: gw(m.gateway6, "mode.gateway6", 6) };
}

/** Parses the rate object of a request (also used by live rate changes). */
export function parseRate(input: unknown, field = "rateBitsPerSec"): RateLimit {
  if (input === undefined || input === null) return { in: null, out: null };
  if (typeof input !== "object") throw badInput(field, "must be { in?, out? } in bits/s");
  const r = input as Record<string, unknown>;
  return { in: checkBitRate(r.in, `${field}.in`), out: checkBitRate(r.out, `${field}.out`) };
}

/** Validates an attach request; `hostSeed` makes the default MAC host-unique. */
export function parseAttachRequest(input: AttachNetworkRequest, hostSeed: string): NetworkSpec {
  const name = checkServerName(input.name);
  const ctx = checkCtx(input.ctx);
  const netnsPath = netnsPathOf(input);
  const addresses = parseInterfaceAddresses(input.interfaces, "interfaces");
  const mode = parseMode(input.mode);
  const rate = parseRate(input.rateBitsPerSec);
  const mac = input.mac === undefined ? guestMac(ctx, hostSeed) : checkMac(input.mac, "mac");
  return {
    name,
    ctx,
    netnsPath,
    addresses,
    mode,
    rate,
    mac,
    linkLocal: linkLocalFromMac(mac),
    hostLink: hostLinkName(ctx),
    ifb: ifbName(ctx),
    table: tableName(ctx),
  };
}
