/**
 * Applying a device policy (device-policy.ts) to a cgroup: v1 writes the `devices`
 * controller's lists; v2 has no such files and needs an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE, built and attached by the native module.
 */
import fsp from "node:fs/promises";
import fs from "node:fs";
import path from "node:path";
import { AgentFailure } from "../../errors";
import type { CgroupIo } from "./cgroup-io";
import { kernelFailure } from "./cgroup-io";
import { formatDeviceRule, type DeviceRule } from "./device-policy";

/** Puts a device policy on one group directory. */
export interface DeviceFilter {
  /** Which mechanism this is. */
  readonly kind: "v1-devices" | "v2-bpf";
  /** Null when usable; otherwise why not (shown in errors and host facts). */
  readonly unavailableReason: string | null;
  /** Replaces the group's policy: everything denied except `rules`. */
  apply(groupDir: string, rules: readonly DeviceRule[]): Promise<void>;
}

/**
 * v1: `devices.deny` "a" (deny all), then one `devices.allow` write per rule. Between
 * the two a running guest could not open even /dev/null, so a group whose
 * `devices.list` already holds exactly these rules is left alone (idempotent create).
 */
export class V1DeviceFilter implements DeviceFilter {
  readonly kind = "v1-devices";
  readonly unavailableReason = null;
  constructor(private readonly io: CgroupIo) {}

  async apply(groupDir: string, rules: readonly DeviceRule[]): Promise<void> {
    const wanted = new Set(rules.map(formatDeviceRule));
    const listed = (await this.io.read(path.join(groupDir, "devices.list"))).split("\n").filter(Boolean);
    if (listed.length === wanted.size && listed.every((line) => wanted.has(line))) return;
    await this.io.write(path.join(groupDir, "devices.deny"), "a");
    for (const rule of rules) {
      await this.io.write(path.join(groupDir, "devices.allow"), formatDeviceRule(rule));
    }
  }
}

/**
 * A rule as the native function takes it, in the kernel's own encoding
 * (include/uapi/linux/bpf.h) so the C side only compares numbers.
 */
export interface NativeDeviceRule {
  /** BPF_DEVCG_DEV_BLOCK (1), BPF_DEVCG_DEV_CHAR (2), or 0 for both. */
  type: 0 | 1 | 2;
  /** Major number, or -1 for any. */
  major: number;
  /** Minor number, or -1 for any. */
  minor: number;
  /** Bitmask of BPF_DEVCG_ACC_MKNOD (1), BPF_DEVCG_ACC_READ (2), BPF_DEVCG_ACC_WRITE (4). */
  access: number;
}

/** The native function the v2 filter needs (see the cgroup README for its contract). */
export interface DeviceFilterNative {
  /**
   * Loads a BPF_PROG_TYPE_CGROUP_DEVICE program that allows exactly `rules` (default
   * deny) and attaches it to the cgroup `cgroupDirFd` with BPF_CGROUP_DEVICE and
   * BPF_F_ALLOW_MULTI, then detaches any device program attached there before, so there
   * is no moment without a filter. Returns the new program's id. Throws like Node's fs
   * errors (`code`, `errno`, `syscall`).
   */
  attachDeviceFilter(cgroupDirFd: number, rules: readonly NativeDeviceRule[]): number;
}

/** Converts a policy rule to the native encoding. */
export function toNativeRule(rule: DeviceRule): NativeDeviceRule {
  const access =
    (rule.access.includes("m") ? 1 : 0) |
    (rule.access.includes("r") ? 2 : 0) |
    (rule.access.includes("w") ? 4 : 0);
  return {
    type: rule.type === "b" ? 1 : rule.type === "c" ? 2 : 0,
    major: rule.major ?? -1,
    minor: rule.minor ?? -1,
    access,
  };
}

/** v2: hands the rules to the native eBPF loader; refuses loudly when it is missing. */
export class V2DeviceFilter implements DeviceFilter {
  readonly kind = "v2-bpf";
  readonly unavailableReason: string | null;
  constructor(
    private readonly native: DeviceFilterNative | null,
    reason = "the native module has no attachDeviceFilter",
  ) {
    this.unavailableReason = native ? null : reason;
  }

  async apply(groupDir: string, rules: readonly DeviceRule[]): Promise<void> {
    if (!this.native) {
      throw new AgentFailure(
        "UNSUPPORTED",
        `devices: cgroup v2 filters devices with an eBPF program loaded by the native module, ` +
          `and it is not available (${this.unavailableReason}); refusing to leave ${groupDir} ` +
          `without a device filter`,
        "devices",
      );
    }
    const handle = await fsp
      .open(groupDir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY)
      .catch((error: unknown) => {
        throw kernelFailure("open", groupDir, error);
      });
    try {
      this.native.attachDeviceFilter(handle.fd, rules.map(toNativeRule));
    } catch (error) {
      throw kernelFailure("attach device filter to", groupDir, error);
    } finally {
      await handle.close();
    }
  }
}
