/**
 * vunify's scan: every server's tree walked by fds (templates/tree-walk.ts: nothing
 * followed, no mount crossed, FIFOs and devices only stat'ed), keeping the regular,
 * non-empty files outside the exclude list with what identifies them (inode, size,
 * mtime). Files are reopened later through the server's root fd, beneath it, and
 * checked against these values, so a file changed in between is skipped.
 */
import { closeSync } from "node:fs";
import { constants as C, fstatat, openat2 } from "@/native";
import { BENEATH } from "../../kernel/guestfs/guest-path";
import { openRegular, walkTree } from "../templates/tree-walk";
import { canPrune, isExcluded, type ExcludeRules } from "./exclude-list";

/** One server being unified. */
export interface ScannedServer {
  name: string;
  /** O_PATH fd of its root (the caller closes it). */
  rootFd: number;
  dev: number;
  rules: ExcludeRules;
  files: number;
  bytes: number;
}

/** A file that may share its data. */
export interface Candidate {
  server: ScannedServer;
  rel: Buffer;
  dev: number;
  ino: bigint;
  size: number;
  mtimeMs: number;
}

/** Walks `s` and appends its candidates. */
export async function scanServer(s: ScannedServer, out: Candidate[], onSkip?: (rel: Buffer, why: string) => void): Promise<void> {
  await walkTree(
    s.rootFd,
    (e) => {
      if (e.st.type !== "file" || e.st.size === 0) return;
      if (isExcluded(s.rules, `/${e.rel.toString("latin1")}`)) return;
      s.files++;
      s.bytes += e.st.size;
      out.push({ server: s, rel: e.rel, dev: e.st.dev, ino: e.st.ino, size: e.st.size, mtimeMs: e.st.mtimeMs });
    },
    { prune: (e) => e.rel.length > 0 && canPrune(s.rules, `/${e.rel.toString("latin1")}`), onSkip },
  );
}

/**
 * Opens a candidate for reading again, beneath its server's root without following
 * anything, or returns null when it is no longer the file the scan saw.
 */
export function reopenCandidate(c: Candidate): number | null {
  const slash = c.rel.lastIndexOf(0x2f);
  const parent = slash < 0 ? "." : c.rel.subarray(0, slash);
  const base = slash < 0 ? c.rel : c.rel.subarray(slash + 1);
  let dirfd: number;
  try {
    dirfd = openat2(c.server.rootFd, parent, C.O_PATH | C.O_DIRECTORY, 0, BENEATH);
  } catch {
    return null;
  }
  try {
    const fd = openRegular(dirfd, base, c.ino);
    if (fd === null) return null;
    const st = fstatat(fd, "", C.AT_EMPTY_PATH);
    if (st.size !== c.size || st.mtimeMs !== c.mtimeMs) {
      closeSync(fd);
      return null;
    }
    return fd;
  } finally {
    closeSync(dirfd);
  }
}
