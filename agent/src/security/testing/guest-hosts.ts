/**
 * Where the suite's busybox servers run, one variant per cgroup backend, behind one
 * interface so every in-guest attack is written once:
 *
 * - "v1": the product as an admin uses it on this host: a temp host
 *   (ops/testing/temp-host.ts), `vserver NAME build -m busybox` and `start` through the
 *   CLI bundle, commands through `vserver NAME exec` (cgroup v1, the host's choice).
 * - "v2": servers started into groups of the v2 backend on the host's cgroup2 mount
 *   (/sys/fs/cgroup/unified here), as ops/limits/cgroup-v2.root.test.ts does: the launch
 *   layer with the default policy (testing/test-vserver.ts), the device filter as eBPF.
 *   That mount has no resource controllers on this hybrid host, so limits cannot be set
 *   there: resource attacks skip this variant and say so. The mode is given to the start
 *   spec (a userns server: its own range, idmapped root), as the product's start does.
 *
 *   const host = await V1.open(mode);   const a = await host.server("a", { "/bin/probe": path });
 *   const r = await a.sh("id");          await host.cleanup();   // in after()
 */
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { openCgroups, readCgroupMounts, type Cgroups } from "../../kernel/cgroup";
import { loadDeviceFilterNative } from "../../kernel/cgroup/load-device-native";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import type { UserNamespaceSpec } from "../../kernel/launch/spec-types";
import { cli, cliAsync } from "../../ops/limits/testing/cli-host";
import { readRunState } from "../../ops/runtime/run-state";
import { buildBundle, makeTempHost, type TempHost } from "../../ops/testing/temp-host";
import { startTestVserver, type TestVserver } from "../../testing/test-vserver";
import type { ModeCase } from "./server-modes";

/** A finished command inside a guest. */
export interface GuestResult {
  code: number;
  out: string;
  err: string;
}

/** A running busybox server of either variant. */
export interface Guest {
  name: string;
  /** Host path of its root. */
  root: string;
  hostname: string;
  /** Host pid of its init (changes after a guest reboot in the v1 variant). */
  initPid(): number;
  /** `/bin/sh -c script` inside, as root. */
  sh(script: string): Promise<GuestResult>;
  /** The cgroup.procs files its processes are kept in. */
  cgroupProcs(): string[];
}

/** Files to put into a guest before it starts: guest path → host file (mode 0755). */
export type GuestFiles = Record<string, string>;

/** A set of servers of one variant, and their cleanup. */
export interface GuestHost {
  variant: "v1" | "v2";
  /** A scratch directory of the host (removed by cleanup). */
  scratch: string;
  /** The product's temp host (v1 only). */
  temp: TempHost | null;
  server(name: string, files?: GuestFiles): Promise<Guest>;
  cleanup(): Promise<void>;
}

/** One cgroup variant as a test parameter. */
export interface CgroupVariant {
  id: "v1" | "v2";
  title: string;
  /** false, or why this host cannot run the variant. */
  skip(): Promise<string | false>;
  open(mode: ModeCase): Promise<GuestHost>;
}

let bundled = false;

/** Writes `files` into the root at `root` through guestfs (as the agent writes guest files). */
export function putFiles(root: string, files: GuestFiles): void {
  const fd = openGuestRoot(root);
  try {
    for (const [guestPath, hostFile] of Object.entries(files)) writeGuestFile(fd, guestPath, fs.readFileSync(hostFile), { mode: 0o755, mkdirs: true });
  } finally {
    fs.closeSync(fd);
  }
}

