// Times N runs of one command (after W warm-up runs) and prints the samples in ms as
// JSON. Plain JavaScript: it also runs inside `unshare -m` for crun, where the same
// measurement method (spawn, wait for exit) must apply as for every other tool.
//   node spawn-loop.mjs '{"n":30,"warmup":3,"argv":[...],"setup":[[...]],"teardown":[[...]],"umountUnified":true}'
import { spawnSync } from "node:child_process";

const job = JSON.parse(process.argv[2]);
const run = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
// Setup may daemonize (crun run -d, lxc-start -d): a daemon holding our pipe would make
// spawnSync wait forever, so setup and teardown get no pipes at all.
const quiet = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
if (job.umountUnified) quiet(["umount", "/sys/fs/cgroup/unified"]);
for (const argv of job.setup ?? []) {
  const r = quiet(argv);
  if (r.status !== 0) {
    for (const t of job.teardown ?? []) quiet(t);
    process.stdout.write(JSON.stringify({ error: `${argv.join(" ")}: exit ${r.status}` }));
    process.exit(0);
  }
}
const samples = [];
let error;
try {
  for (let i = 0; i < job.warmup + job.n; i++) {
    const t = process.hrtime.bigint();
    const r = run(job.argv);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) {
      error = `${job.argv.join(" ")}: exit ${r.status} ${r.stderr ?? ""}`.trim();
      break;
    }
    if (i >= job.warmup) samples.push(ms);
  }
} finally {
  for (const argv of job.teardown ?? []) quiet(argv);
}
process.stdout.write(JSON.stringify(error ? { error } : { samples }));
