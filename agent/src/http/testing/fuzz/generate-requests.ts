/**
 * The fuzz corpus for the agent API, generated from the wire contract (every operation
 * of lib/protocol/operations.ts) with a seeded generator: mutations of valid-looking
 * inputs, whole hostile bodies, huge bodies, wrong methods, wrong or missing
 * credentials and unknown routes. Every request is built so that it cannot change the
 * host: an input the schema would accept is only sent to operations that read, or
 * with every server name pointing at a server that does not exist, or not at all for
 * operations that create or touch every server (see {@link operationSafety}).
 */
import type { z } from "zod";
import { operations } from "@/lib/protocol";
import { deepArray, deepObject, hostileBodies, hostileNumbers, hostileStrings, hostileTypes } from "./hostile-values";
import type { Random } from "./random";
import { sampleInput, type SampleNames } from "./sample-input";

/** One request of the corpus. */
export interface FuzzRequest {
  /** What the request tries, for failure messages. */
  note: string;
  method: string;
  path: string;
  /** Extra headers (the credential is added unless `auth` says otherwise). */
  headers?: Record<string, string>;
  /** "valid" uses the agent's credential; a string replaces the Authorization header; null sends none. */
  auth: "valid" | string | null;
  body?: string;
  /** The operation, when the path names a real one. */
  op?: string;
}

/**
 * What a valid input may do on the test host: `read` operations answer from state;
 * `targeted` ones change the server they name (valid inputs are sent only with names
 * that exist nowhere); `never` ones create something or act on every server, so only
 * inputs the schema refuses are sent. Every operation of the contract must be here (the
 * fuzz test fails on one that is not: a new operation is classified when it is added).
 */
export const operationSafety: Record<string, "read" | "targeted" | "never"> = {
  health: "read",
  listVservers: "read",
  getVserver: "read",
  getOperation: "read",
  getUsage: "read",
  listProcesses: "read",
  vserverStat: "read",
  listTemplates: "read",
  getUnifyReport: "read",
  getServerHistory: "read",
  getHostHistory: "read",
  getUsageSamples: "read",
  getTrafficTotals: "read",
  startVserver: "targeted",
  runVserver: "targeted",
  stopVserver: "targeted",
  restartVserver: "targeted",
  deleteVserver: "targeted",
  execInVserver: "targeted",
  setLimits: "targeted",
  addAddress: "targeted",
  removeAddress: "targeted",
  setRootAccess: "targeted",
  setUserNamespace: "targeted",
  setRestartPolicy: "targeted",
  setDesiredState: "targeted",
  exportTemplate: "targeted",
  deleteTemplate: "targeted",
  reinstallVserver: "targeted",
  updatePackages: "targeted",
  offerTransfer: "targeted",
  // Touches only the named server's offers (none for a server that does not exist).
  withdrawTransfers: "targeted",
  // Rescue: each checks the named server before anything else.
  startRescue: "targeted",
  endRescue: "targeted",
  getRescue: "read",
  createVserver: "never",
  // Builds a server from whatever the named endpoint sends.
  receiveTransfer: "never",
  // Writes into the named server whatever the named endpoint sends.
  syncTransfer: "never",
  unifyVservers: "never",
  // Backups: these three check the named server before anything else.
  createBackup: "targeted",
  restoreBackup: "targeted",
  restoreBackupFiles: "targeted",
  // The rest open a target's repository (the default one is made on first use) or the
  // agent's SSH key: a valid input changes the state dir.
  listBackupTargets: "never",
  putBackupTarget: "never",
  deleteBackupTarget: "never",
  checkBackupTarget: "never",
  listBackups: "never",
  deleteBackup: "never",
  pruneBackups: "never",
  browseBackup: "never",
  restoreBackupAsNew: "never",
};

/** The operations that `table` does not classify (each must be, see {@link operationSafety}). */
export function unclassifiedOperations(names: string[], table: Record<string, unknown>): string[] {
  return names.filter((op) => !(op in table)).sort();
}

type Path = (string | number)[];

