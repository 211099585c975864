/**
 * Moving a server between hosts (issue 16) on the multi-host bed: two agents, each in a
 * network namespace of its own joined by a bridge, enrolled in a panel database of the
 * benchmark's own. A running Debian server (bookworm minbase by debootstrap, idle) is moved A → B → A → … through the
 * panel's `server.migrate` job, offline (stop, pull over TLS with a one-time ticket,
 * sha256 checked, built as untrusted input, start on the target) and by pre-copy (the
 * same while it runs, rounds of what changed, then stop, a last round, start), timed
 * from the request to the job's end, with the downtime the job itself records (stop on
 * the source to running on the target). The peers are what an admin would type, from
 * A's namespace to a real sshd (Debian's openssh-server) in B's over the same bridge:
 * `tar | zstd -3 | ssh | zstd -d | tar -x` for the offline move, and two passes of
 * `rsync -aHAX --numeric-ids --delete` over ssh (one while it runs, one after the stop)
 * for pre-copy. `BENCH_ONLY=migration npm run bench` (root).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { JobRunner } from "@/lib/server/jobs/job-runner";
import { requestMigration } from "@/lib/server/migration/request-migration";
import { startBedPanel } from "@/lib/server/testing/bed-panel";
import type { BedHost } from "@/lib/server/testing/multi-host-bed";
import { percentile, type BenchTable } from "./lib/stats";

const MOVES = 3;
const repo = path.resolve(import.meta.dirname, "..");
const NAME = "benchmove";
const SSH_PORT = 2222;

const sec = (ms: number) => (ms / 1000).toFixed(2);
const spread = (ms: number[]) => `${sec(percentile(ms, 50))} (${sec(Math.min(...ms))}–${sec(Math.max(...ms))})`;

async function agentOf(db: Db, h: BedHost) {
  return agentForHost(await db.host.findUniqueOrThrow({ where: { id: h.hostId } }), 120_000);
}

/** The running source server on `h` (Debian bookworm minbase), with its panel row. */
async function sourceServer(db: Db, admin: Actor, h: BedHost): Promise<string> {
  // Built by the CLI in the root namespace (the bed's namespaces reach only the bridge), into h's directories;
  // debootstrap's .debs are cached between runs.
  const built = spawnSync(path.join(repo, "agent", "bin", "vserver"), [NAME, "build", "-m", "debootstrap", "--hostname", `${NAME}.bed.test`, "--", "-d", "bookworm", "--variant", "minbase"], {
    env: { ...h.temp.env, VSERVER_DEBOOTSTRAP_CACHE: process.env.VSERVER_DEBOOTSTRAP_CACHE ?? "/var/cache/vserver-panel/debootstrap" },
    encoding: "utf8",
    timeout: 900_000,
    maxBuffer: 64 << 20,
  });
  if (built.status !== 0) throw new Error(`the source server was not built: ${built.stderr.slice(-1000)}`);
  const agent = await agentOf(db, h);
  const info = await agent.startVserver({ name: NAME });
  const row = await db.vServer.create({
    data: { name: NAME, hostname: `${NAME}.bed.test`, contextId: info.context, hostId: h.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "debootstrap", cpuMilli: 1000, memoryMb: 512, diskMb: 4096, pids: 256 },
  });
  return row.id;
}

