/**
 * Every host operation that reads, writes or walks inside a guest tree, raced by a guest
 * that exchanges (renameat2 RENAME_EXCHANGE, in tight loops) the names the host uses with
 * symlinks to host canaries (absolute and ../-climbing), directories with such links, and
 * regular files with FIFOs and device nodes, DURING the operation: start (hostname,
 * resolv.conf), vuname, setRootAccess (shadow, authorized_keys), reinstall (carrying the
 * password hash over), template export, vunify's walk, delete's walk and the disk
 * project-id adoption walk. Servers are busybox, built and driven through the product
 * (CLI, agent API) on a reflink XFS (vunify and project ids need it).
 *
 * Each race asserts: the canary tree outside every root saw no open, read, write,
 * attribute change, create, delete or rename (inotify), its bytes, modes, mtimes and
 * xattrs are as made; no FIFO or device node in the guest was opened; the operation
 * ended (within its timeout) either done or refused with a clean error; thousands of
 * exchanges happened meanwhile.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { AgentError } from "@/lib/agent-client";
import { createDiskArea, releaseDiskArea } from "../kernel/disk";
import { FakeQuota } from "../kernel/disk/testing/fake-quota";
import { cli, cliAsync, startAgentDaemon, type Ran, type TestDaemon } from "../ops/limits/testing/cli-host";
import { buildBundle } from "../ops/testing/temp-host";
import { makeReflinkHost, type ReflinkHost } from "../ops/unify/testing/reflink-host";
import { buildAttackProbes, type AttackProbes } from "./testing/build-attack-probe";
import { makeCanary, type Canary } from "./testing/canary";
import { putFiles } from "./testing/guest-hosts";
import { DATA, plantHostileTree, specialsOf, SWAPS } from "./testing/hostile-tree";
import { serverModes } from "./testing/server-modes";
import { swapInGuest, swapOnHost, type Swap, type Swappers } from "./testing/swappers";

const SECONDS = 3;
const MIN_SWAPS = 1000;

/** Canary events that count: anything on the canary; only opens, reads, writes of a guest's specials. */
function breaches(events: string[], canary: Canary): string[] {
  return events.filter((e) => e.split(" ")[1]!.startsWith(canary.dir) || /^(OPEN|ACCESS|MODIFY) /.test(e));
}

/** A clean outcome of a CLI operation: done, or refused with a message (not killed by the timeout). */
function assertEnded(r: Ran, what: string): void {
  assert.notEqual(r.code, -1, `${what} did not end within its timeout`);
  assert.ok(r.code === 0 || r.err.trim().length > 0, `${what} failed without a message (${r.code})`);
}

