/**
 * The host's helpers that enter a guest, and the terminals people use, attacked from
 * inside busybox servers built and driven through the product (CLI, agent daemon):
 *
 * - a guest watching /proc while the host runs thousands of commands in it never opens
 *   the entering helper's exe, fds, environ or mem, and never ptraces it (vs-enter's
 *   child is non-dumpable until it execs; its parent and the monitor stay outside the
 *   guest's pid namespace);
 * - a guest that makes the host exec its own binary (`#!/proc/self/exe` as /bin/sh or
 *   /sbin/init, with its own ELF interpreter; or /bin/sh swapped during `exec`): the
 *   helper binary stays unreachable (the helpers run from a sealed memfd copy of
 *   themselves, native/src/helper/sealed_self.c), and the helpers' bytes are unchanged;
 * - TIOCSTI: a guest process pushing characters into its terminal reaches only its own
 *   session (the command runs inside the guest), never the host nor another console,
 *   through `vserver NAME enter` on a node-pty terminal and through the agent's console
 *   endpoint.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { helperPath } from "@/native";
import { execInVserver } from "../kernel/launch/run-in-vserver";
import { cli, cliAsync, guestSh, startAgentDaemon, until, type TestDaemon } from "../ops/limits/testing/cli-host";
import { openEnterTarget } from "../ops/runtime/enter-target";
import { readRunState } from "../ops/runtime/run-state";
import type { TempHost } from "../ops/testing/temp-host";
import { buildAttackProbes, type AttackProbes } from "./testing/build-attack-probe";
import { V1, type GuestHost } from "./testing/guest-hosts";
import { serverModes } from "./testing/server-modes";
import { consoleTerminal, enterTerminal, type Terminal } from "./testing/terminals";

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const HELPERS = ["vs-enter", "vs-start"] as const;

/** Runs `argv` in `name` again and again for `ms` (four at a time, vs-enter as the CLI
 * spawns it, without the CLI's own start-up); returns how many ran. */
