/**
 * Provisioning on this host, measured through the CLI as an admin runs it, on a temp host
 * whose VSERVER_ROOTDIR is a loop-mounted XFS with reflink=1 (servers without per-server
 * images, so reflinks and vunify work):
 *   1. build time per method: skeleton, busybox, rpm (local repository, if rpmbuild,
 *      createrepo_c and dnf are installed), template from a tarball, template as a copy
 *      of a stopped server with and without reflinks, and debootstrap (only with
 *      BENCH_DEBOOTSTRAP=1: about 80 s and Debian's mirror). The template source is the
 *      debootstrap root with BENCH_DEBOOTSTRAP=1, else a busybox server plus copies of
 *      the host's /usr/lib/python3 and /usr/share/doc (a distribution-sized tree);
 *   2. vunify for N = 5 and 20 servers extracted from that template: space before and
 *      after (statfs), after ÷ one server, and the run's time.
 * BENCH_PROV_N runs per method (default 3; medians). `BENCH_ONLY=provisioning npm run bench`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { binPath, buildBundle } from "@/agent/src/ops/testing/temp-host";
import { makeLocalRpmRepo } from "@/agent/src/ops/build/testing/local-rpm-repo";
import { makeReflinkHost, usedBytes, type ReflinkHost } from "@/agent/src/ops/unify/testing/reflink-host";
import { buildSourceServer } from "./lib/source-server";
import { percentile, type BenchTable } from "./lib/stats";

const N = Number(process.env.BENCH_PROV_N ?? 3);
const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)}`;

function has(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
}

function cli(host: ReflinkHost, args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(binPath(args[0]!), args.slice(1), { env: host.env, encoding: "utf8", timeout: 1_800_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Times `args` (with NAME replaced) n times, deleting each server afterwards; median ms and the space one build took. */
function timeBuilds(host: ReflinkHost, args: string[], n: number): { ms: number; bytes: number } {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const name = `bench${i}`;
    const before = usedBytes(host.mountPoint);
    samples.push(cli(host, args.map((a) => (a === "NAME" ? name : a))));
    bytes = usedBytes(host.mountPoint) - before;
    cli(host, ["vserver", name, "delete"]);
  }
  return { ms: percentile(samples, 50), bytes };
}

/** The template source server `src` (bench/lib/source-server.ts), its build time in `rows`. */
function makeSource(host: ReflinkHost, rows: string[][]): string {
  const src = buildSourceServer(host, (args) => cli(host, args));
  if (src.debootstrap) rows.push(["debootstrap (bookworm minbase)", (src.debootstrap.ms / 1000).toFixed(1), "1", src.debootstrap.args.join(" ")]);
  else rows.push(["debootstrap", "skipped", "", "BENCH_DEBOOTSTRAP=1 to include it (about 80 s, needs deb.debian.org)"]);
  return src.label;
}

/** Runs the benchmark. */
export async function run(): Promise<BenchTable[]> {
  buildBundle();
  const host = makeReflinkHost("16G");
  host.env.VSERVER_DEBOOTSTRAP_CACHE = process.env.VSERVER_DEBOOTSTRAP_CACHE ?? "/var/cache/vserver-panel/debootstrap";
  try {
    const rows: string[][] = [];
    const add = (label: string, args: string[], n = N) => {
      const r = timeBuilds(host, args, n);
      rows.push([label, (r.ms / 1000).toFixed(2), String(n), `${args.join(" ")}   (${mib(r.bytes)} MiB used)`]);
    };
    add("skeleton", ["vserver", "NAME", "build", "-m", "skeleton", "--no-boot"]);
    add("busybox", ["vserver", "NAME", "build", "-m", "busybox", "--no-boot"]);
    if (has("rpmbuild") && has("createrepo_c") && has("dnf")) {
      const repo = makeLocalRpmRepo(path.join(host.base, "rpm"));
      add("rpm (local repository)", ["vserver", "NAME", "build", "-m", "rpm", "--no-boot", "--", "-d", "bench", "--repo", `file://${repo}`, "--package", "vst-busybox,vst-hello"]);
    } else rows.push(["rpm", "n/a", "", "needs rpmbuild, createrepo_c and dnf (apt-get install rpm createrepo-c dnf)"]);
    const source = makeSource(host, rows);
    const exportMs = cli(host, ["vserver", "src", "export", "--template", "bench"]);
    const meta = JSON.parse(fs.readFileSync(path.join(host.paths.rootDir, ".templates", "bench.json"), "utf8")) as { contentBytes: number; entries: number; bytes: number };
    rows.push(["export (template)", (exportMs / 1000).toFixed(2), "1", `vserver src export --template bench   (${mib(meta.bytes)} MiB .tar.zst)`]);
    add("template from tarball", ["vserver", "NAME", "build", "-m", "template", "--no-boot", "--", "--source", "bench"]);
    add("template from server, reflink", ["vserver", "NAME", "build", "-m", "template", "--no-boot", "--", "--source", "src"]);
    add("template from server, no reflink", ["vserver", "NAME", "build", "-m", "template", "--no-boot", "--", "--source", "src", "--no-reflink"]);
    cli(host, ["vserver", "src", "delete"]);

    const unifyRows: string[][] = [];
    for (const count of [5, 20]) {
      const base = usedBytes(host.mountPoint);
      const names = Array.from({ length: count }, (_, i) => `u${i}`);
      let one = 0;
      for (const [i, n] of names.entries()) {
        cli(host, ["vserver", n, "build", "-m", "template", "--no-boot", "--", "--source", "bench"]);
        if (i === 0) one = usedBytes(host.mountPoint) - base;
      }
      const before = usedBytes(host.mountPoint) - base;
      const ms = cli(host, ["vunify", "--all", "--quiet"]);
      const after = usedBytes(host.mountPoint) - base;
      unifyRows.push([String(count), mib(one), mib(before), mib(after), (after / one).toFixed(3), (ms / 1000).toFixed(1), "vunify --all"]);
      for (const n of names) cli(host, ["vserver", n, "delete"]);
    }
    return [
      {
        title: `Build time per method (CLI wall time, median of the runs; XFS reflink=1 on a loop device; template source: ${source}, ${meta.entries} entries, ${mib(meta.contentBytes)} MiB of files)`,
        samples: `${N} builds per method (BENCH_PROV_N), the export once; the "runs" column says which`,
        header: ["method", "seconds", "runs", "command"],
        rows,
      },
      {
        title: "vunify: N servers extracted (not reflinked) from that template, space used on the XFS (statfs, MiB)",
        samples: "one vunify run per N",
        header: ["N", "one server", "N before", "N after", "after ÷ one", "vunify s", "command"],
        rows: unifyRows,
        notes: ["after ÷ one: the space N servers take after vunify, in units of one server (1.0 would be perfect sharing)"],
      },
    ];
  } finally {
    await host.cleanup();
  }
}