for (const mode of serverModes()) {
  describe(`host operations raced by a swapping guest (cgroup v1, CLI and API, reflink XFS; ${mode.mode})`, { skip: mode.skip }, () => {
    let host: ReflinkHost;
    let probes: AttackProbes;
    let canary: Canary;
    let daemon: TestDaemon | undefined;
    const root = (name: string) => path.join(host.paths.rootDir, name);
    const build = (name: string, ...args: string[]) => {
      const b = cli(host, "vserver", [name, "build", "-m", "busybox", "--nameserver", "192.0.2.53", ...mode.buildArgs, ...args]);
      assert.equal(b.code, 0, b.err);
    };

    /** Arms the canary, runs the swappers, then `op` until they end; checks everything. */
    async function race(t: { diagnostic(m: string): void }, start: () => Promise<Swappers>, op: () => Promise<void>, specials: string[] = []): Promise<void> {
      await canary.arm(specials);
      let swapped: { swaps: number; out: string } | undefined;
      try {
        const s = await start();
        let runs = 0;
        let ended = false;
        void s.done.then(() => (ended = true));
        do {
          await op();
          runs++;
          await sleep(10); // let the swappers' ends be noticed
        } while (!ended);
        swapped = await s.done;
        t.diagnostic(`${runs} operations during ${swapped.swaps} exchanges`);
      } finally {
        const events = await canary.disarm();
        assert.deepEqual(breaches(events, canary), [], "the canary or a guest's FIFO/device was touched");
      }
      canary.assertIntact();
      assert.ok(swapped.swaps >= MIN_SWAPS, `only ${swapped.swaps} exchanges: ${swapped.out}`);
    }
    const inGuest = (name: string, swaps: readonly Swap[]) => () => swapInGuest(host, name, swaps, SECONDS);
    const onHost = (name: string, swaps: readonly Swap[]) => () => swapOnHost(probes.probe, root(name), swaps, SECONDS);

    before(async () => {
      buildBundle();
      host = makeReflinkHost("1G");
      probes = buildAttackProbes(host.base);
      const canaryParent = path.join(host.mountPoint, "host");
      fs.mkdirSync(canaryParent);
      canary = makeCanary(canaryParent, probes.probe);
      for (const name of ["p", "q"]) build(name);
      plantHostileTree(root("p"), canary.dir);
      putFiles(root("p"), { "/bin/attack-probe": probes.probe });
      // q holds a file with the canary's exact bytes: were p's walk led into the canary,
      // vunify would find a pair to share with the host's file.
      fs.writeFileSync(path.join(host.base, "same.bin"), fs.readFileSync(path.join(canary.dir, "data/same.bin")));
      putFiles(root("q"), { [`${DATA}/same.bin`]: path.join(host.base, "same.bin") });
      for (const name of ["p", "q"]) assert.equal(cli(host, "vserver", [name, "start"]).code, 0);
      daemon = await startAgentDaemon(host);
    });
    after(async () => {
      await daemon?.stop();
      await host?.cleanup();
    });

    it("vuname (live hostname and /etc/hostname) while the guest swaps /etc/hostname, resolv.conf and /etc", async (t) => {
      let i = 0;
      await race(t, inGuest("p", SWAPS.identity), async () => assertEnded(cli(host, "vuname", ["p", "--set", "--nodename", `vst-n${i++}`]), "vuname"));
    });

    it("setRootAccess (shadow, authorized_keys) while the guest swaps them, /etc, /root/.ssh and /root", async (t) => {
      const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvstsecuritysuitekeyxxxxxxxxxxxxxxxxxxxxxx test";
      await race(t, inGuest("p", SWAPS.access), async () => {
        await daemon!.client.setRootAccess({ name: "p", rootPassword: "correct horse battery", sshKeys: [key] }).catch((e: unknown) => {
          // Refused with a clear answer (what is in the way), never an internal error.
          assert.ok(e instanceof AgentError && e.code === "CONFLICT", String(e));
        });
      });
    });

    it("vunify's walk and sharing of two running servers while one swaps its data for links, FIFOs and devices", async (t) => {
      await race(t, inGuest("p", SWAPS.walk), async () => assertEnded(await cliAsync(host, "vunify", ["p", "q"], 60_000), "vunify"), specialsOf(root("p")));
    });

    it("the disk project-id adoption walk of a running server's tree while it swaps its data", async (t) => {
      // The quota layer is the fake one, ioctls included: real tags would make XFS refuse
      // the guest's renames of its untagged links and nodes (EXDEV, README.md), ending the
      // race after the first walk. The walk's opens are real; the real ioctls are in
      // kernel/disk/project-id.root.test.ts.
      const env = { paths: host.paths, quota: new FakeQuota() };
      await race(t, inGuest("p", SWAPS.walk), async () => {
        const area = await createDiskArea("p", { bytes: "256M" }, { env, mode: "project", adoptExisting: true });
        assert.ok(area.adopted && area.adopted.tagged > 0, JSON.stringify(area.adopted));
        await releaseDiskArea("p", { env, running: false });
      }, specialsOf(root("p")));
    });

    it("start (writing /etc/hostname and /etc/resolv.conf) while the stopped tree is swapped under it", async (t) => {
      assert.equal(cli(host, "vserver", ["p", "stop", "--timeout", "0"]).code, 0);
      await race(t, onHost("p", SWAPS.identity), async () => {
        const s = cli(host, "vserver", ["p", "start"], undefined, 60_000);
        assertEnded(s, "start");
        if (s.code === 0) assert.equal(cli(host, "vserver", ["p", "stop", "--timeout", "0"]).code, 0);
      });
    });

    it("template export of a stopped server (tree walk, getfattr) while its data is swapped for links, FIFOs and devices", async (t) => {
      let i = 0;
      const files: string[] = [];
      await race(t, onHost("p", SWAPS.walk), async () => {
        const file = path.join(host.base, `p-${i++}.tar`);
        const r = cli(host, "vserver", ["p", "export", file], undefined, 60_000);
        assertEnded(r, "export");
        if (r.code === 0) files.push(file);
      }, specialsOf(root("p")));
      assert.ok(files.length > 0, "at least one export finished");
      for (const f of files) assert.equal(fs.readFileSync(f).includes(canary.token), false, `${f} holds canary bytes or xattrs`);
    });

    it("reinstall carrying the password hash and keys over, while the old tree's shadow, keys and data are swapped", async (t) => {
      const swaps: Swap[] = [...SWAPS.access, ...SWAPS.walk];
      await race(t, onHost("p", swaps), async () => {
        assertEnded(cli(host, "vserver", ["p", "reinstall", "-m", "busybox", "--no-start"], undefined, 120_000), "reinstall");
      }, specialsOf(root("p")));
      const shadow = fs.readFileSync(path.join(root("p"), "etc/shadow"), "utf8");
      assert.doesNotMatch(shadow, new RegExp(canary.token), "the host canary's hash was carried into the new root");
      const keys = path.join(root("p"), "root/.ssh/authorized_keys");
      if (fs.existsSync(keys)) assert.doesNotMatch(fs.readFileSync(keys, "utf8"), new RegExp(canary.token));
    });

    it("delete's walk of a stopped server's tree while its data, /etc and /root are swapped for links", async (t) => {
      build("d");
      plantHostileTree(root("d"), canary.dir);
      const swaps: Swap[] = [...SWAPS.walk, ["/", "etc", "etc.evil"], ["/", "root", "root.evil"]];
      let deleted = false;
      await race(t, onHost("d", swaps), async () => {
        if (deleted) return;
        const r = cli(host, "vserver", ["d", "delete"], undefined, 60_000);
        assertEnded(r, "delete");
        deleted = r.code === 0;
      }, specialsOf(root("d")));
      if (!deleted) assert.equal(cli(host, "vserver", ["d", "delete"]).code, 0, "a delete after the guest stopped changing works");
      assert.equal(fs.existsSync(root("d")), false);
    });
  });
}
