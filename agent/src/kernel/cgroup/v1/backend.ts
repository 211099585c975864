/**
 * The cgroup v1 backend: one directory per hierarchy (see layout.ts), created, limited,
 * frozen and removed together. Used on pure v1 hosts and on hybrids.
 */
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { nodeCgroupIo, type CgroupIo } from "../cgroup-io";
import { V1DeviceFilter } from "../device-filter";
import { defaultDeviceRules, type DeviceRule } from "../device-policy";
import { checkGroupName } from "../group-name";
import { pidsInTree, removeTree } from "../group-tree";
import type { CgroupMounts } from "../host-facts";
import { applySteps } from "../limit-steps";
import type { CgroupLimits, CgroupLimitsPatch, CgroupUsage, Cgroups, CreateOptions, RemoveOptions } from "../types";
import { validateLimits, type LimitContext } from "../validate-limits";
import { freezeV1, killAllV1, thawV1 } from "./freeze-kill";
import { groupDir, v1Layout, type V1Layout } from "./layout";
import { readV1Limits } from "./read-limits";
import { readV1Usage } from "./read-usage";
import { planV1Limits } from "./write-limits";

/** What a v1 backend is built from. */
export interface CgroupV1Options {
  mounts: CgroupMounts;
  parent: string;
  limits: LimitContext;
  io?: CgroupIo;
}

/** {@link Cgroups} on cgroup v1 (plus tracking in the named systemd and unified mounts). */
export class CgroupV1 implements Cgroups {
  readonly version = "v1";
  readonly parent: string;
  readonly controllers: readonly string[];
  private readonly layout: V1Layout;
  private readonly io: CgroupIo;
  private readonly limitContext: LimitContext;

  constructor(options: CgroupV1Options) {
    this.parent = options.parent;
    this.layout = v1Layout(options.mounts);
    this.controllers = [...this.layout.controllerMount.keys()];
    this.io = options.io ?? nodeCgroupIo;
    this.limitContext = options.limits;
  }

  dirs(name: string): string[] {
    checkGroupName(name);
    return this.layout.places.map((place) => groupDir(place.mountpoint, this.parent, name));
  }

  parentDirs(): string[] {
    return this.layout.places.map((place) => path.join(place.mountpoint, this.parent));
  }

  controllerDir(name: string, controller: string): string | null {
    checkGroupName(name);
    return this.dirOf(name)(controller);
  }

  /** The group's directory in a controller's hierarchy, or null when not mounted. */
  private dirOf(name: string): (controller: string) => string | null {
    return (controller) => {
      const mount = this.layout.controllerMount.get(controller);
      return mount ? groupDir(mount, this.parent, name) : null;
    };
  }

  async create(name: string, options: CreateOptions = {}): Promise<void> {
    checkGroupName(name);
    const devices = options.devices ?? defaultDeviceRules;
    if (devices !== "unrestricted" && !this.layout.controllerMount.has("devices")) {
      throw new AgentFailure("UNSUPPORTED", "devices: the v1 devices controller is not mounted on this host", "devices");
    }
    const existed = await this.exists(name);
    try {
      for (const place of this.layout.places) {
        let dir = place.mountpoint;
        for (const part of [...this.parent.split("/"), name]) {
          const parentDir = dir;
          dir = path.join(dir, part);
          if (!(await this.io.exists(dir))) {
            // use_hierarchy must be set before a memory group has children (always 1 since 6.x).
            if (place.controllers.includes("memory")) await this.enableMemoryHierarchy(parentDir);
            await this.io.mkdir(dir);
          }
          // Also for an existing group: a create interrupted after mkdir left them empty.
          if (place.controllers.includes("cpuset")) await this.inheritCpuset(parentDir, dir);
        }
      }
      if (devices !== "unrestricted") await this.setDeviceRules(name, devices);
    } catch (error) {
      if (!existed) await this.removeDirs(name).catch(() => undefined);
      throw error;
    }
  }

  private async enableMemoryHierarchy(dir: string): Promise<void> {
    const file = path.join(dir, "memory.use_hierarchy");
    if (!(await this.io.exists(file)) || (await this.io.read(file)).trim() === "1") return;
    await this.io.write(file, "1");
  }

