/**
 * The target side of a round of changes (pre-copy, issue 16): this host's stopped copy
 * of the server — built by an earlier whole round — is brought up to date. The round is
 * pulled like any transfer (pull-transfer.ts), and read as untrusted input: the paths
 * gone on the source are removed beneath the root by fds (nothing followed, nothing
 * outside touched; a path whose parent is no longer a directory was gone with it), then
 * the changed entries are written by the same extraction as a template (extract-tar.ts),
 * their ids moved into this copy's range when its ownership is shifted on disk. Under
 * the server's lock, so it cannot start meanwhile. A failure leaves the copy half
 * updated: the panel's move then removes it (the source still has the server).
 */
import { formatBytes } from "@/lib/format";
import { closeSync } from "node:fs";
import { restartPolicy } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { configExists } from "../../config/vserver/read-config";
import { writeRestartPolicy } from "../../config/vserver/restart-policy-file";
import { AgentFailure } from "../../errors";
import { constants as C, isNativeError, openat2 } from "@/native";
import { BENEATH } from "../../kernel/guestfs/guest-path";
import { removeGuestEntryAt } from "../../kernel/guestfs/remove-guest-tree";
import { withServerLock } from "../locks";
import { openArchiveReader } from "../templates/archive-io";
import { openStoppedRoot } from "../templates/export-vserver";
import { extractTar } from "../templates/extract-tar";
import { readDeltaHead } from "./delta-stream";
import { pullTransfer, type PullRequest } from "./pull-transfer";
import { pullHistory } from "./pull-history";
import { transferFile, withStagedFile } from "./transfer-files";

/** What to bring up to date from where. */
export interface ApplyRoundRequest extends PullRequest {
  name: string;
}

/** What a round changed here. */
export interface RoundApplied {
  /** Bytes of the round's stream (compressed, as it came over the network). */
  bytes: number;
  removed: number;
  files: number;
  dataBytes: number;
}

/** Removes `rel` (and what is below it) beneath `rootFd`; a path already gone is no error. */
function removeBeneath(rootFd: number, rel: Buffer): void {
  const i = rel.lastIndexOf(0x2f);
  const parent = i < 0 ? "." : rel.subarray(0, i);
  const base = i < 0 ? rel : rel.subarray(i + 1);
  let pfd: number;
  try {
    pfd = openat2(rootFd, parent, C.O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW, 0, BENEATH);
  } catch (e) {
    // Gone with its parent, or below what is now a symlink or a file (removed or replaced earlier in this list).
    if (isNativeError(e, "ENOENT") || isNativeError(e, "ENOTDIR") || isNativeError(e, "ELOOP")) return;
    throw e;
  }
  try {
    removeGuestEntryAt(pfd, base);
  } finally {
    closeSync(pfd);
  }
}

/** Sizes in the job log: "512 KiB", "1.5 MiB". */
const size = (n: number) => formatBytes(n);

/** Pulls and applies one round of changes to the stopped copy `req.name`. */
export async function applyRound(paths: HostPaths, req: ApplyRoundRequest): Promise<RoundApplied> {
  if (req.ticket.serverName !== req.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket");
  if (Date.parse(req.ticket.expiresAt) < Date.now()) throw new AgentFailure("CONFLICT", "the transfer ticket has expired", "ticket");
  if (!configExists(paths, req.name)) throw new AgentFailure("NOT_FOUND", `vserver "${req.name}" does not exist on this host (a round of changes needs the copy an earlier round built)`, "name");
  return withServerLock(paths, req.name, async () => {
    const root = await openStoppedRoot(paths, req.name, "a round of changes is written into a stopped copy");
    try {
      const file = transferFile(paths, "in", req.ticket.id, true);
      return await withStagedFile(file, async () => {
        const { config, bytes } = await pullTransfer(req, file, 50);
        const reader = openArchiveReader(file);
        try {
          let head;
          try {
            head = await readDeltaHead(reader.chunks);
          } catch (e) {
            throw new AgentFailure("BAD_REQUEST", `the round's stream: ${(e as Error).message}`, "source", { cause: e });
          }
          for (const rel of head.removed) removeBeneath(root.fd, rel);
          req.progress(60);
          const c = await extractTar(head.tar, root.fd, {
            signal: req.signal,
            ...(root.ownerBase ? { idShift: { from: 0, to: root.ownerBase, count: root.idCount } } : {}),
            onSkip: (name, why) => req.log(`left out ${name.toString("utf8")}: ${why}`),
          });
          reader.stop();
          await reader.done().catch(() => undefined);
          const policy = restartPolicy.safeParse(config.restartPolicy);
          if (policy.success) writeRestartPolicy(paths, req.name, policy.data);
          req.log(`applied the round: ${head.removed.length} paths removed, ${c.files} files (${size(c.bytes)}), ${c.dirs} new directories, ${c.symlinks} symlinks written`);
          await pullHistory(paths, req, req.name);
          return { bytes, removed: head.removed.length, files: c.files, dataBytes: c.bytes };
        } catch (e) {
          reader.stop();
          await reader.done().catch(() => undefined);
          throw e;
        }
      });
    } finally {
      closeSync(root.fd);
    }
  });
}
