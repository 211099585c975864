/** Compiles limits-probe.c (static) into `outDir`; tests copy the binary into guests. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Path of the built probe. */
export function buildLimitsProbe(outDir: string): string {
  const out = join(outDir, "limits-probe");
  const src = fileURLToPath(new URL("./limits-probe.c", import.meta.url));
  execFileSync("gcc", ["-static", "-O2", "-Wall", "-Werror", "-o", out, src], { stdio: "inherit" });
  return out;
}
