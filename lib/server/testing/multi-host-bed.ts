/**
 * Three hosts on one machine, for tests and developers (issue 16, "a real multi-host test
 * bed"): each agent runs in a network namespace of its own, joined to the others and to
 * the panel by a bridge this bed makes (10.251.N.0/24: the panel at .1, the hosts at .11,
 * .12, .13), with its own VSERVER_* directories (a temp host each), listening on TLS with
 * the certificate it makes at first start, and enrolled in one panel database through
 * the admin's own enroll operation. `stop` removes all of it, also after a failed test.
 *
 * The agents enter only the network namespace (nsenter --net), not a mount namespace of
 * their own as `ip netns exec` would give them: they must see the machine's cgroup
 * hierarchies, and their mounts must stay visible to the cleanup.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { enrollHost } from "@/lib/server/hosts/enroll-host";
import { makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { startAgent, type AgentChild } from "@/scripts/start/agent-process";

const repo = path.resolve(import.meta.dirname, "../../..");
const agentPort = 7443;

/** One host of the bed. */
export interface BedHost {
  name: string;
  address: string;
  netns: string;
  temp: TempHost;
  /** The panel's row for it. */
  hostId: string;
  endpoint: string;
  credential: string;
  tlsCaPem: string;
  /** The running agent (null after {@link MultiHostBed.stopAgent}). */
  agent: AgentChild | null;
}

/** The bed. */
export interface MultiHostBed {
  hosts: BedHost[];
  bridge: string;
  /** Stops a host's agent (SIGTERM, or SIGKILL as a crash); its servers keep running. */
  stopAgent(host: BedHost, signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts a host's agent again. */
  startAgent(host: BedHost): Promise<void>;
  /** Removes the agents, their hosts and servers, the namespaces and the bridge. */
  stop(): Promise<void>;
}

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function quietly(f: () => void): void {
  try {
    f();
  } catch {
    /* already gone */
  }
}

/** Makes the bed and enrolls its hosts as `admin` into `db`. */
export async function startMultiHostBed(db: Db, admin: Actor, count = 3): Promise<MultiHostBed> {
  const id = crypto.randomBytes(2).toString("hex");
  const subnet = `10.251.${crypto.randomInt(1, 255)}`;
  const bridge = `vbed${id}`;
  const hosts: BedHost[] = [];
  const stop = async (): Promise<void> => {
    for (const h of hosts) await stopAgentOf(h, "SIGTERM");
    for (const h of hosts) await h.temp.cleanup().catch((e: unknown) => console.error(`bed: cleanup of ${h.name}`, e));
    for (const h of hosts) quietly(() => ip("netns", "del", h.netns));
    quietly(() => ip("link", "del", bridge));
  };
  try {
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", `${subnet}.1/24`, "dev", bridge);
    ip("link", "set", bridge, "up");
    for (let i = 0; i < count; i++) {
      const letter = String.fromCharCode(97 + i);
      const netns = `vbed${id}-${letter}`;
      const address = `${subnet}.${11 + i}`;
      ip("netns", "add", netns);
      const outside = `vbed${id}${letter}`;
      ip("link", "add", outside, "type", "veth", "peer", "name", `${outside}p`);
      ip("link", "set", outside, "master", bridge, "up");
      ip("link", "set", `${outside}p`, "netns", netns);
      ip("-n", netns, "link", "set", `${outside}p`, "name", "eth0");
      ip("-n", netns, "addr", "add", `${address}/24`, "dev", "eth0");
      ip("-n", netns, "link", "set", "eth0", "up");
      ip("-n", netns, "link", "set", "lo", "up");
      const temp = makeTempHost();
      const host: BedHost = { name: `bed-${id}-${letter}`, address, netns, temp, hostId: "", endpoint: `https://${address}:${agentPort}`, credential: "", tlsCaPem: "", agent: null };
      hosts.push(host);
      await startAgentOf(host);
      const row = await enrollHost(db, admin, { name: host.name, endpoint: host.endpoint, credential: host.credential, tlsCaPem: host.tlsCaPem });
      host.hostId = row.id;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { hosts, bridge, stopAgent: stopAgentOf, startAgent: startAgentOf, stop };
}

async function startAgentOf(host: BedHost): Promise<void> {
  const agentDir = path.join(host.temp.paths.confDir, ".agent");
  const env = { ...host.temp.env, AGENT_LISTEN: `${host.address}:${agentPort}` };
  host.agent = await startAgent(repo, env, { endpoint: host.endpoint, credentialFile: path.join(agentDir, "credential"), caFile: path.join(agentDir, "tls.crt") }, { prefix: ["nsenter", `--net=/run/netns/${host.netns}`, "--"] });
  host.credential = host.agent.token;
  host.tlsCaPem = fs.readFileSync(path.join(agentDir, "tls.crt"), "utf8").trim();
}

async function stopAgentOf(host: BedHost, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  const agent = host.agent;
  host.agent = null;
  if (!agent) return;
  if (signal === "SIGKILL") agent.process.kill("SIGKILL");
  await agent.stop();
}