/** The product on this host's own (v1) cgroups, driven through the CLI bundle. */
export const V1: CgroupVariant = {
  id: "v1",
  title: "cgroup v1, through the CLI",
  async skip() {
    const m = await readCgroupMounts();
    return m.v1.some((h) => h.controllers.includes("pids")) ? false : "machine limit: no cgroup v1 pids hierarchy on this host";
  },
  async open(mode) {
    if (!bundled) {
      buildBundle();
      bundled = true;
    }
    const temp = makeTempHost();
    const scratch = path.join(temp.base, "scratch");
    fs.mkdirSync(scratch);
    return {
      variant: "v1",
      scratch,
      temp,
      async server(name, files = {}) {
        const hostname = `${name}.vst.test`;
        const b = cli(temp, "vserver", [name, "build", "-m", "busybox", "--hostname", hostname, ...mode.buildArgs]);
        if (b.code !== 0) throw new Error(`build ${name}: ${b.err}`);
        putFiles(path.join(temp.paths.rootDir, name), files);
        const s = cli(temp, "vserver", [name, "start"]);
        if (s.code !== 0) throw new Error(`start ${name}: ${s.err}`);
        const state = () => {
          const st = readRunState(temp.paths, name);
          if (!st) throw new Error(`${name} is not running`);
          return st;
        };
        return {
          name,
          root: path.join(temp.paths.rootDir, name),
          hostname,
          initPid: () => state().initPid,
          sh: (script) => cliAsync(temp, "vserver", [name, "exec", "/bin/sh", "-c", script]),
          cgroupProcs: () => state().cgroupProcs,
        };
      },
      cleanup: () => temp.cleanup(),
    };
  },
};

/** Servers in groups of the v2 backend on the host's cgroup2 mount. */
export const V2: CgroupVariant = {
  id: "v2",
  title: "cgroup v2 on the unified mount, through the launch layer",
  async skip() {
    const root = (await readCgroupMounts()).v2;
    if (!root) return "machine limit: this host mounts no cgroup2";
    const filter = loadDeviceFilterNative();
    return filter.native ? false : `machine limit: no eBPF device filter for cgroup v2: ${filter.reason}`;
  },
  async open(mode) {
    // The launch layer has no build: the mode goes into the start spec, each server a
    // range of its own, far above the product's ranges (2^20..) so no host server shares it.
    let nextRange = (1 << 30) + randomInt(0, 8000) * 2 * 65536;
    const v2Root = (await readCgroupMounts()).v2!;
    const cg: Cgroups = await openCgroups({ backend: "v2", v2Root, parent: `vst-${randomBytes(4).toString("hex")}` });
    const scratch = fs.mkdtempSync("/tmp/vst-sec-v2-");
    const servers: TestVserver[] = [];
    const names: string[] = [];
    return {
      variant: "v2",
      scratch,
      temp: null,
      async server(name, files = {}) {
        await cg.create(name);
        names.push(name);
        const procs = cg.procsFiles(name);
        const hostname = `${name}.vst.test`;
        const vs = await startTestVserver(name, {
          files: Object.fromEntries(Object.entries(files).map(([g, h]) => [g, { data: fs.readFileSync(h), mode: 0o755 }])),
          launch: { cgroupProcs: procs, hostname, ...(mode.mode === "userns" ? { userns: userns(nextRange) } : {}) },
        });
        servers.push(vs);
        nextRange += 65536;
        // Commands join the same group as the init, as the engine's exec does.
        vs.target.cgroupProcs = procs;
        return {
          name,
          root: vs.bb.root,
          hostname,
          initPid: () => vs.started.initPid,
          sh: async (script) => {
            const r = await vs.sh(script);
            return { code: r.code, out: r.stdout, err: r.stderr };
          },
          cgroupProcs: () => procs,
        };
      },
      async cleanup() {
        for (const vs of servers) await vs.cleanup();
        for (const n of names) await cg.remove(n, { kill: true }).catch(() => undefined);
        for (const dir of cg.parentDirs().reverse()) if (fs.existsSync(dir)) fs.rmdirSync(dir);
        fs.rmSync(scratch, { recursive: true, force: true });
      },
    };
  },
};

/** A server's own user namespace at host ids `start`.. with an idmapped root. */
function userns(start: number): UserNamespaceSpec {
  return { uidStart: start, gidStart: start, count: 65536, idmapRoot: true };
}

/** Both variants, in the order the suite runs them. */
export const CGROUP_VARIANTS: readonly CgroupVariant[] = [V1, V2];
