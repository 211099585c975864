/**
 * The vserver engine against its peers, in ONE run on the same busybox root:
 *   1. start-to-exit of /bin/true in a fresh server: agent API (runVserver), CLI
 *      (`vserver NAME run /bin/true`), `unshare --fork --pid --mount --uts --ipc --net
 *      --root`, `lxc-execute`, `crun run`;
 *   2. exec /bin/true into a running server: agent API (execInVserver), CLI
 *      (`vserver NAME exec`), `nsenter -a`, `lxc-attach`, `crun exec`.
 * BENCH_N runs per tool (default 30), taken in 5 rounds in which the tools take turns
 * (2 warm-ups each), so load drift on a shared machine hits every tool alike; the table
 * shows medians and "÷ agent API" (tool median / agent API median: > 1 = slower). crun refuses this hybrid cgroup host,
 * so it runs inside `unshare -m --propagation private` after unmounting the cgroup2
 * mount there (the host's mounts are untouched). Tools that are not installed show n/a.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AgentError, createAgentClient, type AgentClient } from "@/lib/agent-client";
import { readToken } from "@/agent/src/auth/credential";
import { buildVserver } from "@/agent/src/ops/build/build-vserver";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { comparisonRows, percentile, timeAsync, timeCommand, type BenchTable, type Measured } from "./lib/stats";

const N = Number(process.env.BENCH_N ?? 30);
/** Tools take turns in rounds, so a load change on this shared machine hits all of them. */
const ROUNDS = 5;

/** One tool: measures `perRound` runs per call. */
interface Tool {
  tool: string;
  measure: () => Promise<{ samples?: number[]; error?: string }>;
}

/** Runs the tools in turn, `rounds` times, and pools each tool's samples. */
async function interleaved(tools: Tool[], rounds: number): Promise<Measured[]> {
  const out: Measured[] = tools.map((t) => ({ tool: t.tool, samples: [] }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, t] of tools.entries()) {
      if (out[i]!.error) continue;
      const m = await t.measure();
      if (m.error) out[i] = { tool: t.tool, error: m.error };
      else out[i]!.samples!.push(...(m.samples ?? []));
    }
  }
  return out;
}
const repo = path.resolve(import.meta.dirname, "..");

function has(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
}

async function startDaemon(host: TempHost, socket: string): Promise<{ child: ChildProcess; client: AgentClient }> {
  const logFd = fs.openSync(path.join(host.base, "agent.log"), "a");
  const child = spawn(process.execPath, [path.join(repo, "agent/dist/agent.mjs")], { env: { ...host.env, AGENT_LISTEN: `unix:${socket}` }, stdio: ["ignore", logFd, logFd] });
  fs.closeSync(logFd);
  for (let i = 0; i < 600; i++) {
    try {
      const client = createAgentClient({ endpoint: `unix:${socket}`, credential: readToken(path.join(host.paths.confDir, ".agent")) });
      await client.health({});
      return { child, client };
    } catch {
      await sleep(50);
    }
  }
  throw new Error("the agent did not start");
}

function lxcConfig(dir: string, root: string): string {
  const file = path.join(dir, "lxc.conf");
  fs.writeFileSync(file, [`lxc.rootfs.path = dir:${root}`, "lxc.uts.name = lxcpeer", "lxc.net.0.type = empty", "lxc.mount.auto = proc:mixed sys:ro", "lxc.autodev = 1", "lxc.apparmor.profile = unconfined", ""].join("\n"));
  return file;
}

function crunBundle(dir: string, root: string, args: string[]): string {
  const bundle = path.join(dir, `crun-${args[0]!.replace(/\W/g, "")}`);
  fs.mkdirSync(bundle, { recursive: true });
  spawnSync("crun", ["spec"], { cwd: bundle });
  const config = JSON.parse(fs.readFileSync(path.join(bundle, "config.json"), "utf8")) as Record<string, Record<string, unknown>>;
  config.root = { path: root, readonly: false };
  config.process = { ...config.process, terminal: false, args };
  fs.writeFileSync(path.join(bundle, "config.json"), JSON.stringify(config));
  return bundle;
}

/** The client reuses a kept-alive connection that the agent closed while the peers ran
 * (lib/agent-client does not retry that EPIPE): one retry after an idle stretch. */
async function afterIdle<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof AgentError && e.code === "UNREACHABLE") return call();
    throw e;
  }
}

const lxcPivots = () => fs.readdirSync("/sys/fs/cgroup").filter((c) => fs.existsSync(`/sys/fs/cgroup/${c}/lxc.pivot`));