async function enterRepeatedly(host: TempHost, name: string, argv: string[], ms: number): Promise<number> {
  const target = openEnterTarget(host.paths, name);
  let runs = 0;
  try {
    const end = Date.now() + ms;
    const loop = async () => {
      while (Date.now() < end) {
        await execInVserver(target.target, { argv }).catch(() => undefined);
        runs++;
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
  } finally {
    target.close();
  }
  return runs;
}

/** "stolen-exe DEV INO LINK" lines the fake interpreter left in the guest. */
function stolen(host: TempHost, name: string): { dev: number; ino: number; link: string }[] {
  const file = path.join(host.paths.rootDir, name, "tmp", "stolen-exe");
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => {
    const [, dev, ino, link] = l.split(" ");
    return { dev: Number(dev), ino: Number(ino), link: link ?? "" };
  });
}

/** Whether any stolen exe is one of the host's helpers. */
function reachedHelpers(host: TempHost, name: string): string[] {
  const ids = HELPERS.map((h) => ({ h, st: fs.statSync(helperPath(h)) }));
  return stolen(host, name).flatMap((s) => ids.filter((i) => i.st.dev === s.dev && i.st.ino === s.ino).map((i) => `${i.h} (${s.link})`));
}

for (const mode of serverModes()) {
  describe(`helpers and terminals (cgroup v1, through the CLI and the agent; ${mode.mode})`, { skip: mode.skip }, () => {
    let gh: GuestHost;
    let host: TempHost;
    let probes: AttackProbes;
    let daemon: TestDaemon | undefined;
    const sums = new Map<string, string>();

    before(async () => {
      for (const h of HELPERS) sums.set(h, sha256(helperPath(h)));
      gh = await V1.open(mode);
      host = gh.temp!;
      probes = buildAttackProbes(gh.scratch);
      await gh.server("w", { "/bin/attack-probe": probes.probe });
      daemon = await startAgentDaemon(host);
    });
    after(async () => {
      await daemon?.stop();
      await gh?.cleanup();
    });

    it("a guest watching /proc while the host runs hundreds of commands in it never reaches the entering helper (exe, fds, environ, mem, ptrace)", async (t) => {
      const watch = cliAsync(host, "vserver", ["w", "exec", "/bin/attack-probe", "watch-helpers", "6"]);
      await sleep(300);
      const runs = await enterRepeatedly(host, "w", ["/bin/true"], 5000);
      const w = await watch;
      const summary = /^summary processes (\d+) exe-denied (\d+) reached (\d+) peeked (\d+) ptraced (\d+) fd-listed (\d+) after-exec (\d+)$/m.exec(w.out);
      t.diagnostic(`${runs} commands entered; watcher: ${summary?.[0] ?? w.out}`);
      assert.ok(summary, w.out + w.err);
      assert.doesNotMatch(w.out, /^(REACHED|PEEKED|PTRACED) /m, w.out);
      assert.ok(Number(summary[1]) >= runs / 2, "the watcher saw the commands come and go");
      // The monitor and vs-enter's relay are outside the guest's pid namespace: not even listed.
      const state = readRunState(host.paths, "w")!;
      const inside = await guestSh(host, "w", `ls /proc | grep -x -e ${state.monitorPid} -e ${process.pid} || echo none`);
      assert.equal(inside.out.trim(), "none");
    });

    it("/bin/sh as `#!/proc/self/exe` with the guest's own ELF interpreter: `vserver NAME exec` never hands it vs-enter", async () => {
      await gh.server("x", { "/bin/attack-probe": probes.probe, "/lib64/ld-linux-x86-64.so.2": probes.fakeInterp });
      const plant = guestSh(host, "x", "rm /bin/sh; printf '#!/proc/self/exe\\n' > /bin/sh; chmod 755 /bin/sh");
      assert.equal(plant.code, 0, plant.err);
      cli(host, "vserver", ["x", "exec", "/bin/sh", "-c", "true"]);
      assert.ok(stolen(host, "x").length > 0, "the guest's interpreter ran: the attack was live");
      assert.deepEqual(reachedHelpers(host, "x"), [], "the guest held an fd of the host's helper binary");
    });

    it("/bin/sh swapped (RENAME_EXCHANGE) with such a script while the host runs commands: vs-enter never reachable", async (t) => {
      // The record of the case before goes only once /bin/sh is plain busybox again, so
      // every record left was made through the swapped-in script.
      const swap = cliAsync(host, "vserver", ["x", "exec", "/bin/busybox", "sh", "-c", "printf '#!/proc/self/exe\\n' > /bin/sh.evil; chmod 755 /bin/sh.evil; rm -f /bin/sh; ln -s busybox /bin/sh; rm -f /tmp/stolen-exe; /bin/attack-probe swap /bin sh sh.evil 4"]);
      await sleep(300);
      const runs = await enterRepeatedly(host, "x", ["/bin/sh", "-c", "true"], 3000);
      const swapped = await swap;
      const ran = stolen(host, "x");
      t.diagnostic(`${runs} commands through a swapping /bin/sh, ${ran.length} of them through the planted script; ${swapped.out.trim().split("\n").pop()}`);
      assert.match(swapped.out, /^swaps [1-9]\d* /m, swapped.out + swapped.err);
      // The control: the host's exec met the planted script and the guest's interpreter
      // was handed what /proc/self/exe named. Without it the race was never won and the
      // check below would pass whatever the helpers do.
      assert.ok(ran.length > 0, `the planted script never ran in ${runs} commands: the attack was not live`);
      assert.deepEqual(reachedHelpers(host, "x"), []);
    });

    it("/sbin/init as `#!/proc/self/exe`, and a guest `reboot` to restart into it: vs-start never reachable", async () => {
      await gh.server("i", { "/lib64/ld-linux-x86-64.so.2": probes.fakeInterp });
      const first = readRunState(host.paths, "i")!.initPid;
      guestSh(host, "i", "printf '#!/proc/self/exe\\n' > /sbin/init.evil; chmod 755 /sbin/init.evil; rm /sbin/init; ln -s init.evil /sbin/init; reboot");
      await until("the restart into the planted init", () => stolen(host, "i").length > 0 || readRunState(host.paths, "i")?.initPid !== first);
      await until("the guest's interpreter to run", () => stolen(host, "i").length > 0);
      assert.deepEqual(reachedHelpers(host, "i"), []);
    });

    it("the helpers' binaries are byte for byte what they were before the attacks", () => {
      for (const h of HELPERS) assert.equal(sha256(helperPath(h)), sums.get(h), h);
    });

    for (const [how, open] of [
      ["`vserver NAME enter` on a host terminal (node-pty)", () => enterTerminal(host, "w")],
      ["the agent's console endpoint", () => consoleTerminal(host, "w")],
    ] as const) {
      it(`TIOCSTI through ${how}: runs only in the guest's own session; another console and the host get nothing`, async () => {
        const terms: Terminal[] = [];
        try {
          const one = await open();
          terms.push(one);
          const two = await open();
          terms.push(two);
          const ttyOf = async (term: Terminal) => /\/dev\/pts\/\d+/.exec(await term.run("tty"))?.[0] ?? "none";
          const [oneTty, twoTty] = [await ttyOf(one), await ttyOf(two)];
          assert.notEqual(oneTty, twoTty);
          const own = `/tmp/vst-tiocsti-${randomBytes(4).toString("hex")}`;
          const other = `/tmp/vst-tiocsti-${randomBytes(4).toString("hex")}`;
          const out = await one.run(`/bin/attack-probe tiocsti 'touch ${own}' ; /bin/attack-probe tiocsti 'touch ${other}' ${twoTty}`);
          assert.match(out, /tiocsti-own ok/, out);
          assert.match(out, new RegExp(`tiocsti ${twoTty} EPERM`), out);
          // The pushed line is read by the guest's shell after the command: it runs inside.
          await until("the injected command to run in the guest", () => fs.existsSync(path.join(host.paths.rootDir, "w", own)));
          await one.run("true");
          await two.run("true");
          for (const f of [own, other]) assert.equal(fs.existsSync(f), false, `${f} appeared on the host`);
          assert.equal(fs.existsSync(path.join(host.paths.rootDir, "w", other)), false, "the other console ran nothing");
          assert.doesNotMatch(two.output(), new RegExp(other.split("/").pop()!), "the other console never saw the text");
        } finally {
          for (const term of terms) await term.close();
        }
      });
    }
  });
}
