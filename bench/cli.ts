/**
 * The read-only CLI commands against util-vserver-like peers, in ONE run, on a temp host
 * with one running busybox server (the shipped wrappers in agent/bin, bundles built):
 *   vserver --help   (pre-rendered, no Node)        ↔ cat of the same text
 *   vserver NAME status (read-only bundle)          ↔ cat of the server's cgroup.procs
 *   vserver-stat     (read-only bundle)             ↔ ps -e -o pid,vsz,rss,times,etimes
 *   vps ax           (read-only bundle + ps)        ↔ ps ax
 * and `node -e 0`, the floor every Node command pays. BENCH_N runs per command (default
 * 30) in 5 rounds in which the commands take turns, so load drift hits each alike.
 * Prints the table and writes it to bench/results/cli.md (writeResults below: a small
 * writer of its own until bench/lib has a shared one). The goal (issue 13) is ≤ 60 ms
 * for each read-only command; the table says whether this machine got there.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readRunState } from "@/agent/src/ops/runtime/run-state";
import { binPath, buildBundle, makeTempHost } from "@/agent/src/ops/testing/temp-host";
import { percentile, timeCommand, type BenchTable, type Measured } from "./lib/stats";

const N = Number(process.env.BENCH_N ?? 30);
const ROUNDS = 5;
const GOAL_MS = 60;

/** One command and its peer. */
interface Pair {
  ours: string;
  oursArgv: string[];
  peer: string;
  peerArgv: string[];
}

/** Writes the tables as Markdown to bench/results/cli.md (the lead may swap in bench/lib's writer). */
function writeResults(tables: BenchTable[]): void {
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, " ").trim() ?? "?";
  const lines = [
    "# bench/cli.ts",
    "",
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, kernel ${os.release()}, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
    `- command: \`BENCH_ONLY=cli npm run bench\` (as root), n=${N}`,
    "",
  ];
  for (const t of tables) {
    lines.push(`## ${t.title}`, "", `| ${t.header.join(" | ")} |`, `|${t.header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...t.rows.map((r) => `| ${r.join(" | ")} |`), "");
    for (const n of t.notes ?? []) lines.push(`- ${n}`);
    lines.push("");
  }
  const dir = path.join(import.meta.dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cli.md"), `${lines.join("\n")}\n`);
}

function medianOf(m: Measured | undefined): number {
  return m?.samples?.length ? percentile(m.samples, 50) : NaN;
}

/** Runs the CLI benchmark; returns its table. */
export async function run(): Promise<BenchTable[]> {
  buildBundle();
  const host = makeTempHost();
  try {
    const sh = (args: string[]) => spawnSync(binPath("vserver"), args, { env: host.env, encoding: "utf8" });
    for (const args of [["bench", "build", "--busybox", "--no-boot"], ["bench", "start"]]) {
      const r = sh(args);
      if (r.status !== 0) throw new Error(`vserver ${args.join(" ")}: ${r.stderr}`);
    }
    const procs = readRunState(host.paths, "bench")!.cgroupProcs[0]!;
    const helpFile = path.resolve(import.meta.dirname, "../agent/dist/help/vserver.txt");
    const pairs: Pair[] = [
      { ours: "vserver --help", oursArgv: [binPath("vserver"), "--help"], peer: "cat (the same text)", peerArgv: ["cat", helpFile] },
      { ours: "vserver NAME status", oursArgv: [binPath("vserver"), "bench", "status"], peer: "cat cgroup.procs", peerArgv: ["cat", procs] },
      { ours: "vserver-stat", oursArgv: [binPath("vserver-stat")], peer: "ps -e -o pid,vsz,rss,times,etimes", peerArgv: ["ps", "-e", "-o", "pid,vsz,rss,times,etimes"] },
      { ours: "vps ax", oursArgv: [binPath("vps"), "ax"], peer: "ps ax", peerArgv: ["ps", "ax"] },
    ];
    const tools = [{ tool: "node -e 0", argv: [process.execPath, "-e", "0"] }, ...pairs.flatMap((p) => [{ tool: p.ours, argv: p.oursArgv }, { tool: p.peer, argv: p.peerArgv }])];
    const rounds = Math.min(ROUNDS, N);
    const perRound = Math.ceil(N / rounds);
    const results: Measured[] = tools.map((t) => ({ tool: t.tool, samples: [] }));
    for (let r = 0; r < rounds; r++) {
      for (const [i, t] of tools.entries()) {
        if (results[i]!.error) continue;
        const m = timeCommand({ n: perRound, warmup: 2, argv: t.argv }, [], host.env);
        if (m.error) results[i] = { tool: t.tool, error: m.error };
        else results[i]!.samples!.push(...(m.samples ?? []));
      }
    }
    const by = (tool: string) => results.find((m) => m.tool === tool);
    const node = medianOf(by("node -e 0"));
    const row = (tool: string, peer?: string): string[] => {
      const m = by(tool);
      if (!m?.samples?.length) return [tool, "n/a", "", "", "", "", "", m?.error ?? ""];
      const med = medianOf(m);
      const ratio = peer ? (med / medianOf(by(peer))).toFixed(2) : "";
      return [tool, med.toFixed(1), percentile(m.samples, 10).toFixed(1), percentile(m.samples, 90).toFixed(1), ratio, (med / node).toFixed(2), peer ? (med <= GOAL_MS ? "yes" : "no") : "", `n=${m.samples.length}`];
    };
    const rows = [row("node -e 0"), ...pairs.flatMap((p) => [row(p.ours, p.peer), row(p.peer)])];
    const table: BenchTable = {
      title: "Read-only CLI commands against util-vserver-like peers (one running busybox server)",
      header: ["command", "median ms", "p10", "p90", "÷ peer", "÷ node -e 0", `≤ ${GOAL_MS} ms`, "notes"],
      rows,
      notes: [
        "ours: the agent/bin wrappers; `--help` is pre-rendered text (no Node), status/vserver-stat/vps run the read-only bundle (agent/dist/cli-read.cjs) through a V8 code cache",
        "every Node command pays at least `node -e 0`: that row is the floor of this machine at the time of the run",
      ],
    };
    writeResults([table]);
    return [table];
  } finally {
    await host.cleanup();
  }
}
