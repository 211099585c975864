/** What vs-enter needs to find a running vserver and run something in it. */
import { encodeRecords, type SpecRecord } from "./records";
import { sandboxRecords } from "./encode-start-spec";
import type { SandboxSpec } from "./spec-types";

/** A running vserver as the agent knows it (from startInit and its run-state). */
export interface EnterTarget extends SandboxSpec {
  initPid: number;
  /** /proc start time of the init, guarding against pid reuse. */
  startTime: string;
  /** Optional pidfd of the init, passed to vs-enter as an inherited fd. */
  pidfd?: number;
  /** cgroup.procs files joined before the namespaces. */
  cgroupProcs: string[];
}

/** The command to run. */
export interface EnterCommand {
  argv: string[];
  env?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  groups?: number[];
}

/** Environment of a command entered without one. */
export const DEFAULT_ENTER_ENV: readonly string[] = Object.freeze([
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "HOME=/root",
  "TERM=xterm",
]);

/** fd number at which vs-enter receives the init's pidfd, when one is passed. */
export const ENTER_PIDFD_FD = 5;

function targetRecords(t: EnterTarget, mode: string): SpecRecord[] {
  const r: SpecRecord[] = [
    { key: "version", fields: ["1"] },
    { key: "mode", fields: [mode] },
    { key: "pid", fields: [String(t.initPid)] },
    { key: "start-time", fields: [t.startTime] },
  ];
  if (t.pidfd !== undefined) r.push({ key: "pidfd", fields: [String(ENTER_PIDFD_FD)] });
  return r;
}

/** Spec for exec ("passthrough") or pty mode. */
export function encodeEnterSpec(t: EnterTarget, mode: "exec" | "pty", c: EnterCommand): Buffer {
  if (c.argv.length === 0) throw new TypeError("argv must not be empty");
  const r = targetRecords(t, mode);
  if (t.cgroupProcs.length) r.push({ key: "cgroup-procs", fields: t.cgroupProcs });
  r.push(...sandboxRecords(t));
  r.push({ key: "uid", fields: [String(c.uid ?? 0)] });
  r.push({ key: "gid", fields: [String(c.gid ?? 0)] });
  if (c.groups?.length) r.push({ key: "groups", fields: c.groups.map(String) });
  if (c.cwd !== undefined) r.push({ key: "cwd", fields: [c.cwd] });
  r.push({ key: "env", fields: c.env ?? [...DEFAULT_ENTER_ENV] });
  r.push({ key: "argv", fields: c.argv });
  return encodeRecords(r);
}

/** Spec for uts mode (live hostname/domainname change). */
export function encodeUtsSpec(t: Pick<EnterTarget, "initPid" | "startTime" | "pidfd">, hostname?: string, domainname?: string): Buffer {
  const r = targetRecords({ ...t, cgroupProcs: [], keepCaps: [], noNewPrivs: false }, "uts");
  if (hostname !== undefined) r.push({ key: "hostname", fields: [hostname] });
  if (domainname !== undefined) r.push({ key: "domainname", fields: [domainname] });
  return encodeRecords(r);
}
