#!/usr/bin/env node
// First step of `npm start`, `npm test` and `npm run bench`, in plain JavaScript because
// it runs before node_modules exists: installs npm packages when package-lock.json
// changed (native ones are built: their install scripts are approved in package.json's
// allowScripts), builds the native module when its sources changed, and installs the
// Debian packages the product (with --test, the test suite; with --bench, the
// benchmarks and their peers) needs when they are missing.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const forBench = process.argv.includes("--bench");
const forTests = forBench || process.argv.includes("--test");

function hashFiles(files) {
  const h = crypto.createHash("sha256");
  for (const f of files) {
    h.update(path.relative(root, f));
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0));
  }
  return h.digest("hex");
}

function listFiles(dir, filter) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && filter(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
}

function stampOk(file, hash) {
  return fs.existsSync(file) && fs.readFileSync(file, "utf8") === hash;
}

const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  console.error(`Node ${process.versions.node} is too old: VServer Panel needs Node 20 or newer.`);
  process.exit(1);
}

// 1. Debian packages (only what is missing; apt-get update first, as the mirror may have moved on).
const debs = {
  runtime: ["busybox-static", "iproute2", "nftables", "e2fsprogs", "xfsprogs", "util-linux", "zstd", "openssl", "procps", "debootstrap", "attr", "openssh-client", "rrdtool", "rrdcached", "lxcfs", "restic", "rsync", "criu"],
  // The peers the benchmarks measure against (they also use the tests' tools: Chromium, rpm, dnf).
  bench: ["lxc", "crun"],
  // Every package a test needs is here: the runner counts a test skipped for a missing one as
  // a failure (zbar-tools: the TOTP QR test's real decoder; linux-libc-dev: the syscall
  // numbers the seccomp tests compare against; nginx: the shipped site in front of two
  // panel instances; openssh-server: the SFTP backup target's real sshd; pdns-server with
  // pdns-backend-sqlite3: the reverse-DNS tests' real PowerDNS on loopback, asked with dig).
  tests: ["chromium", "postgresql", "procps", "psmisc", "gcc", "libc6-dev", "linux-libc-dev", "iputils-ping", "iputils-arping", "python3", "rpm", "dnf", "createrepo-c", "zbar-tools", "nginx", "openssh-server", "pdns-server", "pdns-backend-sqlite3", "bind9-dnsutils"],
};
const wanted = [...debs.runtime, ...(forTests ? debs.tests : []), ...(forBench ? debs.bench : [])];
if (process.getuid?.() === 0 && fs.existsSync("/usr/bin/dpkg-query")) {
  const missing = wanted.filter((p) => {
    try {
      return !execFileSync("dpkg-query", ["-W", "-f=${Status}", p], { stdio: ["ignore", "pipe", "ignore"] }).toString().includes("install ok installed");
    } catch {
      return true;
    }
  });
  if (missing.length) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-q"], { env });
    run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env });
  }
} else if (process.getuid?.() !== 0) {
  console.warn("not running as root: skipping Debian package checks (the agent needs root anyway)");
}

// 2. npm packages, when package-lock.json changed since the last install.
// Only what decides the installed tree counts (editing a script in package.json must not
// reinstall everything): the lock file and package.json's dependency and approval fields.
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const lockHash = crypto
  .createHash("sha256")
  .update(fs.readFileSync(path.join(root, "package-lock.json")))
  .update(JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.allowScripts, pkg.overrides]))
  .digest("hex");
const installStamp = path.join(root, "node_modules", ".vsp-install-stamp");
if (!stampOk(installStamp, lockHash)) {
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  fs.writeFileSync(installStamp, lockHash);
}

// 3. The native module (N-API addon and helper executables), when its sources changed.
const nativeDir = path.join(root, "native");
if (fs.existsSync(path.join(nativeDir, "binding.gyp"))) {
  const nativeHash = hashFiles([path.join(nativeDir, "binding.gyp"), ...listFiles(path.join(nativeDir, "src"), () => true)]);
  const nativeStamp = path.join(nativeDir, "build", ".vsp-build-stamp");
  if (!stampOk(nativeStamp, nativeHash)) {
    // Node's headers come with the distribution's Node (no download: this network has none).
    const nodedir = process.env.npm_config_nodedir || (fs.existsSync("/usr/include/node/node_api.h") ? "/usr" : undefined);
    run(path.join(root, "node_modules", ".bin", "node-gyp"), ["rebuild", "--directory", nativeDir, ...(nodedir ? [`--nodedir=${nodedir}`] : [])]);
    fs.writeFileSync(nativeStamp, nativeHash);
  }
}

// 4. The agent's bundles (agent/dist: CLI and daemon), when the code they are made of changed.
//    The CLI wrappers and the guest exit hook prefer the bundle, so a stale one would run old code.
const agentInputs = [
  // .json too: data the bundle inlines (the seccomp syscall table).
  ...listFiles(path.join(root, "agent", "src"), (n) => (n.endsWith(".ts") && !n.endsWith(".test.ts")) || n.endsWith(".json")),
  ...listFiles(path.join(root, "lib"), (n) => n.endsWith(".ts") && !n.endsWith(".test.ts")),
  path.join(root, "native", "index.ts"),
  path.join(root, "scripts", "build-agent.ts"),
  path.join(root, "package-lock.json"),
];
const agentHash = hashFiles(agentInputs);
const agentStamp = path.join(root, "agent", "dist", ".vsp-build-stamp");
if (!stampOk(agentStamp, agentHash) || !fs.existsSync(path.join(root, "agent", "dist", "agent.mjs"))) {
  run(process.execPath, ["--import", "tsx", path.join(root, "scripts", "build-agent.ts")]);
  fs.writeFileSync(agentStamp, agentHash);
}
