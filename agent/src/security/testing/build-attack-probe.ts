/**
 * Builds the suite's guest-side programs with gcc: the attack probe (static, libc) and
 * the fake ELF interpreter (static, no libc). Tests copy them into guests through
 * guestfs, as the agent writes guest files.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const source = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The probes' paths in `outDir`. */
export interface AttackProbes {
  /** attack-probe.c: see its header for the commands. */
  probe: string;
  /** fake-interp.c: installed as the guest's /lib64/ld-linux-x86-64.so.2. */
  fakeInterp: string;
}

/** Compiles both into `outDir`. */
export function buildAttackProbes(outDir: string): AttackProbes {
  const probe = join(outDir, "attack-probe");
  const fakeInterp = join(outDir, "fake-interp");
  execFileSync("gcc", ["-static", "-O2", "-Wall", "-Werror", "-o", probe, source("attack-probe.c")], { stdio: "inherit" });
  execFileSync("gcc", ["-static", "-nostdlib", "-fno-stack-protector", "-O2", "-Wall", "-Werror", "-o", fakeInterp, source("fake-interp.c")], { stdio: "inherit" });
  return { probe, fakeInterp };
}
