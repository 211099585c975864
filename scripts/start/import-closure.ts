/**
 * The files a set of sources reaches through their imports, inside the repository. The
 * panel's bundle is made of more than its own directories whenever a panel file imports
 * something elsewhere (agent/, native/, scripts/): a freshness hash over the directories
 * alone would call a stale bundle fresh after such a file changed.
 */
import fs from "node:fs";
import path from "node:path";

const SOURCE = /\.(tsx?|mjs|cjs|js)$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;
const TRY = ["", ".ts", ".tsx", ".mjs", ".js", ".json", "/index.ts", "/index.tsx", "/index.js"];

/** The file an import specifier names, or null for a package or a file that does not exist. */
export function resolveImport(root: string, from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (base === null) return null;
  // A ".js" specifier may name the ".ts" file beside it (ESM style in TypeScript).
  const candidates = [...TRY.map((ext) => base + ext), ...(base.endsWith(".js") ? [base.replace(/\.js$/, ".ts")] : [])];
  const hit = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return hit && !path.relative(root, hit).split(path.sep).includes("node_modules") ? hit : null;
}

/** `files` and every repository file they import, directly or through others (absolute paths, sorted). */
export function importClosure(root: string, files: string[]): string[] {
  const seen = new Set(files);
  const queue = [...files];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (!SOURCE.test(file) || !fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolveImport(root, file, m[1]!);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].sort();
}
