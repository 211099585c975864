/**
 * A guest tree is hostile before its start too. Through the product (CLI, agent API) on
 * busybox servers, with a host canary tree (testing/canary.ts) watched throughout:
 *
 * - /proc, /dev, /sys, an fstab bind target, and a directory above one, made symlinks to
 *   host paths: the start refuses (naming the path) and leaves no cgroup, run state or
 *   process, or it starts with the mount inside the root;
 * - every file the host writes (/etc/hostname, /etc/resolv.conf, /etc/shadow,
 *   /root/.ssh/authorized_keys) planted as an absolute or ../-climbing symlink to the
 *   canary, as a FIFO, and /root/.ssh as a link to a host directory: start, vuname,
 *   setRootAccess and reinstall replace them inside the root or refuse; nothing outside
 *   is opened, and no FIFO is.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentError } from "@/lib/agent-client";
import { constants as C, mknodat } from "@/native";
import { ensureGuestSymlink } from "../kernel/guestfs/ensure-guest-symlink";
import { openGuestRoot } from "../kernel/guestfs/open-guest-root";
import { removeGuestTree } from "../kernel/guestfs/remove-guest-tree";
import { cli, guestSh, startAgentDaemon, type TestDaemon } from "../ops/limits/testing/cli-host";
import { hostCgroups } from "../ops/runtime/host-cgroups";
import { readRunState } from "../ops/runtime/run-state";
import { buildBundle, makeTempHost, type TempHost } from "../ops/testing/temp-host";
import { buildAttackProbes } from "./testing/build-attack-probe";
import { makeCanary, type Canary } from "./testing/canary";
import { serverModes } from "./testing/server-modes";

type Plant = { kind: "link"; target: string } | { kind: "fifo" };

/** Replaces `guestPath` in the root with a symlink or a FIFO (through guestfs). */
function plant(root: string, guestPath: string, what: Plant): void {
  const fd = openGuestRoot(root);
  try {
    removeGuestTree(fd, guestPath);
    if (what.kind === "link") ensureGuestSymlink(fd, guestPath, what.target, { mkdirs: true });
    else mknodat(C.AT_FDCWD, path.join(root, guestPath), C.S_IFIFO | 0o644); // parent is a real dir of the test's making
  } finally {
    fs.closeSync(fd);
  }
}

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvstplantedpathsxxxxxxxxxxxxxxxxxxxxxxxxxx test";

