/**
 * Guests that keep changing their tree while the host works on it: the attack probe's
 * `swap` loop (renameat2 RENAME_EXCHANGE of two names, e.g. a directory and a symlink to
 * a host canary) in several places at once, for a fixed time.
 *
 * - inside a running server, through `vserver NAME exec` (the realistic case);
 * - from the host in a STOPPED server's tree, for operations that only run on stopped
 *   servers (start, export, reinstall, delete): it stands for a process that still holds
 *   a directory of that tree, e.g. a neighbour given its fd over a shared directory in
 *   shared-uid mode (see shared-directory.root.test.ts). The probe opens its directory
 *   without following symlinks and then works only beneath that fd.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { until } from "../../ops/limits/testing/cli-host";
import { binPath, type TempHost } from "../../ops/testing/temp-host";

/** Exchange `a` and `b` in the guest directory `dir`. */
export type Swap = readonly [dir: string, a: string, b: string];

/** Running swap loops. */
export interface Swappers {
  /** Resolves with the total number of exchanges once every loop ended. */
  done: Promise<{ swaps: number; out: string }>;
}

function follow(child: ReturnType<typeof spawn>, loops: number): Promise<Swappers> {
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const closed = new Promise<void>((r) => child.once("close", () => r()));
  const done = closed.then(() => ({ swaps: [...out.matchAll(/^swaps (\d+) /gm)].reduce((a, m) => a + Number(m[1]), 0), out }));
  return until("the swappers to start", () => (out.match(/^swapping$/gm)?.length ?? 0) >= loops || child.exitCode !== null).then(() => ({ done }));
}

/** Starts the loops inside the running server `name` (the probe at /bin/attack-probe there). */
export function swapInGuest(host: TempHost, name: string, swaps: readonly Swap[], seconds: number): Promise<Swappers> {
  const script = swaps.map(([d, a, b]) => `/bin/attack-probe swap '${d}' '${a}' '${b}' ${seconds} &`).join(" ") + " wait";
  const child = spawn(binPath("vserver"), [name, "exec", "/bin/sh", "-c", script], { env: host.env, stdio: ["ignore", "pipe", "pipe"] });
  return follow(child, swaps.length);
}

/** Starts the loops from the host in the tree at `root` (a stopped server's). */
export function swapOnHost(probe: string, root: string, swaps: readonly Swap[], seconds: number): Promise<Swappers> {
  const script = swaps.map((_, i) => `"$0" swap "\${${3 * i + 1}}" "\${${3 * i + 2}}" "\${${3 * i + 3}}" ${seconds} &`).join(" ") + " wait";
  const args = swaps.flatMap(([d, a, b]) => [path.join(root, d), a, b]);
  const child = spawn("/bin/sh", ["-c", script, probe, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return follow(child, swaps.length);
}
