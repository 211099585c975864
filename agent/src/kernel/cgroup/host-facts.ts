/**
 * What the host offers: which cgroup hierarchies are mounted where (v1, v2 or a hybrid
 * of both), which controllers the agent can use, and the CPUs and memory that limits are
 * checked against.
 *
 * On a hybrid host (v1 controllers plus a cgroup2 mount, like systemd's "hybrid" mode,
 * where the cgroup2 mount may hold a stray controller such as hugetlb) the resource
 * controllers live on v1, so the v1 backend is chosen; crun refuses such hosts, we do not.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import { loadDeviceFilterNative } from "./load-device-native";
import { parseCpuList } from "./parse-files";

/** One mounted v1 hierarchy. */
export interface V1Hierarchy {
  mountpoint: string;
  /** Controllers bound to it ("cpu", "cpuacct"...); empty for a named-only hierarchy. */
  controllers: string[];
  /** The `name=` option ("systemd"), or null. */
  name: string | null;
}

/** The cgroup mounts of the host. */
export interface CgroupMounts {
  v1: V1Hierarchy[];
  /** Mountpoint of the (first) cgroup2 filesystem, or null. */
  v2: string | null;
}

/** How the host mounts cgroups. */
export type CgroupLayout = "v1" | "v2" | "hybrid" | "none";

/** CPUs and memory of the host, for "above the host" checks. */
export interface HostResources {
  /** Online CPUs, e.g. [0, 1]. */
  onlineCpus: number[];
  /** Number of online CPUs. */
  cpuCount: number;
  /** MemTotal in bytes. */
  memoryBytes: number;
}

/** The controllers the agent manages, in the order it sets them up. */
export const v1ResourceControllers = [
  "cpuset", "cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer",
] as const;

/** Controllers the v2 backend enables in the parents' cgroup.subtree_control. */
export const v2ResourceControllers = ["cpuset", "cpu", "io", "memory", "pids"] as const;

const nonControllerOptions = new Set([
  "rw", "ro", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods", "none", "all",
]);

const unescape = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Reads the cgroup mounts out of /proc/self/mountinfo text. */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const v1: V1Hierarchy[] = [];
  const seen = new Set<string>();
  let v2: string | null = null;
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const fields = left.split(" ");
    const [fstype, , superOptions = ""] = right.split(" ");
    const device = fields[2];
    const mountpoint = fields[4] && unescape(fields[4]);
    if (!device || !mountpoint) continue;
    if (fstype === "cgroup2") {
      v2 ??= mountpoint;
    } else if (fstype === "cgroup" && !seen.has(device)) {
      seen.add(device); // the same hierarchy bind-mounted twice counts once
      const options = superOptions.split(",");
      const name = options.find((option) => option.startsWith("name="))?.slice(5) ?? null;
      const controllers = options.filter(
        (option) => !option.includes("=") && !nonControllerOptions.has(option),
      );
      v1.push({ mountpoint, controllers, name });
    }
  }
  return { v1, v2 };
}

/** Classifies the mounts; a named-only v1 hierarchy next to cgroup2 is still "v2". */
export function cgroupLayout(mounts: CgroupMounts): CgroupLayout {
  const v1 = mounts.v1.some((h) => h.controllers.length > 0);
  if (v1 && mounts.v2) return "hybrid";
  if (v1) return "v1";
  return mounts.v2 ? "v2" : "none";
}

/** Which backend drives resources: v1 wherever cpu or memory sit on a v1 hierarchy. */
export function pickBackend(mounts: CgroupMounts): "v1" | "v2" | null {
  const onV1 = new Set(mounts.v1.flatMap((h) => h.controllers));
  if (onV1.has("memory") || onV1.has("cpu")) return "v1";
  return mounts.v2 ? "v2" : null;
}

/** Reads the host's cgroup mounts. */
export async function readCgroupMounts(): Promise<CgroupMounts> {
  return parseCgroupMounts(await fsp.readFile("/proc/self/mountinfo", "utf8"));
}

/** Controllers listed in a cgroup2 directory's cgroup.controllers ([] if unreadable). */
export async function readV2Controllers(dir: string): Promise<string[]> {
  const text = await fsp.readFile(path.join(dir, "cgroup.controllers"), "utf8").catch(() => "");
  return text.split(/\s+/).filter(Boolean);
}

/** Online CPUs and total memory of the host. */
export async function readHostResources(): Promise<HostResources> {
  const online = parseCpuList(await fsp.readFile("/sys/devices/system/cpu/online", "utf8")) ?? [];
  const meminfo = await fsp.readFile("/proc/meminfo", "utf8");
  const kib = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? 0);
  return { onlineCpus: online, cpuCount: online.length, memoryBytes: kib * 1024 };
}

/** Everything the health check and the backends want to know, in one read. */
export interface CgroupHostFacts {
  layout: CgroupLayout;
  mounts: CgroupMounts;
  backend: "v1" | "v2" | null;
  /** Controllers the chosen backend can use. */
  controllers: string[];
  /** How device access is filtered, or why it cannot be ("unavailable: ..."). */
  deviceFilter: string;
  resources: HostResources;
}

/** Reads {@link CgroupHostFacts}. */
export async function readCgroupHostFacts(): Promise<CgroupHostFacts> {
  const mounts = await readCgroupMounts();
  const backend = pickBackend(mounts);
  const controllers =
    backend === "v1"
      ? v1ResourceControllers.filter((c) => mounts.v1.some((h) => h.controllers.includes(c)))
      : backend === "v2" && mounts.v2
        ? (await readV2Controllers(mounts.v2)).filter((c) =>
            (v2ResourceControllers as readonly string[]).includes(c),
          )
        : [];
  let deviceFilter = "unavailable: no cgroup backend";
  if (backend === "v1") {
    deviceFilter = controllers.includes("devices") ? "v1-devices" : "unavailable: v1 devices controller not mounted";
  } else if (backend === "v2") {
    const { reason } = loadDeviceFilterNative();
    deviceFilter = reason === null ? "v2-bpf" : `unavailable: ${reason}`;
  }
  return { layout: cgroupLayout(mounts), mounts, backend, controllers, deviceFilter, resources: await readHostResources() };
}
