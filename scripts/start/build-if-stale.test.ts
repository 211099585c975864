import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { bundleInputHash } from "./build-if-stale";

/** A repository with a panel file that imports agent code, which imports more. */
function tree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "vst-build-hash-"));
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  put("lib/net/cidr.ts", 'import { parse } from "@/agent/src/kernel/ip-text";\nexport const x = parse;\n');
  put("app/page.tsx", 'import { x } from "../lib/net/cidr";\nexport default x;\n');
  put("agent/src/kernel/ip-text.ts", 'export { parse } from "./parse.js";\n');
  put("agent/src/kernel/parse.ts", "export const parse = 1;\n");
  put("agent/src/kernel/unrelated.ts", "export const y = 2;\n");
  put("lib/net/cidr.test.ts", 'import "@/agent/src/kernel/unrelated";\n');
  return root;
}

test("the bundle's freshness hash covers the agent files the panel imports, through other files too, and nothing else of agent/", () => {
  const root = tree();
  try {
    const first = bundleInputHash(root);
    assert.equal(bundleInputHash(root), first, "the same tree hashes the same");
    // Imported directly by a panel file, and through that file (a ".js" specifier of a ".ts" file).
    for (const rel of ["agent/src/kernel/ip-text.ts", "agent/src/kernel/parse.ts"]) {
      const before = bundleInputHash(root);
      fs.appendFileSync(path.join(root, rel), "// changed\n");
      assert.notEqual(bundleInputHash(root), before, `a change of ${rel} makes the bundle stale`);
    }
    // Not imported by the panel (only by a test, which is not bundled).
    const before = bundleInputHash(root);
    fs.appendFileSync(path.join(root, "agent/src/kernel/unrelated.ts"), "// changed\n");
    assert.equal(bundleInputHash(root), before);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