/** Runs the engine benchmark; returns its two tables. */
export async function run(): Promise<BenchTable[]> {
  buildBundle();
  const host = makeTempHost();
  const pivotsBefore = new Set(lxcPivots());
  const socket = path.join(host.base, "agent.sock");
  let daemon: { child: ChildProcess; client: AgentClient } | undefined;
  const peersDir = path.join(host.base, "peers");
  fs.mkdirSync(peersDir);
  try {
    await buildVserver(host.paths, { name: "bench", method: "busybox", startOnBoot: false });
    await buildVserver(host.paths, { name: "bench-x", method: "busybox", startOnBoot: false });
    const root = path.join(host.paths.rootDir, "bench");
    daemon = await startDaemon(host, socket);
    const client = daemon.client;
    const lxc = has("lxc-execute") ? lxcConfig(peersDir, root) : undefined;
    const crun = has("crun");
    const crunState = path.join(peersDir, "crun-state");
    const inPrivateMounts = ["unshare", "-m", "--propagation", "private"];

    const rounds = Math.min(ROUNDS, N);
    const perRound = Math.ceil(N / rounds);
    const warm = 2;
    const job = (argv: string[], extra: object = {}) => ({ n: perRound, warmup: warm, argv, ...extra });
    const api = (call: () => Promise<unknown>): Tool["measure"] => async () => ({ samples: await timeAsync(perRound, warm, call) });
    const missing = (what: string): Tool["measure"] => async () => ({ error: `${what} not installed` });

    const startTools: Tool[] = [
      { tool: "agent API (runVserver)", measure: api(() => client.runVserver({ name: "bench", argv: ["/bin/true"] })) },
      { tool: "CLI: vserver NAME run", measure: async () => timeCommand(job([binPath("vserver"), "bench", "run", "/bin/true"]), [], host.env) },
      { tool: "unshare (6 namespaces + root)", measure: async () => timeCommand(job(["unshare", "--fork", "--pid", "--mount", "--uts", "--ipc", "--net", "--root", root, "/bin/true"])) },
      {
        tool: "lxc-execute",
        measure: lxc ? async () => timeCommand(job(["lxc-execute", "-n", "vst-bench-lxc", "-P", peersDir, "-f", lxc, "--", "/bin/true"])) : missing("lxc"),
      },
      {
        tool: "crun run",
        measure: crun
          ? async () => timeCommand(job(["crun", "--root", crunState, "run", "-b", crunBundle(peersDir, root, ["/bin/true"]), "vst-bench-run"], { umountUnified: true }), inPrivateMounts)
          : missing("crun"),
      },
    ];
    const start = await interleaved(startTools, rounds);

    const x = await afterIdle(() => client.startVserver({ name: "bench-x" }));
    const execTools: Tool[] = [
      { tool: "agent API (execInVserver)", measure: api(() => afterIdle(() => client.execInVserver({ name: "bench-x", argv: ["/bin/true"] }))) },
      { tool: "CLI: vserver NAME exec", measure: async () => timeCommand(job([binPath("vserver"), "bench-x", "exec", "/bin/true"]), [], host.env) },
      { tool: "nsenter -a", measure: async () => timeCommand(job(["nsenter", "-a", "-t", String(x.initPid), "/bin/true"])) },
      {
        tool: "lxc-attach",
        measure: lxc
          ? async () =>
              timeCommand(job(["lxc-attach", "-n", "vst-bench-lxcd", "-P", peersDir, "--", "/bin/true"], {
                setup: [["lxc-start", "-n", "vst-bench-lxcd", "-P", peersDir, "-d", "-f", lxc, "--", "/bin/sleep", "100000"]],
                teardown: [["lxc-stop", "-n", "vst-bench-lxcd", "-P", peersDir, "-k"]],
              }))
          : missing("lxc"),
      },
      {
        tool: "crun exec",
        measure: crun
          ? async () =>
              timeCommand(job(["crun", "--root", crunState, "exec", "vst-bench-exec", "/bin/true"], {
                umountUnified: true,
                setup: [["crun", "--root", crunState, "run", "-d", "-b", crunBundle(peersDir, root, ["/bin/sleep", "100000"]), "vst-bench-exec"]],
                teardown: [["crun", "--root", crunState, "kill", "vst-bench-exec", "KILL"], ["sleep", "0.2"], ["crun", "--root", crunState, "delete", "-f", "vst-bench-exec"]],
              }), inPrivateMounts)
          : missing("crun"),
      },
    ];
    const exec = await interleaved(execTools, rounds);
    await afterIdle(() => client.stopVserver({ name: "bench-x", timeoutSec: 0 }));

    const header = ["tool", "median ms", "p10", "p90", "÷ agent API", "samples"];
    const apiStart = percentile(start[0]!.samples!, 50);
    const apiExec = percentile(exec[0]!.samples!, 50);
    const samples = `${rounds * perRound} runs per tool (BENCH_N=${N}) in ${rounds} rounds in which the tools take turns, after ${warm} warm-up runs per round`;
    return [
      { title: "start a fresh server, run /bin/true, wait for its exit", samples, header, rows: comparisonRows(start, start[0]!.tool), notes: [`agent API median ${apiStart.toFixed(1)} ms; "÷ agent API" > 1: the tool is that many times slower than the agent API`] },
      { title: "exec /bin/true in a running server", samples, header, rows: comparisonRows(exec, exec[0]!.tool), notes: [`agent API median ${apiExec.toFixed(1)} ms`] },
    ];
  } catch (e) {
    console.error(fs.readFileSync(path.join(host.base, "agent.log"), "utf8").slice(-3000));
    throw e;
  } finally {
    if (daemon) {
      daemon.child.kill("SIGTERM");
      await new Promise((r) => daemon!.child.once("exit", r));
    }
    spawnSync("lxc-stop", ["-n", "vst-bench-lxcd", "-P", peersDir, "-k"], { stdio: "ignore" });
    for (const c of lxcPivots()) if (!pivotsBefore.has(c)) fs.rmdirSync(`/sys/fs/cgroup/${c}/lxc.pivot`);
    await host.cleanup();
  }
}
