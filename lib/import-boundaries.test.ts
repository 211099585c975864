/**
 * Import directions (docs/CONVENTIONS.md), checked on the sources (tests and test helpers
 * are left out: they may drive a real agent or build a temp host):
 * - the panel never imports the agent (ARCHITECTURE.md): what both sides need lives in a
 *   neutral module (lib/protocol, lib/net), so the panel's bundle — and its freshness
 *   hash, which covers app/, components/ and lib/ — is made of panel code only;
 * - pages, route handlers and components hold no database: they read through loaders;
 * - inside the agent, kernel/ is the bottom layer: it imports neither config/ (which may
 *   import kernel/) nor ops/, routes/, http/ or cli/.
 * And one name for the folders of test helpers: `testing/` (no `test-support/`, `support/`
 * or the like beside it; `support/` is the product's support-staff pages and loaders).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

const repo = path.resolve(import.meta.dirname, "..");
const panelSources = ["app", "components", "lib", "types"];
const panelFiles = ["server.ts", "proxy.ts", "next.config.ts"];

function isTest(rel: string): boolean {
  const parts = rel.split("/");
  return /\.(test|spec)\.tsx?$/.test(rel) || parts.includes("testing");
}

/** Imports of non-test files under `dirs` (and the single `files`) that reach `target` (a folder from the root). */
function importsInto(root: string, target: string, dirs: string[], singles: string[] = []): string[] {
  const files = [...singles.map((f) => path.join(root, f))];
  for (const dir of dirs) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const e of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && /\.tsx?$/.test(e.name)) files.push(path.join(e.parentPath, e.name));
    }
  }
  const out: string[] = [];
  for (const file of files) {
    const rel = path.relative(root, file);
    if (isTest(rel) || !fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      const spec = m[1]!;
      const to = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.relative(root, path.resolve(path.dirname(file), spec)) : null;
      if (to !== null && (to === target || to.startsWith(`${target}/`))) out.push(`${rel} imports ${spec}`);
    }
  }
  return out;
}

/** Files of the panel whose imports reach into agent/. */
function agentImports(root: string): string[] {
  return importsInto(root, "agent", panelSources, panelFiles);
}

/** Pages, route handlers and components that hold the database instead of reading through
 * a loader of lib/server (`load(loader, …)` in lib/server/load.ts gives it the database). */
function databaseImports(root: string): string[] {
  return importsInto(root, "lib/db", ["app", "components"]);
}

test("no panel source imports agent code", () => {
  assert.deepEqual(agentImports(repo), []);
});

