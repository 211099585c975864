/**
 * A local Debian package repository for tests, offline: `.deb`s made with dpkg-deb and a
 * flat repository (Packages + an unsigned Release) that a guest's apt uses as
 * `deb [trusted=yes] file:/srv/vst-repo ./`, e.g. through a read-only bind mount in the
 * server's fstab.
 */
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Builds `vst-hello` VERSION (a script printing its version) into `repo`. */
export function addHelloDeb(repo: string, version: string): string {
  const work = fs.mkdtempSync(path.join(path.dirname(repo), "deb-"));
  try {
    fs.mkdirSync(path.join(work, "DEBIAN"));
    fs.mkdirSync(path.join(work, "usr/bin"), { recursive: true });
    fs.writeFileSync(path.join(work, "usr/bin/vst-hello"), `#!/bin/sh\necho hello from deb ${version}\n`, { mode: 0o755 });
    fs.chmodSync(path.join(work, "usr/bin/vst-hello"), 0o755);
    fs.writeFileSync(
      path.join(work, "DEBIAN/control"),
      `Package: vst-hello\nVersion: ${version}\nArchitecture: all\nMaintainer: VServer Panel tests <tests@example.test>\nDescription: test package\n prints its version\n`,
    );
    fs.mkdirSync(repo, { recursive: true });
    const deb = path.join(repo, `vst-hello_${version}_all.deb`);
    execFileSync("dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", work, deb], { stdio: "ignore" });
    publish(repo);
    return deb;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function digest(alg: string, data: Buffer): string {
  return crypto.createHash(alg).update(data).digest("hex");
}

/** Writes Packages and Release for every .deb in `repo`. */
export function publish(repo: string): void {
  const stanzas: string[] = [];
  for (const f of fs.readdirSync(repo).filter((n) => n.endsWith(".deb")).sort()) {
    const data = fs.readFileSync(path.join(repo, f));
    const control = execFileSync("dpkg-deb", ["-f", path.join(repo, f)], { encoding: "utf8" }).trimEnd();
    stanzas.push(`${control}\nFilename: ./${f}\nSize: ${data.length}\nMD5sum: ${digest("md5", data)}\nSHA256: ${digest("sha256", data)}\n`);
  }
  const packages = Buffer.from(stanzas.join("\n"));
  fs.writeFileSync(path.join(repo, "Packages"), packages);
  const release = [
    "Origin: vst", "Label: vst", `Date: ${new Date().toUTCString()}`,
    "MD5Sum:", ` ${digest("md5", packages)} ${packages.length} Packages`,
    "SHA256:", ` ${digest("sha256", packages)} ${packages.length} Packages`, "",
  ].join("\n");
  fs.writeFileSync(path.join(repo, "Release"), release);
}
