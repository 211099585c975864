/**
 * What ensureHostNetwork changed on the host, in `<runDir>/net/host.json`, so that
 * releaseHostNetwork (maybe in a later agent process) puts back exactly that and no more.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../host-paths";
import { netStateDir } from "./net-state";

const hostStateSchema = z.object({
  version: z.literal(1),
  /** How forwarding is enabled: global sysctls, or per host-side device only. */
  forwarding: z.enum(["global", "devices"]),
  /** Sysctl values from before our first change, in the order they must be restored. */
  saved: z.array(z.tuple([z.string(), z.string()])),
  /** Bridges we created (and so may remove). */
  createdBridges: z.array(z.string()),
});

/** Parsed host.json. */
export type HostNetState = z.infer<typeof hostStateSchema>;

function fileOf(paths?: HostPaths): string {
  return path.join(netStateDir(paths), "host.json");
}

/** Reads host.json; `null` when ensureHostNetwork has not run (or was released). */
export async function readHostState(paths?: HostPaths): Promise<HostNetState | null> {
  let text: string;
  try {
    text = await readFile(fileOf(paths), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const parsed = hostStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AgentFailure("INTERNAL", `${fileOf(paths)}: ${parsed.error.message}`);
  return parsed.data;
}

/** Writes host.json atomically. */
export async function writeHostState(state: HostNetState, paths?: HostPaths): Promise<void> {
  const file = fileOf(paths);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  await rename(temp, file);
}

/** Removes host.json. */
export async function removeHostState(paths?: HostPaths): Promise<void> {
  await rm(fileOf(paths), { force: true });
}
