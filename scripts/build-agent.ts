/**
 * Bundles the agent's CLI (agent/src/cli/entry.ts → agent/dist/cli.mjs) and daemon
 * (agent/src/main.ts → agent/dist/agent.mjs) with esbuild, so a `vserver NAME exec`
 * starts in tens of milliseconds instead of compiling TypeScript on every call.
 * The native addon and the helper executables are NOT bundled: native/index.ts is
 * rewritten to find them in native/build at run time, relative to the bundle.
 *
 *   npx tsx scripts/build-agent.ts          (scripts/bootstrap.mjs should run this)
 */
import fs from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const outDir = path.join(root, "agent", "dist");
const nativeIndex = path.join(root, "native", "index.ts");

/** native/index.ts locates vsnative.node and the helpers from its own URL: keep that URL
 * pointing at native/ (two levels up from agent/dist) instead of at the bundle. */
const nativeFromSource: Plugin = {
  name: "native-from-source",
  setup(b) {
    b.onLoad({ filter: /native[\\/]index\.ts$/ }, async (args) => {
      if (path.resolve(args.path) !== nativeIndex) return undefined;
      const text = await fs.promises.readFile(args.path, "utf8");
      const rel = path.relative(outDir, nativeIndex).split(path.sep).join("/");
      return {
        contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: "ts",
      };
    });
  },
};

/** Builds both bundles; returns their paths. */
export async function buildAgent(): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const entries = { cli: path.join(root, "agent/src/cli/entry.ts"), agent: path.join(root, "agent/src/main.ts") };
  await build({
    entryPoints: entries,
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(root, "tsconfig.json"),
    plugins: [nativeFromSource],
    // ESM has no require(); native/index.ts makes its own with createRequire.
    banner: { js: "// Built by scripts/build-agent.ts from agent/src: do not edit.\n" },
    legalComments: "none",
    logLevel: "warning",
  });
  return Object.keys(entries).map((k) => path.join(outDir, `${k}.mjs`));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const files = await buildAgent();
  console.log(`built ${files.map((f) => path.relative(root, f)).join(", ")} in ${Date.now() - started} ms`);
}
