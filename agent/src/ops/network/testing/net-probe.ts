/** Compiles net-probe.c (static) into `outDir`; tests copy the binary into guests. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Path of the built probe. */
export function buildNetProbe(outDir: string): string {
  const out = join(outDir, "net-probe");
  const src = fileURLToPath(new URL("./net-probe.c", import.meta.url));
  execFileSync("gcc", ["-static", "-O2", "-Wall", "-Werror", "-o", out, src], { stdio: ["ignore", "inherit", "ignore"] });
  return out;
}