for (const mode of serverModes()) {
  describe(`planted paths before a start and before host writes (cgroup v1, CLI and API; ${mode.mode})`, { skip: mode.skip }, () => {
    let host: TempHost;
    let canary: Canary;
    let daemon: TestDaemon | undefined;
    let shared = "";
    const root = (name: string) => path.join(host.paths.rootDir, name);
    const climb = (p: string) => `${"../".repeat(12)}${p.slice(1)}`;

    before(async () => {
      buildBundle();
      host = makeTempHost();
      const probes = buildAttackProbes(host.base);
      canary = makeCanary(host.base, probes.probe);
      shared = path.join(host.base, "shared");
      fs.mkdirSync(shared);
      daemon = await startAgentDaemon(host);
    });
    after(async () => {
      await daemon?.stop();
      await host?.cleanup();
    });

    for (const [target, link] of [
      ["/proc", "CANARY/data"],
      ["/dev", "CANARY"],
      ["/sys", "climb:CANARY/etc"],
      ["/mnt/shared", "CANARY/data"],
      ["/mnt", "CANARY"],
    ] as const) {
      it(`${target} -> ${link}: the start refuses or mounts inside the root`, async () => {
        const name = `m${target.replace(/\W/g, "")}`;
        assert.equal(cli(host, "vserver", [name, "build", "-m", "busybox", ...mode.buildArgs]).code, 0);
        fs.writeFileSync(path.join(host.paths.confDir, name, "fstab"), `${shared} /mnt/shared none bind 0 0\n`);
        const dest = link.replace("CANARY", canary.dir);
        plant(root(name), target, { kind: "link", target: dest.startsWith("climb:") ? climb(dest.slice(6)) : dest });
        await canary.arm();
        const s = cli(host, "vserver", [name, "start"]);
        try {
          if (s.code === 0) {
            const inside = guestSh(host, name, "stat -f -c %T /proc /dev /sys; grep -c ' /mnt/shared ' /proc/self/mountinfo").out.split("\n");
            assert.deepEqual(inside.slice(0, 4), ["proc", "tmpfs", "sysfs", "1"], `started, so its mounts must be its own: ${inside.join(" ")}`);
            assert.equal(cli(host, "vserver", [name, "stop", "--timeout", "0"]).code, 0);
          } else {
            assert.match(s.err, /could not start: open-target failed with (ELOOP|ENOTDIR|ENOENT)/, s.err);
            assert.equal(readRunState(host.paths, name), null);
            assert.equal(await (await hostCgroups()).exists(name), false);
          }
        } finally {
          assert.deepEqual(await canary.disarm(), []);
        }
        canary.assertIntact();
        assert.deepEqual(fs.readdirSync(shared), [], "the shared host directory got nothing");
      });
    }

    it("/etc/hostname, /etc/resolv.conf (links out) and a FIFO: start and vuname replace them inside; the FIFO is never opened", async () => {
      const name = "w";
      assert.equal(cli(host, "vserver", [name, "build", "-m", "busybox", "--nameserver", "192.0.2.53", ...mode.buildArgs]).code, 0);
      plant(root(name), "/etc/hostname", { kind: "link", target: `${canary.dir}/etc/hostname` });
      plant(root(name), "/etc/resolv.conf", { kind: "link", target: climb(`${canary.dir}/etc/resolv.conf`) });
      await canary.arm();
      try {
        assert.equal(cli(host, "vserver", [name, "start"]).code, 0);
        for (const f of ["hostname", "resolv.conf"]) assert.ok(fs.lstatSync(path.join(root(name), "etc", f)).isFile(), f);
        plant(root(name), "/etc/hostname", { kind: "fifo" });
        const fifo = path.join(root(name), "etc/hostname");
        await canary.disarm();
        await canary.arm([fifo]);
        const v = cli(host, "vuname", [name, "--set", "--nodename", "planted"]);
        assert.equal(v.code, 0, v.err);
        assert.equal(fs.readFileSync(path.join(root(name), "etc/hostname"), "utf8"), "planted\n");
      } finally {
        assert.deepEqual((await canary.disarm()).filter((e) => !/^(SELF|ATTRIB|DELETE) /.test(e)), []);
      }
      canary.assertIntact();
    });

    it("/etc/shadow and authorized_keys as links out, /root/.ssh as a link to a host directory, shadow as a FIFO: setRootAccess stays inside or refuses", async () => {
      const name = "w";
      plant(root(name), "/etc/shadow", { kind: "link", target: `${canary.dir}/etc/shadow` });
      plant(root(name), "/root/.ssh", { kind: "link", target: `${canary.dir}/root/.ssh` });
      await canary.arm();
      try {
        // /root/.ssh resolves inside the root, where that path does not exist: refused as CONFLICT.
        await assert.rejects(daemon!.client.setRootAccess({ name, sshKeys: [KEY] }), (e: unknown) => e instanceof AgentError && e.code === "CONFLICT");
        await daemon!.client.setRootAccess({ name, rootPassword: "correct horse battery" });
        assert.ok(fs.lstatSync(path.join(root(name), "etc/shadow")).isFile());
        plant(root(name), "/root/.ssh", { kind: "link", target: climb(`${canary.dir}/root/.ssh`) });
        fs.mkdirSync(path.join(root(name), canary.dir, "root/.ssh"), { recursive: true }); // the guest makes the link resolve in its root
        await daemon!.client.setRootAccess({ name, sshKeys: [KEY] });
        assert.equal(fs.readFileSync(path.join(root(name), canary.dir, "root/.ssh/authorized_keys"), "utf8"), `${KEY}\n`);
      } finally {
        assert.deepEqual(await canary.disarm(), []);
      }
      plant(root(name), "/etc/shadow", { kind: "fifo" });
      const fifo = path.join(root(name), "etc/shadow");
      await canary.arm([fifo]);
      try {
        await daemon!.client.setRootAccess({ name, rootPassword: "correct horse battery" });
        assert.match(fs.readFileSync(path.join(root(name), "etc/shadow"), "utf8"), /^root:\$6\$/);
      } finally {
        assert.deepEqual((await canary.disarm()).filter((e) => !/^(SELF|ATTRIB|DELETE) /.test(e)), []);
      }
      canary.assertIntact();
    });

    it("reinstall with the old shadow and authorized_keys as links to the canary carries nothing of the host over", async () => {
      const name = "w";
      plant(root(name), "/etc/shadow", { kind: "link", target: `${canary.dir}/etc/shadow` });
      plant(root(name), "/root/.ssh", { kind: "link", target: `${canary.dir}/root/.ssh` });
      await canary.arm();
      try {
        const r = cli(host, "vserver", [name, "reinstall", "-m", "busybox"], undefined, 120_000);
        assert.equal(r.code, 0, r.err);
      } finally {
        assert.deepEqual(await canary.disarm(), []);
      }
      canary.assertIntact();
      assert.doesNotMatch(fs.readFileSync(path.join(root(name), "etc/shadow"), "utf8"), new RegExp(canary.token));
      // The absolute link resolves inside the old root, where the case above had the guest
      // make CANARY/root/.ssh: the guest's own key may come over, the host's never.
      const keys = path.join(root(name), "root/.ssh/authorized_keys");
      if (fs.existsSync(keys)) assert.equal(fs.readFileSync(keys, "utf8"), `${KEY}\n`);
      assert.equal(cli(host, "vserver", [name, "stop", "--timeout", "0"]).code, 0);
    });
  });
}