/** Every path into `value` (not below depth 12: earlier mutations may have nested it deeply). */
function leafPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length >= 12) return out;
  // Index loops, not slice/filter: a mutation may have given an array an own "constructor"
  // key, which Array methods that make new arrays (species) would call.
  if (Array.isArray(value)) for (let i = 0; i < Math.min(value.length, 16); i++) leafPaths(value[i], [...prefix, i], out);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) leafPaths(v, [...prefix, k], out);
  return out;
}

/** Sets an own property: a plain assignment to "__proto__" would swap the prototype
 * (of an array too, leaving an "array" without slice) instead of sending that key. */
function put(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  put(copy, head!, setAt(Object.hasOwn(copy, head!) ? copy[head!] : undefined, rest, value));
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  if (path.length === 1) {
    if (Array.isArray(root)) return Array.from({ length: root.length }, (_, i) => root[i]).filter((_, i) => i !== path[0]);
    const { [path[0]!]: _gone, ...rest } = root as Record<string, unknown>;
    return rest;
  }
  const [head, ...tail] = path;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  put(copy, head!, deleteAt(Object.hasOwn(copy, head!) ? copy[head!] : undefined, tail));
  return copy;
}

/** One random mutation of `body`. */
function mutate(body: unknown, rnd: Random): { body: unknown; note: string } {
  const paths = leafPaths(body);
  const path = rnd.pick(paths);
  const at = path.join(".") || "(body)";
  switch (rnd.int(7)) {
    case 0: {
      const v = rnd.pick(hostileStrings);
      return { body: setAt(body, path, v), note: `${at} = string(${JSON.stringify(v.slice(0, 20))}${v.length > 20 ? `…${v.length}` : ""})` };
    }
    case 1: {
      const v = rnd.pick(hostileNumbers);
      return { body: setAt(body, path, v), note: `${at} = ${v}` };
    }
    case 2: {
      const v = rnd.pick(hostileTypes);
      return { body: setAt(body, path, v), note: `${at} = ${JSON.stringify(v).slice(0, 30)}` };
    }
    case 3:
      return path.length ? { body: deleteAt(body, path), note: `without ${at}` } : { body: {}, note: "empty object" };
    case 4: {
      const key = rnd.pick(["extra", "__proto__", "constructor", "NAME", "name ", ""]);
      const target = path.length && body && typeof body === "object" ? path.slice(0, -1) : [];
      return { body: setAt(body, [...target, key], rnd.pick([1, "x", null, {}])), note: `unknown field ${JSON.stringify(key)} at ${target.join(".") || "(body)"}` };
    }
    case 5:
      return { body: setAt(body, path, [rnd.pick([body, 1, "a"])]), note: `${at} wrapped in an array` };
    default:
      return { body: setAt(body, path, rnd.chance(0.5) ? deepArray(500 + rnd.int(1500)) : deepObject(500 + rnd.int(1500))), note: `${at} deeply nested` };
  }
}

/** Replaces every string equal to `from` (a server that exists) by `to` (one that does not). */
function retarget(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return [...value].map((v) => retarget(v, from, to));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, retarget(v, from, to)]));
  return value;
}

/** Makes a JSON request for `op` safe to send (see the module comment); null when it cannot be. */
export function makeSafe(op: string, body: unknown, names: SampleNames): unknown | null {
  const schema = (operations as Record<string, { input: z.ZodType }>)[op]!.input;
  const wire = body === undefined ? {} : (JSON.parse(JSON.stringify(body)) as unknown);
  if (!schema.safeParse(wire).success) return wire;
  const safety = operationSafety[op] ?? "never";
  if (safety === "read") return wire;
  if (safety === "never") return null;
  // Valid or not after the swap, the request cannot reach the server that exists.
  return retarget(wire, names.existing, names.missing[0]!);
}

