/**
 * Whether this host can checkpoint and restore processes with CRIU (Debian's `criu`),
 * which a live move needs (issue 16): `criu check` is run once when the agent starts, in
 * the background, and its verdict kept for the host's capabilities, so the panel can
 * say before a move why live is not possible here (criu missing, or its check failing
 * on this kernel: Debian 12's criu 3.17 fails on kernels whose vDSO layout it does not
 * know). Never throws.
 */
import { spawn } from "node:child_process";

/** `criu check`'s verdict. */
export interface CriuCheck {
  passes: boolean;
  detail: string;
}

let verdict: CriuCheck = { passes: false, detail: "criu check has not finished yet" };
let started = false;

/** The last verdict (for the host's capabilities). */
export function criuCheckVerdict(): CriuCheck {
  return verdict;
}

/** The line of criu's output that says why it failed: its first `Error` line that is not a helper's exit status (the root cause; the later ones follow from it), without the source position. */
export function criuFailureLine(output: string): string {
  const errors = output.split("\n").filter((l) => /^Error/.test(l.trim()));
  const pick = errors.find((l) => !/exited, status=/.test(l)) ?? errors[0] ?? output.trim().split("\n").pop() ?? "";
  return pick.replace(/^Error \([^)]*\):\s*/, "").trim().slice(0, 300) || "no reason given";
}

/** Runs `criu check` once (later calls do nothing); resolves with the verdict. */
export function startCriuCheck(): Promise<CriuCheck> {
  if (started) return Promise.resolve(verdict);
  started = true;
  return new Promise((resolve) => {
    let out = "";
    const child = spawn("criu", ["check"], { stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const done = (v: CriuCheck) => {
      clearTimeout(timer);
      verdict = v;
      resolve(v);
    };
    child.on("error", (e) => done({ passes: false, detail: (e as NodeJS.ErrnoException).code === "ENOENT" ? "criu is not installed (Debian's package: criu)" : `criu cannot run: ${e.message}` }));
    child.on("exit", (code, signal) => {
      if (code === 0) done({ passes: true, detail: out.trim().split("\n").pop() ?? "criu check passes" });
      else done({ passes: false, detail: `criu check fails here: ${signal ? `killed by ${signal}` : criuFailureLine(out)}` });
    });
  });
}
