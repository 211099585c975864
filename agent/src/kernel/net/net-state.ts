/**
 * Run-state of attached servers: `<runDir>/net/vs<ctx>.json`, written before anything is
 * made (an intent record) and removed last, so a restarted agent finds every server it
 * touched, also one whose attach or detach was cut short by a crash. Running servers do
 * not depend on these files; the agent does.
 */
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AgentFailure } from "../../errors";
import { hostPaths, type HostPaths } from "../../host-paths";

const addressSchema = z.object({ family: z.union([z.literal(4), z.literal(6)]), address: z.string(), prefix: z.number().int() });

const stateSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  ctx: z.number().int(),
  netnsPath: z.string(),
  /** Identity of the namespace at attach time, to tell a reused pid from the server. */
  netnsId: z.string().nullable(),
  mode: z.union([
    z.object({ kind: z.literal("routed") }),
    z.object({ kind: z.literal("bridge"), bridge: z.string(), gateway4: z.string().nullable(), gateway6: z.string().nullable() }),
  ]),
  mac: z.string(),
  linkLocal: z.string(),
  addresses: z.array(addressSchema),
  rate: z.object({ in: z.number().nullable(), out: z.number().nullable() }),
});

/** What the agent remembers about one attached server. */
export type ServerNetState = z.infer<typeof stateSchema>;

/** Directory of the state files. */
export function netStateDir(paths: HostPaths = hostPaths()): string {
  return path.join(paths.runDir, "net");
}

function fileOf(ctx: number, paths?: HostPaths): string {
  return path.join(netStateDir(paths), `vs${ctx}.json`);
}

/** Writes a state file atomically (temp file + rename). */
export async function writeServerState(state: ServerNetState, paths?: HostPaths): Promise<void> {
  const dir = netStateDir(paths);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = fileOf(state.ctx, paths);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  await rename(temp, file);
}

/** Reads a server's state; `null` when it has none. */
export async function readServerState(ctx: number, paths?: HostPaths): Promise<ServerNetState | null> {
  let text: string;
  try {
    text = await readFile(fileOf(ctx, paths), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const parsed = stateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new AgentFailure("INTERNAL", `${fileOf(ctx, paths)} is not a network state file: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** True when this agent has a state file for ctx (readable or not: a damaged one is still ours). */
export async function hasServerState(ctx: number, paths?: HostPaths): Promise<boolean> {
  try {
    await access(fileOf(ctx, paths));
    return true;
  } catch {
    return false;
  }
}

/** Reads a server's state or fails with NOT_FOUND. */
export async function requireServerState(ctx: number, paths?: HostPaths): Promise<ServerNetState> {
  const state = await readServerState(ctx, paths);
  if (!state) throw new AgentFailure("NOT_FOUND", `ctx ${ctx} has no attached network`, "ctx");
  return state;
}

/** Removes a server's state file (no error when absent). */
export async function removeServerState(ctx: number, paths?: HostPaths): Promise<void> {
  await rm(fileOf(ctx, paths), { force: true });
}

/** The ctx of every state file. */
export async function listServerStates(paths?: HostPaths): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(netStateDir(paths));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .map((n) => /^vs(\d+)\.json$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** A server as callers name it: its ctx, or its vserver name. */
export type ServerRef = number | string;

/** The ctx of a server reference; a name is looked up in the state files (NOT_FOUND if none). */
export async function resolveCtx(ref: ServerRef, paths?: HostPaths): Promise<number> {
  if (typeof ref === "number") return ref;
  for (const ctx of await listServerStates(paths)) {
    if ((await readServerState(ctx, paths))?.name === ref) return ctx;
  }
  throw new AgentFailure("NOT_FOUND", `no attached network for vserver "${ref}"`, "name");
}
