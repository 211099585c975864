/**
 * A local RPM repository for tests, made offline with Debian's rpmbuild and createrepo_c
 * (apt-get install rpm createrepo-c): `vst-busybox` (the host's static busybox as
 * /bin/busybox with sh and init links, so a server built from it starts) and
 * `vst-hello` (a script and a README). No dependencies are generated (AutoReqProv: no).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** One package to build. */
interface Pkg {
  name: string;
  /** The host's architecture for binaries (rpmbuild refuses them in noarch). */
  arch?: boolean;
  version: string;
  install: string;
  files: string[];
}

function spec(p: Pkg): string {
  return `Name: ${p.name}\nVersion: ${p.version}\nRelease: 1\nSummary: ${p.name} (test)\nLicense: MIT\n${p.arch ? "" : "BuildArch: noarch\n"}AutoReqProv: no\n%description\ntest package\n%install\n${p.install}\n%files\n${p.files.join("\n")}\n`;
}

/** Builds the packages into `dir/repo` (with repodata); returns the repository directory. */
export function makeLocalRpmRepo(dir: string, helloVersion = "1.0"): string {
  const top = path.join(dir, "rpmbuild");
  const repo = path.join(dir, "repo");
  fs.mkdirSync(path.join(top, "SPECS"), { recursive: true });
  fs.mkdirSync(repo, { recursive: true });
  const pkgs: Pkg[] = [
    {
      name: "vst-busybox",
      version: "1.0",
      arch: true,
      install: [
        "mkdir -p %{buildroot}/bin %{buildroot}/sbin",
        "cp /bin/busybox %{buildroot}/bin/busybox",
        "ln -s busybox %{buildroot}/bin/sh",
        "ln -s ../bin/busybox %{buildroot}/sbin/init",
        "for a in cat ls echo sleep mount hostname sync; do ln -s busybox %{buildroot}/bin/$a; done",
      ].join("\n"),
      files: ["/bin/busybox", "/bin/sh", "/sbin/init", "/bin/cat", "/bin/ls", "/bin/echo", "/bin/sleep", "/bin/mount", "/bin/hostname", "/bin/sync"],
    },
    {
      name: "vst-hello",
      version: helloVersion,
      install: [
        "mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/vst-hello",
        `printf '#!/bin/sh\\necho hello from rpm ${helloVersion}\\n' > %{buildroot}/usr/bin/vst-hello`,
        "chmod 755 %{buildroot}/usr/bin/vst-hello",
        "echo readme > %{buildroot}/usr/share/vst-hello/README",
      ].join("\n"),
      files: ["/usr/bin/vst-hello", "/usr/share/vst-hello/README"],
    },
  ];
  for (const p of pkgs) {
    const file = path.join(top, "SPECS", `${p.name}.spec`);
    fs.writeFileSync(file, spec(p));
    execFileSync("rpmbuild", ["-bb", "--quiet", "--define", `_topdir ${top}`, file], { stdio: "ignore" });
  }
  for (const arch of fs.readdirSync(path.join(top, "RPMS"))) {
    for (const f of fs.readdirSync(path.join(top, "RPMS", arch))) fs.copyFileSync(path.join(top, "RPMS", arch, f), path.join(repo, f));
  }
  execFileSync("createrepo_c", ["-q", repo]);
  return repo;
}
