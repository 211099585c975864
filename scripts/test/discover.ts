/** Finds test files by suffix (see docs/CONVENTIONS.md): no list to keep up to date. */
import fs from "node:fs";
import path from "node:path";

/** The kinds of tests, by what they need. */
export type TestKind = "unit" | "root" | "db" | "e2e";

const skipDirs = new Set(["node_modules", ".next", ".git", "generated", "data", "native/build"]);

/** Lists the test files of a kind, relative to root, sorted. */
export function discoverTests(root: string, kind: TestKind): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skipDirs.has(rel) && !skipDirs.has(e.name)) walk(rel);
      } else if (matches(rel, kind)) out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

function matches(rel: string, kind: TestKind): boolean {
  switch (kind) {
    case "e2e":
      return rel.startsWith("e2e/") && rel.endsWith(".spec.ts");
    case "root":
      return rel.endsWith(".root.test.ts");
    case "db":
      return rel.endsWith(".db.test.ts");
    case "unit":
      return /\.test\.tsx?$/.test(rel) && !rel.endsWith(".root.test.ts") && !rel.endsWith(".db.test.ts");
  }
}
