/** StartSpec → the record stream vs-start reads on fd 3. */
import { encodeRecords, type SpecRecord } from "./records";
import type { SandboxSpec, SeccompRule, SetupEntry, StartSpec } from "./spec-types";

/** The helper compares 32-bit words: a wider value would be cut silently, so refuse it. */
function hex32(v: number): string {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new TypeError(`seccomp argument value ${v} is not a 32-bit unsigned integer`);
  return "0x" + v.toString(16);
}

/** `arch nr errno`, `… index mask` (the helper's older form), or `… index eq value`. */
function ruleFields(arch: string, r: SeccompRule): string[] {
  const f = [arch, String(r.nr), String(r.errno)];
  if (r.arg && "equals" in r.arg) f.push(String(r.arg.index), "eq", hex32(r.arg.equals));
  else if (r.arg) f.push(String(r.arg.index), hex32(r.arg.mask));
  return f;
}

/** Records for caps, no_new_privs and seccomp (shared by vs-start and vs-enter). */
export function sandboxRecords(s: SandboxSpec): SpecRecord[] {
  const out: SpecRecord[] = [{ key: "caps", fields: s.keepCaps.map(String) }];
  if (s.noNewPrivs) out.push({ key: "no-new-privs", fields: [] });
  if (s.seccomp) {
    const sc = s.seccomp;
    out.push({ key: "seccomp", fields: [sc.i386 === "deny" ? "deny" : "list", String(sc.denyErrno)] });
    for (const r of sc.x86_64) out.push({ key: "syscall", fields: ruleFields("x86_64", r) });
    if (sc.i386 !== "deny") for (const r of sc.i386) out.push({ key: "syscall", fields: ruleFields("i386", r) });
  }
  return out;
}

function setupRecord(e: SetupEntry): SpecRecord {
  switch (e.op) {
    case "mount":
      return { key: "mount", fields: [e.kind, e.target, e.flags.join(","), e.source ?? "", ...(e.options ?? [])] };
    case "device":
      return {
        key: "device",
        fields: [e.path, String(e.major), String(e.minor), e.mode.toString(8), e.bindHost ?? ""],
      };
    case "symlink":
      return { key: "symlink", fields: [e.path, e.target] };
  }
}

/** Encodes a start spec (version 1 of the format). */
export function encodeStartSpec(s: StartSpec): Buffer {
  const r: SpecRecord[] = [
    { key: "version", fields: ["1"] },
    { key: "root", fields: [s.root] },
    { key: "rundir", fields: [s.runDir] },
  ];
  if (s.hostname !== undefined) r.push({ key: "hostname", fields: [s.hostname] });
  if (s.domainname !== undefined) r.push({ key: "domainname", fields: [s.domainname] });
  if (s.monitorLog !== undefined) r.push({ key: "log", fields: [s.monitorLog] });
  if (s.cgroupProcs.length) r.push({ key: "cgroup-procs", fields: s.cgroupProcs });
  if (s.waitGo) r.push({ key: "wait-go", fields: [] });
  if (s.userns) {
    const u = s.userns;
    r.push({ key: "userns", fields: [String(u.uidStart), String(u.gidStart), String(u.count)] });
    if (u.idmapRoot) r.push({ key: "idmap-root", fields: [] });
  }
  if (s.nofile !== undefined) {
    if (!Number.isInteger(s.nofile) || s.nofile < 1) throw new TypeError(`nofile ${s.nofile} is not a positive integer`);
    r.push({ key: "rlimit-nofile", fields: [String(s.nofile)] });
  }
  r.push({ key: "stdio", fields: [s.stdio] });
  r.push(...s.setup.map(setupRecord));
  r.push(...sandboxRecords(s));
  r.push({ key: "argv", fields: s.argv });
  r.push({ key: "env", fields: s.env });
  if (s.onExit?.length) r.push({ key: "on-exit", fields: s.onExit });
  return encodeRecords(r);
}
