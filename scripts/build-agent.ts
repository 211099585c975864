/**
 * Bundles the agent's CLI (agent/src/cli/entry.ts → agent/dist/cli.cjs) and daemon
 * (agent/src/main.ts → agent/dist/agent.mjs) with esbuild, so a `vserver NAME exec`
 * starts in tens of milliseconds instead of compiling TypeScript on every call.
 * The native addon and the helper executables are NOT bundled: native/index.ts is
 * rewritten to find them in native/build at run time, relative to the bundle.
 *
 *   npx tsx scripts/build-agent.ts          (scripts/bootstrap.mjs should run this)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";

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

const banner = "// Built by scripts/build-agent.ts from agent/src: do not edit.\n";

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  tsconfig: path.join(root, "tsconfig.json"),
  plugins: [nativeFromSource],
  legalComments: "none",
  logLevel: "warning",
};

/** A CommonJS CLI bundle `NAME.cjs` of `source` (the code-cache loader needs CommonJS);
 * `import.meta.url` becomes the bundle's own file URL. */
function cliBundle(name: string, source: string): BuildOptions {
  return {
    ...common,
    entryPoints: { [name]: path.join(root, source) },
    outdir: outDir,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    define: { "import.meta.url": "__vsBundleUrl" },
    banner: { js: `${banner}const __vsBundleUrl = require("node:url").pathToFileURL(__filename).href;` },
  };
}

/**
 * Builds the daemon (ESM) and the CLI. The CLI is CommonJS so that its loader
 * (agent/src/cli/code-cache-loader.cjs → agent/dist/cli-start.cjs) can compile it
 * with a V8 code cache; `import.meta.url` becomes the bundle's own file URL there.
 */
export async function buildAgent(): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    ...common,
    entryPoints: { agent: path.join(root, "agent/src/main.ts") },
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    format: "esm",
    // CommonJS dependencies (ws, …) call require(); an ES module has none unless given one.
    banner: { js: `${banner}import { createRequire as __vsCreateRequire } from "node:module";\nconst require = __vsCreateRequire(import.meta.url);` },
  });
  await build(cliBundle("cli", "agent/src/cli/entry.ts"));
  // The read-only commands (vps, vserver-stat, status, running) get a bundle of their own
  // that leaves out build, start and network code: most of a CLI start is compiling.
  await build(cliBundle("cli-read", "agent/src/cli/read-entry.ts"));
  fs.copyFileSync(path.join(root, "agent/src/cli/code-cache-loader.cjs"), path.join(outDir, "cli-start.cjs"));
  fs.copyFileSync(path.join(root, "agent/src/cli/code-cache-loader.cjs"), path.join(outDir, "cli-read-start.cjs"));
  // A new bundle invalidates the old code cache (V8 would reject it; no need to try).
  fs.rmSync(path.join(outDir, "cli.cjs.v8cache"), { force: true });
  fs.rmSync(path.join(outDir, "cli-read.cjs.v8cache"), { force: true });
  fs.rmSync(path.join(outDir, "cli.mjs"), { force: true });
  // `TOOL --help` of the read-only tools, pre-rendered: the agent/bin wrappers cat it
  // without starting Node.
  fs.mkdirSync(path.join(outDir, "help"), { recursive: true });
  for (const tool of ["vserver", "vps", "vserver-stat"]) {
    const help = execFileSync(process.execPath, [path.join(outDir, "cli-start.cjs"), tool, "--help"], { encoding: "utf8" });
    fs.writeFileSync(path.join(outDir, "help", `${tool}.txt`), help);
  }
  // Those runs wrote a code cache holding only the help path: the first real command
  // writes a fuller one instead.
  fs.rmSync(path.join(outDir, "cli.cjs.v8cache"), { force: true });
  return ["agent.mjs", "cli.cjs", "cli-start.cjs", "cli-read.cjs", "cli-read-start.cjs", "help"].map((f) => path.join(outDir, f));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const files = await buildAgent();
  console.log(`built ${files.map((f) => path.relative(root, f)).join(", ")} in ${Date.now() - started} ms`);
}
