/**
 * node-pty, loaded at run time instead of bundled: its JavaScript finds its native
 * pty.node relative to its own files, which esbuild's single-file agent bundle would
 * break. A `require` made by createRequire is not one esbuild follows, so the bundle
 * keeps this call and Node resolves node-pty from node_modules beside the repository.
 */
import { createRequire } from "node:module";
import type * as NodePty from "node-pty";

let cached: typeof NodePty | undefined;

/** The node-pty module (loaded on first use). */
export function nodePty(): typeof NodePty {
  cached ??= createRequire(import.meta.url)("node-pty") as typeof NodePty;
  return cached;
}