  /** A new v1 cpuset group starts with empty cpus/mems and takes no task until set. */
  private async inheritCpuset(parentDir: string, dir: string): Promise<void> {
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      if ((await this.io.read(path.join(dir, file))).trim() !== "") continue;
      await this.io.write(path.join(dir, file), (await this.io.read(path.join(parentDir, file))).trim());
    }
  }

  async remove(name: string, options: RemoveOptions = {}): Promise<void> {
    checkGroupName(name);
    if (!(await this.exists(name))) return;
    const pids = await this.pids(name);
    if (pids.length > 0) {
      if (!options.kill) {
        throw new AgentFailure("WRONG_STATE", `cgroup ${name} still has ${pids.length} processes (${pids.slice(0, 10).join(" ")})`);
      }
      await this.killAll(name, "SIGKILL");
    }
    await this.removeDirs(name);
  }

  private async removeDirs(name: string): Promise<void> {
    for (const dir of this.dirs(name).reverse()) await removeTree(this.io, dir);
  }

  async exists(name: string): Promise<boolean> {
    for (const dir of this.dirs(name)) if (await this.io.exists(dir)) return true;
    return false;
  }

  async list(): Promise<string[]> {
    const names = new Set<string>();
    for (const dir of this.parentDirs()) for (const child of await this.io.subdirs(dir)) names.add(child);
    return [...names].sort();
  }

  async setLimits(name: string, patch: CgroupLimitsPatch): Promise<void> {
    checkGroupName(name);
    await validateLimits(patch, this.limitContext);
    await this.requireExists(name);
    const parentCpus = await this.parentCpus();
    const current = await readV1Limits(this.io, this.dirOf(name), parentCpus);
    await applySteps(await planV1Limits(this.io, this.dirOf(name), patch, current, parentCpus ?? ""));
  }

  async readLimits(name: string): Promise<CgroupLimits> {
    checkGroupName(name);
    await this.requireExists(name);
    return readV1Limits(this.io, this.dirOf(name), await this.parentCpus());
  }

  private async parentCpus(): Promise<string | null> {
    const mount = this.layout.controllerMount.get("cpuset");
    if (!mount) return null;
    return (await this.io.read(path.join(mount, this.parent, "cpuset.cpus"))).trim();
  }

  async usage(name: string): Promise<CgroupUsage> {
    checkGroupName(name);
    await this.requireExists(name);
    return readV1Usage(this.io, this.dirOf(name), (await this.pids(name)).length);
  }

  async setDeviceRules(name: string, rules: readonly DeviceRule[]): Promise<void> {
    const dir = this.dirOf(name)("devices");
    if (!dir) throw new AgentFailure("UNSUPPORTED", "devices: the v1 devices controller is not mounted on this host", "devices");
    await new V1DeviceFilter(this.io).apply(dir, rules);
  }

  procsFiles(name: string): string[] {
    return this.dirs(name).map((dir) => path.join(dir, "cgroup.procs"));
  }

  async attach(name: string, pid: number): Promise<void> {
    for (const file of this.procsFiles(name)) await this.io.write(file, String(pid));
  }

  async pids(name: string): Promise<number[]> {
    const all = new Set<number>();
    for (const dir of this.dirs(name)) for (const pid of await pidsInTree(this.io, dir)) all.add(pid);
    return [...all].sort((a, b) => a - b);
  }

  async freeze(name: string): Promise<void> {
    checkGroupName(name);
    await freezeV1(this.io, this.dirOf(name)("freezer"));
  }

  async thaw(name: string): Promise<void> {
    checkGroupName(name);
    await thawV1(this.io, this.dirOf(name)("freezer"));
  }

  async killAll(name: string, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    checkGroupName(name);
    if (!(await this.exists(name))) return;
    await killAllV1(this.io, this.dirOf(name)("freezer"), () => this.pids(name), signal);
  }

  private async requireExists(name: string): Promise<void> {
    if (!(await this.exists(name))) throw new AgentFailure("NOT_FOUND", `cgroup ${name} does not exist under ${this.parent}`);
  }
}
