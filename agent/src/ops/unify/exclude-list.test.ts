/** vunify's exclude lists: built-in per family, host files, longest rule wins, pruning. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { builtinRules, canPrune, isExcluded, loadRules, parseRules } from "./exclude-list";

describe("vunify exclude lists", () => {
  it("never compares configuration, data and logs; shares package data under /var on Debian", () => {
    const r = builtinRules("debian");
    for (const p of ["/etc/shadow", "/root/.ssh/id_rsa", "/home/u/x", "/var/lib/mysql/ibdata1", "/var/log/syslog", "/var/cache/debconf/passwords.dat", "/tmp/x", "/usr/local/bin/x", "/srv/www/index.html", "/opt/app/bin"]) {
      assert.equal(isExcluded(r, p), true, p);
    }
    for (const p of ["/usr/bin/perl", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/var/lib/dpkg/info/bash.list", "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "/var/cache/debconf/templates.dat", "/var/cache/apt/pkgcache.bin", "/bin/ls", "/etcetera"]) {
      assert.equal(isExcluded(r, p), false, p);
    }
    assert.equal(isExcluded(builtinRules("rpm"), "/var/lib/apt/lists/x"), true);
    assert.equal(isExcluded(builtinRules("rpm"), "/var/cache/dnf/x"), false);
  });

  it("prunes only directories with nothing included below", () => {
    const r = builtinRules("debian");
    assert.equal(canPrune(r, "/etc"), true);
    assert.equal(canPrune(r, "/var"), false);
    assert.equal(canPrune(r, "/var/lib"), false);
    assert.equal(canPrune(r, "/var/log"), true);
    assert.equal(canPrune(r, "/usr"), false);
  });

  it("reads util-vserver's syntax; host files replace the built-in list", () => {
    const r = parseRules(["# comment", "/etc/", "-/opt", "+/etc/ssl/certs/", "relative/ignored", ""], "test");
    assert.deepEqual(r.rules, [{ path: "/etc", include: false }, { path: "/opt", include: false }, { path: "/etc/ssl/certs", include: true }]);
    assert.equal(isExcluded(r, "/etc/ssl/certs/ca.pem"), false);
    assert.equal(isExcluded(r, "/etc/ssl/private/key.pem"), true);
    const confDir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-unify-"));
    try {
      const paths = { confDir, rootDir: "/x", runDir: "/y" };
      assert.match(loadRules(paths, "bookworm", "debian").source, /built-in \(debian\)/);
      fs.mkdirSync(path.join(confDir, ".defaults/apps/vunify"), { recursive: true });
      fs.writeFileSync(path.join(confDir, ".defaults/apps/vunify/exclude"), "/etc\n");
      assert.equal(isExcluded(loadRules(paths, "bookworm", "debian"), "/var/log/x"), false);
      fs.mkdirSync(path.join(confDir, ".distributions/bookworm"), { recursive: true });
      fs.writeFileSync(path.join(confDir, ".distributions/bookworm/vunify-exclude"), "/usr/share/doc\n");
      const d = loadRules(paths, "bookworm", "debian");
      assert.equal(d.source, path.join(confDir, ".distributions/bookworm/vunify-exclude"));
      assert.equal(isExcluded(d, "/usr/share/doc/x"), true);
      assert.equal(isExcluded(d, "/etc/passwd"), false);
    } finally {
      fs.rmSync(confDir, { recursive: true, force: true });
    }
  });
});
