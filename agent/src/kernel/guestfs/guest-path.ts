/** Guest path parsing and the resolve flags every guestfs operation uses. */
import { constants as C } from "@/native";

/** Resolve like the guest would (symlinks and `..` stay inside the root), but never via
 * /proc magic links, which could point anywhere on the host. */
export const IN_ROOT = C.RESOLVE_IN_ROOT | C.RESOLVE_NO_MAGICLINKS;

/** One component beneath a directory fd, following nothing. */
export const STRICT = C.RESOLVE_BENEATH | C.RESOLVE_NO_SYMLINKS | C.RESOLVE_NO_MAGICLINKS;

/** {@link STRICT}, and never onto another filesystem: for whole trees the agent builds,
 * walks or changes (templates, unify, ownership shift, project ids), where a mount inside
 * the tree is not part of it. The one definition of these flags. */
export const BENEATH = STRICT | C.RESOLVE_NO_XDEV;

/** A guest path split into its parent and last component. */
export interface SplitPath {
  parent: string;
  base: string;
}

/** Splits an absolute guest path; throws TypeError for "/", "." or ".." as last part. */
export function splitGuestPath(path: string): SplitPath {
  if (!path.startsWith("/") || path.includes("\0")) throw new TypeError(`not an absolute guest path: ${JSON.stringify(path)}`);
  const parts = path.split("/").filter((p) => p !== "");
  const base = parts.pop();
  if (base === undefined || base === "." || base === "..") throw new TypeError(`guest path has no file name: ${JSON.stringify(path)}`);
  return { parent: "/" + parts.join("/"), base };
}

/** The components of an absolute guest path ("." dropped; ".." kept for the kernel). */
export function guestPathParts(path: string): string[] {
  if (!path.startsWith("/") || path.includes("\0")) throw new TypeError(`not an absolute guest path: ${JSON.stringify(path)}`);
  return path.split("/").filter((p) => p !== "" && p !== ".");
}

/** A temp name for atomic replacement; unlikely to collide and never a guest's choice. */
export function tempName(): string {
  return `.vs-tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
