/**
 * Builds the production bundle (`next build`) only when its inputs changed since the
 * last build, so a second `npm start` with nothing changed starts in seconds.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { importClosure } from "./import-closure";

const inputs = ["app", "components", "lib", "types", "generated/prisma", "public"];
const inputFiles = ["proxy.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

/**
 * A hash over every file the bundle is made from: the panel's directories and files, and
 * whatever they import from elsewhere in the repository (agent/, native/, scripts/).
 */
export function bundleInputHash(root: string): string {
  const h = crypto.createHash("sha256");
  const files: string[] = inputFiles.map((f) => path.join(root, f));
  for (const dir of inputs) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const e of fs.readdirSync(abs, { withFileTypes: true, recursive: true })) {
      if (e.isFile() && !/\.test\.tsx?$/.test(e.name)) files.push(path.join(e.parentPath, e.name));
    }
  }
  for (const f of importClosure(root, files)) {
    h.update(path.relative(root, f));
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  return h.digest("hex");
}

/** Runs `next build` if needed; returns whether it built. */
export function buildIfStale(root: string): boolean {
  const stamp = path.join(root, ".next", "vsp-build-stamp");
  const hash = bundleInputHash(root);
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) return false;
  console.log("building the panel (next build)…");
  execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  fs.writeFileSync(stamp, hash);
  return true;
}
