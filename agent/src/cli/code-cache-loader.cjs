"use strict";
/* global require, module, __dirname, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: vm.Script code cache */
// Starts the bundled CLI (agent/dist/cli.cjs) through V8's code cache: compiling the
// ~600 KB bundle is most of a cold start, and Node 20 has no compile cache of its own.
// The cache (cli.cjs.v8cache, beside the bundle) is written on the first run and
// whenever V8 rejects it (a new bundle or Node version). Copied to agent/dist by
// scripts/build-agent.ts; the agent/bin/* wrappers run it.
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

// Copied twice: cli-start.cjs runs cli.cjs, cli-read-start.cjs the read-only cli-read.cjs.
const file = path.join(__dirname, path.basename(__filename) === "cli-read-start.cjs" ? "cli-read.cjs" : "cli.cjs");
const cacheFile = `${file}.v8cache`;
const source = fs.readFileSync(file, "utf8");
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  // After the run, so the functions the command compiled lazily are in the cache too.
  process.once("exit", () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A read-only install runs without a cache.
    }
  });
}
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(__dirname);
const requireFn = Module.createRequire(file);
script.runInThisContext()(mod.exports, requireFn, mod, file, __dirname);
