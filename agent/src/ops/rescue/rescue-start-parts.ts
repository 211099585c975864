/**
 * What a start in rescue mode does differently (lifecycle/start-vserver.ts takes these):
 * the rescue root's busybox init, the server's own root bound at /mnt, and the end of a
 * rescue that a normal start brings.
 */
import type { MountEntry } from "../../kernel/launch/spec-types";
import type { HostPaths } from "../../config/paths";
import { readRescueFile, removeRescueFile } from "../../config/vserver/rescue-file";
import { removeRescueRoot } from "./rescue-root";

/** The rescue system's init (busybox's, with the template's inittab). */
export const RESCUE_INIT = ["/sbin/init"] as const;

/**
 * The server's own root at /mnt of the rescue root. The source is the host's path of the
 * root directory (the agent's, not the guest's: the guest lives below it and cannot
 * replace it); the target is resolved beneath the rescue root by the start helper and
 * never followed if it is a symlink (spec-types.ts MountEntry). Not recursive: the
 * server's fstab binds are not part of its root. A server with its own uid range sees
 * it through that range (`idmap`), as it sees its root in a normal start, so the rescue
 * system runs in the server's user namespace and a fixed file keeps its owner.
 */
export function rescueMount(serverRoot: string, idmapped: boolean): MountEntry {
  return { op: "mount", kind: "bind", target: "/mnt", source: serverRoot, flags: idmapped ? ["nodev", "idmap"] : ["nodev"] };
}

/** Ends a rescue the host still records (the server is stopped): record and root go. */
export function endLeftoverRescue(paths: HostPaths, name: string): boolean {
  let had = false;
  try {
    had = readRescueFile(paths, name) !== null;
  } catch {
    had = true; // a broken record is ended too
  }
  removeRescueFile(paths, name);
  removeRescueRoot(paths, name);
  return had;
}
