/** listBackups: a target's snapshots of servers, all or one server's (name and owner), oldest first. */
import type { BackupSnapshot } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { openRepository } from "./repository";
import { resticSnapshots, toWire } from "./snapshots";

/** The snapshots of a target (of one server when name/owner are given). */
export async function listBackups(paths: HostPaths, target: string, filter: { name?: string; owner?: string } = {}): Promise<BackupSnapshot[]> {
  const repo = await openRepository(paths, target);
  return (await resticSnapshots(repo, filter)).map((s) => toWire(paths, target, s));
}
