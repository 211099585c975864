/**
 * A snapshot of everything an agent request could change on a test host, to compare
 * before and after a fuzz run: the configuration tree (names and contents), the run
 * directory, the roots directory, the cgroups under the test's parent with their limit
 * files, mounts under the test's directory, the server's links, addresses, routes,
 * queueing disciplines and nft table, and the server as the agent and the guest see it.
 * Counters that move on their own (packets, usage) are left out.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AgentClient } from "@/lib/agent-client";

/** A snapshot: one sorted list of text lines per category. */
export type HostState = Record<string, string[]>;

function walk(dir: string, out: string[], base = dir, skip: (rel: string) => boolean = () => false): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    out.push(`${path.relative(base, dir) || "."}: ${(e as NodeJS.ErrnoException).code}`);
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const rel = path.relative(base, full);
    if (skip(rel)) continue;
    const st = fs.lstatSync(full);
    const mode = (st.mode & 0o7777).toString(8);
    if (e.isDirectory()) {
      out.push(`${rel}/ ${mode} ${st.uid}:${st.gid}`);
      walk(full, out, base, skip);
    } else if (e.isSymbolicLink()) {
      out.push(`${rel} -> ${fs.readlinkSync(full)}`);
    } else if (e.isFile()) {
      const hash = crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex").slice(0, 16);
      out.push(`${rel} ${mode} ${st.uid}:${st.gid} ${st.size} ${hash}`);
    } else {
      out.push(`${rel} (${e.isSocket() ? "socket" : e.isFIFO() ? "fifo" : "special"}) ${mode}`);
    }
  }
}

function lines(cmd: string, args: string[]): string[] {
  try {
    return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] }).toString().split("\n").filter(Boolean);
  } catch (e) {
    return [`${cmd} ${args.join(" ")}: ${String((e as { stderr?: Buffer }).stderr ?? e).trim().split("\n")[0]}`];
  }
}

const limitFile = /(\.limit_in_bytes|\.max|\.high|\.low|\.min|\.shares|\.weight|\.cfs_quota_us|\.cfs_period_us|\.cpus|\.mems|^devices\.list|_device|^freezer\.state|^cgroup\.type|^notify_on_release|^release_agent)$/;

function cgroupState(parent: string): string[] {
  const out: string[] = [];
  const root = "/sys/fs/cgroup";
  const find = (dir: string, depth: number): string[] => {
    if (depth > 3) return [];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.filter((e) => e.isDirectory()).flatMap((e) => (e.name === parent ? [path.join(dir, e.name)] : find(path.join(dir, e.name), depth + 1)));
  };
  for (const group of find(root, 0)) {
    const visit = (dir: string) => {
      out.push(`${path.relative(root, dir)}/`);
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) visit(full);
        else if (limitFile.test(e.name)) {
          let value: string;
          try {
            value = fs.readFileSync(full, "utf8").trim().replace(/\n/g, " | ");
          } catch (err) {
            value = `(${(err as NodeJS.ErrnoException).code})`;
          }
          out.push(`${path.relative(root, full)} = ${value}`);
        }
      }
    };
    visit(group);
  }
  return out;
}

/** The host side of a server's network, by its context id. */
function networkState(ctx: number): string[] {
  const names = [`vsh${ctx}`, `vsi${ctx}`];
  const linkLines = lines("ip", ["-o", "link", "show"]).filter((l) => names.some((n) => new RegExp(`^\\d+: ${n}[@:]`).test(l)));
  const present = names.filter((n) => linkLines.some((l) => l.includes(` ${n}`)));
  return [
    ...linkLines.map((l) => `link ${l.replace(/\\\s+/g, " ")}`),
    ...present.flatMap((n) => lines("ip", ["-o", "addr", "show", "dev", n]).map((l) => `addr ${l.replace(/valid_lft \S+ preferred_lft \S+/, "")}`)),
    ...present.flatMap((n) => lines("ip", ["route", "show", "table", "all", "dev", n]).map((l) => `route ${n} ${l}`)),
    ...present.flatMap((n) => lines("tc", ["qdisc", "show", "dev", n]).map((l) => `qdisc ${n} ${l}`)),
    ...lines("nft", ["list", "tables"]).filter((l) => l.endsWith(` vs${ctx}`)).map((l) => `nft ${l}`),
    ...lines("nft", ["list", "table", "netdev", `vs${ctx}`])
      .filter((l) => !l.includes("No such file"))
      .map((l) => `nft ${l.trim().replace(/packets \d+ bytes \d+/g, "packets - bytes -")}`),
  ];
}

/** Takes the snapshot; `server` names the one server, probed through the agent and inside the guest. */
export async function snapshotHostState(
  paths: { confDir: string; rootDir: string; runDir: string },
  base: string,
  cgroupParent: string,
  client: AgentClient,
  server: { name: string; context: number },
): Promise<HostState> {
  // The agent's own moving state is left out like the counters: the usage history (rrd
  // files, journal, traffic ledger, rrdcached's socket and log) grows every sample, and
  // the LXCFS mount under the run directory answers with live figures.
  const moving = (prefixes: string[]) => (rel: string) => prefixes.some((p) => rel === p || rel.startsWith(`${p}/`));
  const conf: string[] = [];
  walk(paths.confDir, conf, paths.confDir, moving([".agent/history"]));
  const run: string[] = [];
  walk(paths.runDir, run, paths.runDir, moving(["history", "lxcfs"]));
  const roots = fs.readdirSync(paths.rootDir).map((n) => {
    const st = fs.lstatSync(path.join(paths.rootDir, n));
    return `${n} ${st.isDirectory() ? "dir" : "other"} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
  });
  const mounts = fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" "))
    .filter((f) => f[4]?.startsWith(base))
    .map((f) => `${f[4]} ${f.slice(f.indexOf("-") + 1).join(" ")}`);
  const info = await client.getVserver({ name: server.name });
  const probe = await client.execInVserver({
    name: server.name,
    argv: ["/bin/sh", "-c", "hostname; cat /etc/hostname; md5sum /etc/passwd /etc/shadow /etc/group 2>&1; ls -la /etc /root /root/.ssh 2>&1; ip -o addr 2>&1 | sed 's/valid_lft.*//'"],
  });
  return {
    conf,
    run,
    roots,
    cgroups: cgroupState(cgroupParent),
    mounts,
    network: networkState(server.context),
    agentView: JSON.stringify(info, null, 1).split("\n"),
    guestView: [`exit ${probe.exitCode}`, ...probe.stdout.split("\n"), ...probe.stderr.split("\n")],
  };
}

/** Lines that differ between two snapshots, by category ("-" before only, "+" after only). */
export function diffHostState(before: HostState, after: HostState): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = new Set(before[key] ?? []);
    const b = new Set(after[key] ?? []);
    for (const l of a) if (!b.has(l)) out.push(`${key} - ${l}`);
    for (const l of b) if (!a.has(l)) out.push(`${key} + ${l}`);
  }
  return out;
}
