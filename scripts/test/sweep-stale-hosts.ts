/**
 * Removes the temp hosts of killed test runs (agent/src/ops/testing/stale-temp-hosts.ts)
 * with everything they hold: running servers, networks, mounts, loop devices, cgroups.
 * `npm test` runs it before the root and browser phases. With paths as arguments it
 * sweeps those temp hosts instead (for one made before hosts recorded their owner).
 */
import { cleanupTempHost } from "@/agent/src/ops/testing/temp-host";
import { staleTempHosts } from "@/agent/src/ops/testing/stale-temp-hosts";

const given = process.argv.slice(2);
const notHosts = given.filter((b) => !/^\/tmp\/vst-[^/]+$/.test(b));
if (notHosts.length) {
  console.error(`sweep-stale-hosts: only /tmp/vst-* temp hosts can be swept, not ${notHosts.join(", ")}`);
  process.exit(2);
}
const bases = given.length ? given : staleTempHosts();
for (const base of bases) {
  console.log(`sweeping the temp host of a killed test run: ${base}`);
  await cleanupTempHost(base);
}
