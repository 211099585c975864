/**
 * An in-process stand-in for a host's agent in database tests: it speaks the agent's
 * HTTP API on a unix socket, checks the bearer credential, and answers the operations
 * the panel calls with well-formed results (validated by the contract's own output
 * schemas), so authorized calls through the panel succeed without a real host.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { z } from "zod";
import { operations } from "@/lib/protocol";
import { backupDownloadKindHeader, backupDownloadPath } from "@/lib/protocol/backups";

/** A running fake agent. */
export interface FakeAgent {
  endpoint: string;
  credential: string;
  /** Operations called so far (name and input). */
  calls: { op: string; input: unknown }[];
  /** What listProcesses reports (empty unless a test sets it), with each row's full
   * command line and kernel name; host rows are cut to the name as the real agent does
   * unless the call asks for hostCommandLines. */
  processes: FakeProcess[];
  /** Answers a test adds for operations the fake does not know (e.g. backups): result, or undefined for 404. */
  answers: Record<string, (input: Record<string, unknown>) => unknown>;
  close(): Promise<void>;
}

const limits = { cpu: null, cpuWeight: 100, memory: null, swap: null, pids: null, diskBytes: null, diskInodes: null, ioReadBps: null, ioWriteBps: null, ioReadIops: null, ioWriteIops: null, netRate: null };

function info(name: string) {
  return {
    name,
    context: 100,
    hostname: `${name}.test`,
    domainname: "",
    state: "running",
    initPid: 1,
    startedAt: new Date().toISOString(),
    startOnBoot: true,
    buildMethod: "busybox",
    distribution: null,
    interfaces: [],
    limits,
    capabilities: [],
    flags: [],
    diskMode: "none",
    userNamespace: true,
  };
}

/** A process the fake reports: a row of the contract plus the name a host row shows without arguments. */
export type FakeProcess = z.input<typeof operations.listProcesses.output>["processes"][number] & { name: string };

function answerFor(op: string, input: Record<string, unknown>, processes: FakeProcess[]): unknown {
  const name = typeof input.name === "string" ? input.name : "x";
  switch (op) {
    case "health":
      return {
        agentVersion: "fake",
        protocolVersion: 1,
        hostname: "fake-host",
        kernel: "6.1.0",
        cgroup: "v1",
        cpuCores: 64,
        memoryMb: 262144,
        uptimeSeconds: 1,
        startedAt: new Date().toISOString(),
        capabilities: { diskLimits: "none", diskReason: "a fake host", onlineDiskGrow: false },
      };
    case "setLimits":
      return limits;
    case "addAddress":
    case "removeAddress":
    case "getVserver":
    case "setDesiredState":
      return info(name);
    case "setRestartPolicy":
      return { ...info(name), restartPolicy: input.policy === "on-failure" ? "on-failure" : "never" };
    case "setUserNamespace":
      return { ...info(name), userNamespace: input.enabled === true };
    case "setRootAccess":
      return { name };
    case "getUsage":
      return { name, running: true, cpuUsageUsec: 0, cpuUserUsec: 0, cpuSystemUsec: 0, memoryBytes: 0, memoryPeakBytes: 0, swapBytes: 0, oomKills: 0, processes: 1, ioReadBytes: 0, ioWriteBytes: 0, diskBytesUsed: null, diskInodesUsed: null, netRxBytes: 0, netTxBytes: 0, sampledAt: new Date().toISOString() };
    case "listProcesses":
      return {
        processes: processes
          .filter((p) => input.name === undefined || p.vserver === input.name)
          .map(({ name: comm, ...p }) => ({ ...p, command: p.context === 0 && input.hostCommandLines !== true ? comm : p.command })),
      };
    case "vserverStat":
      return { vservers: [] };
    default:
      return undefined;
  }
}

/** Starts a fake agent on a fresh unix socket under /tmp. */
export async function startFakeAgent(): Promise<FakeAgent> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-fake-agent-"));
  const socket = path.join(dir, "agent.sock");
  const credential = `vsa_${crypto.randomBytes(24).toString("base64url")}`;
  const calls: FakeAgent["calls"] = [];
  const state = { processes: [] as FakeProcess[] };
  const answers: FakeAgent["answers"] = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${credential}`) return send(401, { ok: false, error: { code: "UNAUTHORIZED", message: "wrong credential" } });
      if (req.url === backupDownloadPath) {
        // The streamed download is not a JSON operation: a small file's bytes, as the agent sends one.
        calls.push({ op: "backupDownload", input: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") });
        res.writeHead(200, { "content-type": "application/octet-stream", [backupDownloadKindHeader]: "file", "content-disposition": "attachment; filename*=UTF-8''hosts", "content-length": "12" });
        return res.end("127.0.0.1 x\n");
      }
      const op = /^\/v1\/(\w+)$/.exec(req.url ?? "")?.[1] ?? "";
      const text = Buffer.concat(chunks).toString("utf8");
      const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      calls.push({ op, input });
      const result = answers[op] ? answers[op](input) : answerFor(op, input, state.processes);
      const def = (operations as Record<string, { output: z.ZodType }>)[op];
      if (result === undefined || !def) return send(404, { ok: false, error: { code: "NOT_FOUND", message: `the fake agent does not do ${op}` } });
      send(200, { ok: true, result: def.output.parse(result) });
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    endpoint: `unix:${socket}`,
    credential,
    calls,
    answers,
    get processes() {
      return state.processes;
    },
    set processes(rows) {
      state.processes = rows;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