/** The generated part of the corpus: `count` mutated JSON requests spread over all operations. */
export function generateJsonRequests(rnd: Random, names: SampleNames, count: number): FuzzRequest[] {
  const ops = Object.keys(operations);
  const out: FuzzRequest[] = [];
  for (let i = 0; out.length < count && i < count * 4; i++) {
    const op = ops[i % ops.length]!;
    const schema = (operations as Record<string, { input: z.ZodType }>)[op]!.input;
    let body = sampleInput(schema, rnd, names);
    const notes: string[] = [];
    for (let m = rnd.chance(0.1) ? 0 : 1 + rnd.int(2); m > 0; m--) {
      const next = mutate(body, rnd);
      body = next.body;
      notes.push(next.note);
    }
    let safe: unknown;
    try {
      safe = makeSafe(op, body, names);
    } catch {
      continue; // nested too deeply for JSON.stringify here (the fixed corpus sends deeper raw text)
    }
    if (safe === null) continue;
    out.push({ note: `${op}: ${notes.join(", ") || "unmutated sample"}`, method: "POST", path: `/v1/${op}`, auth: "valid", body: JSON.stringify(safe), op });
  }
  return out;
}

/** The fixed part of the corpus: whole bodies, sizes, methods, credentials and routes, for every operation. */
export function edgeRequests(token: string): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const ops = Object.keys(operations);
  for (const op of ops) {
    for (const body of hostileBodies) out.push({ note: `${op}: body ${JSON.stringify(body.slice(0, 24))}${body.length > 24 ? `…(${body.length})` : ""}`, method: "POST", path: `/v1/${op}`, auth: "valid", body, op });
    for (const method of ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]) {
      if (method === "GET" && op === "health") continue;
      out.push({ note: `${op}: ${method}`, method, path: `/v1/${op}`, auth: "valid", body: method === "GET" || method === "HEAD" ? undefined : "{}", op });
    }
    for (const [what, header] of [
      ["no credential", null],
      ["empty bearer", "Bearer "],
      ["wrong token", "Bearer vsa_wrong"],
      ["token plus a byte", `Bearer ${token}x`],
      ["token minus a byte", `Bearer ${token.slice(0, -1)}`],
      ["lower-case scheme", `bearer ${token}`],
      ["basic auth", `Basic ${Buffer.from(`root:${token}`).toString("base64")}`],
      ["token without scheme", token],
    ] as const) {
      out.push({ note: `${op}: ${what}`, method: "POST", path: `/v1/${op}`, auth: header, body: "{}", op });
    }
    const big = `{"name":"${"a".repeat(1024 * 1024 + 16)}"}`;
    out.push({ note: `${op}: body over 1 MiB`, method: "POST", path: `/v1/${op}`, auth: "valid", body: big, op });
    out.push({ note: `${op}: 4 MiB of garbage`, method: "POST", path: `/v1/${op}`, auth: "valid", body: "x".repeat(4 * 1024 * 1024), op });
  }
  for (const path of ["/v1/nope", "/v1/", "/v1", "/", "/v2/health", "/v1/health/x", "/v1/HEALTH", "/v1/__proto__", "/v1/constructor", "/v1/toString", "/v1/health?x=1", "/v1/../v1/health", `/v1/${"a".repeat(8000)}`, "/v1/%00", "/v1/h%C3%A9alth"]) {
    out.push({ note: `route ${path.slice(0, 40)}`, method: "POST", path, auth: "valid", body: "{}" });
    out.push({ note: `route ${path.slice(0, 40)} without credential`, method: "POST", path, auth: null, body: "{}" });
  }
  out.push({ note: "x-request-id with path characters", method: "POST", path: "/v1/health", auth: "valid", body: "{}", headers: { "x-request-id": "../../etc/passwd" }, op: "health" });
  out.push({ note: "x-request-id of 2000 characters", method: "POST", path: "/v1/health", auth: "valid", body: "{}", headers: { "x-request-id": "r".repeat(2000) }, op: "health" });
  out.push({ note: "text/plain content type", method: "POST", path: "/v1/listVservers", auth: "valid", body: "{}", headers: { "content-type": "text/plain" }, op: "listVservers" });
  return out;
}
