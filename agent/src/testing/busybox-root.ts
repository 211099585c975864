/**
 * A minimal busybox guest root for kernel tests (needs Debian's busybox-static, i.e.
 * /bin/busybox). Built through guestfs (fds only), with a copy of the binary (never a
 * hard link: the guest could change the host's file) and applet symlinks like
 * `busybox --install -s`, plus an inittab for busybox init.
 *
 *   const bb = makeBusyboxRoot();          // /tmp/vst-XXXX/{root,run}
 *   ... start bb.root ...
 *   bb.cleanup();                          // unmounts leftovers, removes everything
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureGuestSymlink } from "@/agent/src/kernel/guestfs/ensure-guest-symlink";
import { mkdirGuest } from "@/agent/src/kernel/guestfs/mkdir-guest";
import { openGuestRoot } from "@/agent/src/kernel/guestfs/open-guest-root";
import { removeGuestTree } from "@/agent/src/kernel/guestfs/remove-guest-tree";
import { writeGuestFile } from "@/agent/src/kernel/guestfs/write-guest-file";
import { umountUnder } from "./cleanup";

/** Paths of a built root; `base` holds `root` and `run` and is removed by cleanup. */
export interface BusyboxRoot {
  base: string;
  root: string;
  /** An empty host directory for run-state (the monitor's init-exit.json). */
  runDir: string;
  cleanup(): void;
}

/** The default inittab: no getty (no console), a marker at sysinit, sane shutdown. */
export const DEFAULT_INITTAB = [
  "::sysinit:/bin/touch /tmp/sysinit.done",
  "::ctrlaltdel:/sbin/reboot",
  "::shutdown:/bin/sync",
  "",
].join("\n");

/** Options: a different inittab, or extra files written into the root. */
export interface BusyboxRootOptions {
  inittab?: string;
  files?: Record<string, { data: string | Buffer; mode?: number }>;
}

/** Builds the root in a fresh /tmp/vst-* directory. */
export function makeBusyboxRoot(opts: BusyboxRootOptions = {}): BusyboxRoot {
  const base = mkdtempSync("/tmp/vst-");
  const root = join(base, "root");
  const runDir = join(base, "run");
  mkdirSync(root, { mode: 0o755 });
  mkdirSync(runDir, { mode: 0o700 });
  const fd = openGuestRoot(root);
  try {
    for (const d of ["/bin", "/sbin", "/etc", "/proc", "/sys", "/dev", "/root", "/usr/bin", "/usr/sbin", "/run", "/var"])
      mkdirGuest(fd, d);
    mkdirGuest(fd, "/tmp", { mode: 0o1777 });
    writeGuestFile(fd, "/bin/busybox", readFileSync("/bin/busybox"), { mode: 0o755 });
    const applets = execFileSync("/bin/busybox", ["--list-full"], { encoding: "utf8" }).split("\n");
    for (const a of applets) {
      if (!a || a === "bin/busybox") continue;
      ensureGuestSymlink(fd, "/" + a, "/bin/busybox", { mkdirs: true });
    }
    writeGuestFile(fd, "/etc/inittab", opts.inittab ?? DEFAULT_INITTAB);
    writeGuestFile(fd, "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    writeGuestFile(fd, "/etc/group", "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
    for (const [path, f] of Object.entries(opts.files ?? {}))
      writeGuestFile(fd, path, f.data, { mode: f.mode ?? 0o644, mkdirs: true });
  } finally {
    closeSync(fd);
  }
  return {
    base,
    root,
    runDir,
    cleanup() {
      umountUnder(base);
      try {
        const rfd = openGuestRoot(root);
        try {
          removeGuestTree(rfd, "/");
        } finally {
          closeSync(rfd);
        }
      } catch {
        /* fall through to rmSync */
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
