/**
 * The source server `src` that the provisioning and backup benchmarks start from: a
 * debootstrap of bookworm minbase with BENCH_DEBOOTSTRAP=1, else busybox plus copies of
 * two host trees (a realistic mix of small and large files without the network).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ReflinkHost } from "@/agent/src/ops/unify/testing/reflink-host";

/** The build of `src`: what it holds, and the debootstrap's argv and time when it was one. */
export interface SourceServer {
  label: string;
  debootstrap: { args: string[]; ms: number } | null;
}

/** Builds `src` on `host` with `runCli` (the benchmark's own CLI runner; returns milliseconds). */
export function buildSourceServer(host: ReflinkHost, runCli: (args: string[]) => number): SourceServer {
  if (process.env.BENCH_DEBOOTSTRAP === "1") {
    const args = ["vserver", "src", "build", "-m", "debootstrap", "--no-boot", "--", "-d", "bookworm", "--variant", "minbase"];
    return { label: "debootstrap bookworm minbase", debootstrap: { args, ms: runCli(args) } };
  }
  runCli(["vserver", "src", "build", "-m", "busybox", "--no-boot"]);
  const root = path.join(host.paths.rootDir, "src");
  for (const dir of ["/usr/lib/python3", "/usr/share/doc"]) {
    fs.mkdirSync(path.join(root, path.dirname(dir)), { recursive: true });
    execFileSync("cp", ["-a", dir, path.join(root, dir)]);
  }
  return { label: "busybox + copies of the host's /usr/lib/python3 and /usr/share/doc", debootstrap: null };
}
