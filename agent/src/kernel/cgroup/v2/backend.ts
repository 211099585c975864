/**
 * The cgroup v2 backend: one directory per vserver under `<root>/<parent>`. The root is
 * a parameter, so tests run it for real on a hybrid host's /sys/fs/cgroup/unified and
 * against a fake tree in a temp dir.
 */
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { nodeCgroupIo, type CgroupIo } from "../cgroup-io";
import { V2DeviceFilter, type DeviceFilter } from "../device-filter";
import { defaultDeviceRules, type DeviceRule } from "../device-policy";
import { checkGroupName } from "../group-name";
import { pidsInTree, removeTree } from "../group-tree";
import { v2ResourceControllers } from "../host-facts";
import { applySteps } from "../limit-steps";
import type { CgroupLimits, CgroupLimitsPatch, CgroupUsage, Cgroups, CreateOptions, RemoveOptions } from "../types";
import { validateLimits, type LimitContext } from "../validate-limits";
import { freezeV2, killAllV2, thawV2 } from "./freeze-kill";
import { readV2Limits } from "./read-limits";
import { readV2Usage } from "./read-usage";
import { enableControllers } from "./subtree";
import { planV2Limits } from "./write-limits";

/** What a v2 backend is built from. */
export interface CgroupV2Options {
  /** The cgroup2 mountpoint (or a fake tree). */
  root: string;
  parent: string;
  limits: LimitContext;
  io?: CgroupIo;
  /** Defaults to a {@link V2DeviceFilter} without native module, which refuses. */
  deviceFilter?: DeviceFilter;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** {@link Cgroups} on cgroup v2. */
export class CgroupV2 implements Cgroups {
  readonly version = "v2";
  readonly parent: string;
  readonly root: string;
  private readonly io: CgroupIo;
  private readonly limitContext: LimitContext;
  private readonly deviceFilter: DeviceFilter;

  private constructor(
    options: CgroupV2Options,
    readonly controllers: readonly string[],
  ) {
    this.root = options.root;
    this.parent = options.parent;
    this.io = options.io ?? nodeCgroupIo;
    this.limitContext = options.limits;
    this.deviceFilter = options.deviceFilter ?? new V2DeviceFilter(null, "no native module was given");
  }

  /** Builds the backend, reading which controllers the root offers. */
  static async open(options: CgroupV2Options): Promise<CgroupV2> {
    const io = options.io ?? nodeCgroupIo;
    const offered = words(await io.read(path.join(options.root, "cgroup.controllers")));
    return new CgroupV2(options, v2ResourceControllers.filter((c) => offered.includes(c)));
  }

  private dir(name: string): string {
    return path.join(this.root, this.parent, checkGroupName(name));
  }

  dirs(name: string): string[] {
    return [this.dir(name)];
  }

  parentDirs(): string[] {
    return [path.join(this.root, this.parent)];
  }

  controllerDir(name: string, controller: string): string | null {
    return controller === "cpu" || this.controllers.includes(controller) ? this.dir(name) : null;
  }

  async create(name: string, options: CreateOptions = {}): Promise<void> {
    const dir = this.dir(name);
    const devices = options.devices ?? defaultDeviceRules;
    if (devices !== "unrestricted" && this.deviceFilter.unavailableReason) {
      await this.deviceFilter.apply(dir, devices); // throws UNSUPPORTED naming the reason, before any mkdir
    }
    const existed = await this.io.exists(dir);
    try {
      let ancestor = this.root;
      await enableControllers(this.io, ancestor, this.controllers);
      for (const part of this.parent.split("/")) {
        ancestor = path.join(ancestor, part);
        await this.io.mkdir(ancestor);
        await enableControllers(this.io, ancestor, this.controllers);
      }
      // memory.oom.group stays at its default 0 (never written): with it, one OOM kill in
      // the server would kill every process of it, the guest's init too (issue 13).
      await this.io.mkdir(dir);
      if (devices !== "unrestricted") await this.deviceFilter.apply(dir, devices);
    } catch (error) {
      if (!existed) await removeTree(this.io, dir).catch(() => undefined);
      throw error;
    }
  }

  async remove(name: string, options: RemoveOptions = {}): Promise<void> {
    const dir = this.dir(name);
    if (!(await this.io.exists(dir))) return;
    const pids = await this.pids(name);
    if (pids.length > 0) {
      if (!options.kill) {
        throw new AgentFailure("WRONG_STATE", `cgroup ${name} still has ${pids.length} processes (${pids.slice(0, 10).join(" ")})`);
      }
      await this.killAll(name, "SIGKILL");
    }
    await removeTree(this.io, dir);
  }

  async exists(name: string): Promise<boolean> {
    return this.io.exists(this.dir(name));
  }

  async list(): Promise<string[]> {
    return (await this.io.subdirs(path.join(this.root, this.parent))).sort();
  }

  /** Controllers the parent hands to this group (its cgroup.controllers). */
  private async enabled(dir: string): Promise<Set<string>> {
    return new Set(words(await this.io.read(path.join(dir, "cgroup.controllers"))));
  }

  async setLimits(name: string, patch: CgroupLimitsPatch): Promise<void> {
    const dir = this.dir(name);
    await validateLimits(patch, this.limitContext);
    await this.requireExists(dir);
    const current = await readV2Limits(this.io, dir);
    await applySteps(await planV2Limits(this.io, dir, await this.enabled(dir), patch, current));
  }

  async readLimits(name: string): Promise<CgroupLimits> {
    const dir = this.dir(name);
    await this.requireExists(dir);
    return readV2Limits(this.io, dir);
  }

  async usage(name: string): Promise<CgroupUsage> {
    const dir = this.dir(name);
    await this.requireExists(dir);
    return readV2Usage(this.io, dir, (await this.pids(name)).length);
  }

  async setDeviceRules(name: string, rules: readonly DeviceRule[]): Promise<void> {
    const dir = this.dir(name);
    await this.requireExists(dir);
    await this.deviceFilter.apply(dir, rules);
  }

  procsFiles(name: string): string[] {
    return [path.join(this.dir(name), "cgroup.procs")];
  }

  async attach(name: string, pid: number): Promise<void> {
    await this.io.write(path.join(this.dir(name), "cgroup.procs"), String(pid));
  }

  async pids(name: string): Promise<number[]> {
    return (await pidsInTree(this.io, this.dir(name))).sort((a, b) => a - b);
  }

  async freeze(name: string): Promise<void> {
    await freezeV2(this.io, this.dir(name));
  }

  async thaw(name: string): Promise<void> {
    await thawV2(this.io, this.dir(name));
  }

  async killAll(name: string, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const dir = this.dir(name);
    if (!(await this.io.exists(dir))) return;
    await killAllV2(this.io, dir, () => this.pids(name), signal);
  }

  private async requireExists(dir: string): Promise<void> {
    if (!(await this.io.exists(dir))) throw new AgentFailure("NOT_FOUND", `cgroup ${dir} does not exist`);
  }
}
