/**
 * What a guestfs call refused because of the guest's own tree (a symlink, FIFO or
 * directory where the host writes, a name swapped away meanwhile) is the guest's doing,
 * not an agent fault: it becomes CONFLICT naming the operation, the guest path and the
 * errno, instead of reaching the panel as "internal agent error" (a 500 and an agent log
 * entry for every hostile guest). Anything else passes through unchanged.
 */
import { AgentFailure } from "../../errors";

/** errno names guestfs reports for what a guest planted or changed. */
const GUEST_TREE_CODES = new Set(["ENOENT", "ENOTDIR", "ELOOP", "EISDIR", "EEXIST", "ENOTEMPTY", "EAGAIN", "EXDEV", "EINVAL"]);

/** `e` as a CONFLICT when it is a guest-tree refusal, else `e` itself. */
export function guestTreeFailure(e: unknown, what: string, field?: string): unknown {
  if (e instanceof AgentFailure || typeof e !== "object" || e === null) return e;
  const { code, path } = e as { code?: unknown; path?: unknown };
  if (typeof code !== "string" || !GUEST_TREE_CODES.has(code)) return e;
  const where = typeof path === "string" ? ` at ${path}` : "";
  return new AgentFailure("CONFLICT", `${what}: the server's own files are in the way (${code}${where}); fix them inside the server and try again`, field, { cause: e });
}

/** Runs `fn`, turning guest-tree refusals into CONFLICT (see {@link guestTreeFailure}). */
export function inGuestTree<T>(what: string, fn: () => T, field?: string): T {
  try {
    return fn();
  } catch (e) {
    throw guestTreeFailure(e, what, field);
  }
}