/** One move through the panel's job: its wall time and the downtime it recorded. */
async function move(db: Db, admin: Actor, runner: JobRunner, serverId: string, to: BedHost, method: "offline" | "precopy"): Promise<{ ms: number; downtimeMs: number; bytes: string; lastRound: string }> {
  const t = process.hrtime.bigint();
  const { jobId } = await requestMigration(db, admin, serverId, { targetHostId: to.hostId, method });
  for (;;) {
    await runner.tick();
    await runner.idle();
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (job.state === "FAILED") throw new Error(`the move failed: ${job.error}`);
    if (job.state === "SUCCEEDED") {
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      const downtimeMs = (JSON.parse(job.payload) as { downtimeMs?: number }).downtimeMs;
      if (typeof downtimeMs !== "number") throw new Error("the job recorded no downtime");
      const lines = await db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
      const received = lines.map((l) => /^received (\S+ (?:B|KiB|MiB|GiB)), sha256/.exec(l.text)?.[1]).find(Boolean) ?? "?";
      const lastRound = lines.map((l) => /^last round \(stopped\): (\S+ (?:B|KiB|MiB|GiB))/.exec(l.text)?.[1]).find(Boolean) ?? "";
      return { ms, downtimeMs, bytes: received, lastRound };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A real sshd in `h`'s namespace, root's key authorized; stopped by the returned function. */
async function startSshd(dir: string, h: BedHost): Promise<{ key: string; stop: () => Promise<void> }> {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_ed25519")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "client_ed25519")]);
  fs.copyFileSync(path.join(dir, "client_ed25519.pub"), path.join(dir, "authorized_keys"));
  fs.writeFileSync(
    path.join(dir, "sshd_config"),
    [
      `Port ${SSH_PORT}`, `ListenAddress ${h.address}`, `HostKey ${path.join(dir, "host_ed25519")}`, `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`, "StrictModes no", "UsePAM no", "PermitRootLogin prohibit-password",
      "PasswordAuthentication no", "KbdInteractiveAuthentication no", "LogLevel ERROR", "",
    ].join("\n"),
  );
  const madePrivsep = !fs.existsSync("/run/sshd");
  if (madePrivsep) fs.mkdirSync("/run/sshd", { mode: 0o755 });
  const sshd: ChildProcess = spawn("ip", ["netns", "exec", h.netns, "/usr/sbin/sshd", "-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: "ignore" });
  const stop = async () => {
    if (sshd.exitCode === null && sshd.signalCode === null) {
      const gone = new Promise((r) => sshd.once("exit", r));
      sshd.kill("SIGTERM");
      await gone;
    }
    if (madePrivsep) fs.rmSync("/run/sshd", { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    try {
      execFileSync("ip", ["netns", "exec", h.netns, "ssh-keyscan", "-p", String(SSH_PORT), "-t", "ed25519", h.address], { stdio: ["ignore", "pipe", "ignore"], timeout: 2000 });
      return { key: path.join(dir, "client_ed25519"), stop };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await stop();
  throw new Error("sshd did not come up in the target's namespace");
}

/** ssh's options for the peers: the bench's own key, no host-key prompts or records. */
const SSH_OPTIONS = "-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";

/** Runs the sh `script` (its arguments $1…) in `from`'s namespace, after sync; returns the milliseconds. */
function timedInNamespace(from: BedHost, script: string, args: string[]): number {
  execFileSync("sync");
  const t = process.hrtime.bigint();
  execFileSync("ip", ["netns", "exec", from.netns, "sh", "-c", script, "sh", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** `tar | zstd | ssh` of `root` from `from`'s namespace into a fresh directory `dest` on `to`; returns the milliseconds. */
function copyBySsh(from: BedHost, to: BedHost, key: string, root: string, dest: string): number {
  fs.mkdirSync(dest);
  // ssh hands the remote side one command line: the directory goes in quoted, never bare.
  const remote = `zstd -q -d | tar -C '${dest.replace(/'/g, "'\\''")}' --numeric-owner --xattrs -xf -`;
  return timedInNamespace(from, `tar -C "$1" --numeric-owner --xattrs -cf - . | zstd -q -3 -T0 | ssh -i "$2" -p "$3" ${SSH_OPTIONS} "root@$4" "$5"`, [root, key, String(SSH_PORT), to.address, remote]);
}

/** One `rsync -aHAX --numeric-ids --delete` pass over ssh of `root` from `from`'s namespace into `dest` on `to`; returns the milliseconds. */
function rsyncBySsh(from: BedHost, to: BedHost, key: string, root: string, dest: string): number {
  return timedInNamespace(from, `rsync -aHAX --numeric-ids --delete -e "ssh -i $2 -p $3 ${SSH_OPTIONS}" "$1/" "root@$4:$5/"`, [root, key, String(SSH_PORT), to.address, dest]);
}

/** Runs the benchmark. */
export async function run(): Promise<BenchTable[]> {
  if (process.getuid?.() !== 0) throw new Error("needs root (network namespaces, the agents)");
  const panel = await startBedPanel("benchmig", 2);
  const sshDir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bench-ssh-"));
  let sshd: Awaited<ReturnType<typeof startSshd>> | undefined;
  let runner: JobRunner | undefined;
  try {
    const { db, admin, bed } = panel;
    const [A, B] = bed.hosts as [BedHost, BedHost];
    runner = new JobRunner(db);
    const serverId = await sourceServer(db, admin, A);
    const rootBytes = Number(execFileSync("du", ["-sb", path.join(A.temp.paths.rootDir, NAME)], { encoding: "utf8" }).split("\t")[0]);

    const moves: Record<"offline" | "precopy", Awaited<ReturnType<typeof move>>[]> = { offline: [], precopy: [] };
    let at = A;
    for (const method of ["offline", "precopy"] as const) {
      for (let i = 0; i < MOVES; i++) {
        execFileSync("sync");
        const to = at === A ? B : A;
        moves[method].push(await move(db, admin, runner, serverId, to, method));
        at = to;
      }
    }

    // The peers, over the same bridge, from the host the server is on now to the other.
    const other = at === A ? B : A;
    sshd = await startSshd(sshDir, other);
    const root = path.join(at.temp.paths.rootDir, NAME);
    const tarPeer: number[] = [];
    const rsyncFirst: number[] = [];
    const rsyncSecond: number[] = [];
    for (let i = 0; i < MOVES; i++) {
      const dest = path.join(other.temp.paths.rootDir, `.bench-peer-${i}`);
      tarPeer.push(copyBySsh(at, other, sshd.key, root, dest));
      fs.rmSync(dest, { recursive: true, force: true });
      fs.mkdirSync(dest);
      rsyncFirst.push(rsyncBySsh(at, other, sshd.key, root, dest));
      rsyncSecond.push(rsyncBySsh(at, other, sshd.key, root, dest));
      fs.rmSync(dest, { recursive: true, force: true });
    }

    // What the bed host's agent found when it ran `criu check` at its start.
    const criu = (await (await agentOf(db, A)).health({})).capabilities.criuCheck;
    const live = criu?.passes ? "not built yet (criu check passes here)" : `not possible on the bed hosts: ${criu?.detail ?? "the agent reported no criu check"}`;
    const ratio = (ms: number[], peer: number[]) => (percentile(ms, 50) / percentile(peer, 50)).toFixed(2);
    const rsyncBoth = rsyncFirst.map((ms, i) => ms + rsyncSecond[i]!);
    const of = (method: "offline" | "precopy", key: "ms" | "downtimeMs") => moves[method].map((m) => m[key]);
    return [
      {
        title: `Moving one running Debian server between two bed hosts (bookworm minbase, ${(rootBytes / (1 << 20)).toFixed(1)} MiB)`,
        header: ["what", "seconds: median (range)", "÷ its peer", "peer"],
        rows: [
          [`offline move (request to job done: stop, transfer over TLS, build on the target, start, old copy deleted), ${MOVES} moves back and forth`, spread(of("offline", "ms")), ratio(of("offline", "ms"), tarPeer), "tar | zstd | ssh"],
          ["  of which the server was down (the job's own figure: stop on the source to running on the target)", spread(of("offline", "downtimeMs")), ratio(of("offline", "downtimeMs"), tarPeer), "tar | zstd | ssh"],
          [`pre-copy move (whole round and rounds of changes while it runs, stop, last round, start), ${MOVES} moves back and forth`, spread(of("precopy", "ms")), ratio(of("precopy", "ms"), rsyncBoth), "both rsync passes"],
          ["  of which the server was down (the job's own figure)", spread(of("precopy", "downtimeMs")), ratio(of("precopy", "downtimeMs"), rsyncSecond), "second rsync pass"],
          [`tar | zstd -3 | ssh | zstd -d | tar -x over the same bridge, ${MOVES} times`, spread(tarPeer), "1.00", ""],
          [`rsync -aHAX --numeric-ids --delete over ssh, first pass (while it runs), ${MOVES} times`, spread(rsyncFirst), "", ""],
          ["  second pass (after the stop: what an admin's pre-copy is down for, without its stop and start)", spread(rsyncSecond), "1.00", ""],
          ["live move with CRIU: freeze (issue 16, point 4)", live, "", ""],
        ],
        samples: `${MOVES} moves by each method, ${MOVES} copies by each peer (each after sync)`,
        notes: [
          `sent per offline move: ${[...new Set(moves.offline.map((m) => m.bytes))].join(", ")} (zstd -3 of the tar of the root, as the tar peer sends); the pre-copy moves' last round (after the stop): ${[...new Set(moves.precopy.map((m) => m.lastRound))].join(", ")}`,
          "the server is idle during the moves: the pre-copy rounds after the whole one carry little, so the downtime is mostly the stop, the last round's walk of the root on both ends, and the start",
          "the moves do more than the peers: the archive is written and checksummed before it is sent (its sha256 leads the stream), the target checks every member as untrusted input and shifts owners into its own uid range, and the old copy is deleted at the end; the peers trust both ends",
          "both hosts are agents on this one machine (their own network namespaces, a veth bridge), so the link is fast and the roots share one disk",
        ],
      },
    ];
  } finally {
    await runner?.stop();
    await sshd?.stop();
    fs.rmSync(sshDir, { recursive: true, force: true });
    await panel.stop();
  }
}