test("the check finds such an import", () => {
  const dir = fs.mkdtempSync(path.join(repo, ".vst-boundary-"));
  try {
    fs.mkdirSync(path.join(dir, "lib", "net"), { recursive: true });
    fs.writeFileSync(path.join(dir, "lib", "net", "cidr.ts"), 'import { parseIPv4 } from "@/agent/src/kernel/net/ip-text";\nimport x from "../../agent/src/x";\n');
    fs.writeFileSync(path.join(dir, "lib", "net", "cidr.test.ts"), 'import { y } from "@/agent/src/y";\n');
    assert.deepEqual(agentImports(dir), ["lib/net/cidr.ts imports @/agent/src/kernel/net/ip-text", "lib/net/cidr.ts imports ../../agent/src/x"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Agent kernel files whose imports reach a layer above it. */
function kernelUpwardImports(root: string): string[] {
  return ["config", "ops", "routes", "http", "cli"].flatMap((layer) => importsInto(root, `agent/src/${layer}`, ["agent/src/kernel"]));
}

test("the agent's kernel/ imports no layer above it (config/ imports kernel/, never the reverse)", () => {
  assert.deepEqual(kernelUpwardImports(repo), []);
});

test("the check finds a kernel file that imports config/ or ops/", () => {
  const dir = fs.mkdtempSync(path.join(repo, ".vst-boundary-"));
  try {
    fs.mkdirSync(path.join(dir, "agent", "src", "kernel", "net"), { recursive: true });
    fs.writeFileSync(path.join(dir, "agent", "src", "kernel", "net", "a.ts"), 'import type { HostPaths } from "../../config/paths";\nimport { withReverter } from "../../ops/reverter";\nimport { x } from "../../host-paths";\n');
    fs.writeFileSync(path.join(dir, "agent", "src", "kernel", "net", "a.test.ts"), 'import { makeTempHost } from "../../ops/testing/temp-host";\n');
    assert.deepEqual(kernelUpwardImports(dir), ["agent/src/kernel/net/a.ts imports ../../config/paths", "agent/src/kernel/net/a.ts imports ../../ops/reverter"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("no page, route handler or component imports the database (reads go through lib/server loaders)", () => {
  assert.deepEqual(databaseImports(repo), []);
});

test("the check finds a page that imports the database", () => {
  const dir = fs.mkdtempSync(path.join(repo, ".vst-boundary-"));
  try {
    fs.mkdirSync(path.join(dir, "app", "(panel)", "x"), { recursive: true });
    fs.mkdirSync(path.join(dir, "components", "y"), { recursive: true });
    fs.writeFileSync(path.join(dir, "app", "(panel)", "x", "page.tsx"), 'import { db } from "@/lib/db/client";\n');
    fs.writeFileSync(path.join(dir, "components", "y", "card.tsx"), 'import type { Db } from "../../lib/db/client";\nimport { load } from "@/lib/server/load";\n');
    assert.deepEqual(databaseImports(dir).sort(), ["app/(panel)/x/page.tsx imports @/lib/db/client", "components/y/card.tsx imports ../../lib/db/client"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const sourceRoots = ["app", "agent", "bench", "components", "e2e", "lib", "native", "scripts", "types"];
/** Folder names that other projects give their test helpers; here they live in `testing/`. */
const helperFolderNames = /^(test-?support|test-?helpers|test-?utils|__tests__|helpers)$/;

/** Folders under the source roots that hold test helpers under a name other than `testing/`:
 * one named like a test-helper folder, or a `support/` folder that is neither a route of the
 * panel (a page, layout or route handler in it) nor imported by any non-test source. */
function misnamedHelperFolders(root: string): string[] {
  const out: string[] = [];
  for (const top of sourceRoots) {
    const abs = path.join(root, top);
    if (!fs.existsSync(abs)) continue;
    for (const e of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const rel = path.relative(root, path.join(e.parentPath, e.name));
      if (rel.split("/").includes("node_modules")) continue;
      if (helperFolderNames.test(e.name)) out.push(rel);
      else if (e.name === "support") {
        const entries = fs.readdirSync(path.join(root, rel));
        const isRoute = entries.some((f) => /^(page|layout|route)\.tsx?$/.test(f));
        if (!isRoute && importsInto(root, rel, sourceRoots).length === 0) out.push(rel);
      }
    }
  }
  return out.sort();
}

test("test helpers live in folders named testing/ (no test-support/ or support/ of test helpers)", () => {
  assert.deepEqual(misnamedHelperFolders(repo), []);
});

test("the check finds test helpers in test-support/ and support/, and leaves the support staff's pages and loaders", () => {
  const dir = fs.mkdtempSync(path.join(repo, ".vst-boundary-"));
  try {
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write("agent/src/kernel/net/test-support/probe.ts", "export const probe = 1;\n");
    write("e2e/support/browser.ts", "export const browser = 1;\n");
    write("e2e/login.spec.ts", 'import { browser } from "./support/browser";\n');
    write("app/(panel)/support/page.tsx", "export default function Page() { return null; }\n");
    write("lib/server/support/list-processes.ts", "export const list = 1;\n");
    write("app/(panel)/support/processes/page.tsx", 'import { list } from "@/lib/server/support/list-processes";\n');
    write("agent/src/ops/testing/temp-host.ts", "export const host = 1;\n");
    assert.deepEqual(misnamedHelperFolders(dir), ["agent/src/kernel/net/test-support", "e2e/support"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
