/**
 * The source's archive of one transfer round (issue 16). A whole round (offline move, or
 * the first pre-copy round) is the root as a template export makes it (walked by fds,
 * owners 0-based, xattrs kept); a round of what changed is a delta stream
 * (delta-stream.ts): the paths gone since the previous round, then the entries changed
 * since that round's walk began or new at their path (round-baseline.ts). A stopped
 * server is archived under its lock (it cannot start meanwhile); a running one (`live`)
 * without it — files that change while they are read are sent again by the next round.
 * Every round records what it met as the baseline of the next.
 */
import { closeSync, createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { z } from "zod";
import type { transferConfig } from "@/lib/protocol/migration-operations";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readRestartPolicy } from "../../config/vserver/restart-policy-file";
import { AgentFailure } from "../../errors";
import { ensureMounted } from "../../kernel/disk";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { log } from "../../http/log";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { withServerLock } from "../locks";
import { batched, openArchiveWriter } from "../templates/archive-io";
import { openStoppedRoot, type StoppedRoot } from "../templates/export-vserver";
import { writeTreeTar } from "../templates/write-tree-tar";
import type { WalkedEntry } from "../templates/tree-walk";
import { readTreeXattrs } from "../templates/xattrs";
import { encodeDeltaHead } from "./delta-stream";
import { bodyFileOf } from "./transfer-files";
import { baselineOf, ctimeSlackMs, entryKey, entryPath, setBaseline } from "./round-baseline";

/** What a round holds. */
export interface RoundKind {
  /** The server may be running (a pre-copy round). */
  live: boolean;
  /** Only what changed since the previous round (a delta stream). */
  changedOnly: boolean;
}

/** What a round's archive carried, for the log. */
export interface RoundCounts {
  entries: number;
  bytes: number;
  removed: number;
}

/** The root of a running server, opened (its image is mounted while it runs; mounted here otherwise). */
async function openLiveRoot(paths: HostPaths, name: string): Promise<StoppedRoot> {
  const cfg = readVserverConfig(paths, name);
  if (diskModeOf(paths, name) !== "none") await ensureMounted(name, diskEnvOf(paths));
  const ownerBase = cfg.uidmap?.shifted ? cfg.uidmap.start : 0;
  return { fd: openGuestRoot(cfg.root), root: cfg.root, buildMethod: cfg.buildMethod, distribution: cfg.distribution, ownerBase, idCount: cfg.uidmap?.count ?? 65536 };
}

function configOf(paths: HostPaths, name: string): z.infer<typeof transferConfig> {
  const cfg = readVserverConfig(paths, name);
  return { domainname: cfg.domainname, nameservers: cfg.nameservers, restartPolicy: readRestartPolicy(paths, name), distribution: cfg.distribution, buildMethod: cfg.buildMethod, initArgv: cfg.initArgv, initStyle: cfg.initStyle };
}

/** Writes the tar of `src` (all of it, or what `round` selects) to `file`; records the new baseline. */
async function writeRoundTar(paths: HostPaths, name: string, src: StoppedRoot, file: string, round: RoundKind): Promise<RoundCounts & { removedPaths: Buffer[] }> {
  const prev = round.changedOnly ? baselineOf(paths, name) : null;
  if (round.changedOnly && !prev) throw new AgentFailure("CONFLICT", `no earlier round of ${name} is known here (the agent restarted?); the move starts over`);
  const since = prev ? prev.walkStartMs - ctimeSlackMs : 0;
  const walkStartMs = Date.now();
  const entries = new Set<string>();
  // What a round of changes sends: changed since the previous round's walk began (with the
  // slack), or new at its path.
  const changed = (e: WalkedEntry) => !prev || e.st.ctimeMs >= since || !prev.entries.has(entryKey(e.st.ino, e.rel));
  const writer = openArchiveWriter(file);
  let counts;
  try {
    const out = batched((b) => writer.write(b));
    counts = await writeTreeTar(src.fd, out.write, {
      // Read before the walk (which records the new baseline): `changed` still sees the previous one.
      xattrs: await readTreeXattrs(src.fd, prev ? changed : undefined),
      ...(src.ownerBase ? { idShift: { from: src.ownerBase, to: 0, count: src.idCount } } : {}),
      live: round.live,
      select: (e) => {
        entries.add(entryKey(e.st.ino, e.rel));
        return changed(e);
      },
      onSkip: (rel, why) => log(round.live ? "info" : "warn", "transfer: left out", { name, path: rel.toString("utf8"), why }),
    });
    await out.flush();
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  // Entries of the previous round no longer met as the same inode at the same path: the target removes them first.
  const removedPaths = prev ? [...prev.entries].filter((k) => !entries.has(k)).map(entryPath) : [];
  setBaseline(paths, name, { walkStartMs, entries });
  return { entries: counts.entries, bytes: counts.bytes, removed: removedPaths.length, removedPaths };
}

/**
 * Archives server `name` for `round` into `file` (a transfer staging file); returns the
 * host configuration that travels with it and what it carried.
 */
export async function archiveRound(paths: HostPaths, name: string, file: string, round: RoundKind): Promise<{ config: z.infer<typeof transferConfig>; counts: RoundCounts }> {
  const run = async (src: StoppedRoot) => {
    try {
      if (!round.changedOnly) {
        const { removedPaths: _none, ...counts } = await writeRoundTar(paths, name, src, file, round);
        return { config: configOf(paths, name), counts };
      }
      // The head (the removed paths) is only known after the walk: the tar is written
      // first, then the head, and the file is the head followed by the tar (compressed
      // frames concatenate).
      const tarFile = bodyFileOf(file);
      try {
        const { removedPaths, ...counts } = await writeRoundTar(paths, name, src, tarFile, round);
        const head = openArchiveWriter(file);
        try {
          await head.write(encodeDeltaHead(removedPaths));
          await head.close();
        } catch (e) {
          await head.abort();
          throw e;
        }
        await pipeline(createReadStream(tarFile), createWriteStream(file, { flags: "a" }));
        return { config: configOf(paths, name), counts };
      } finally {
        fs.rmSync(tarFile, { force: true });
      }
    } finally {
      closeSync(src.fd);
    }
  };
  if (round.live) return run(await openLiveRoot(paths, name));
  return withServerLock(paths, name, async () => run(await openStoppedRoot(paths, name, "a server moves to another host while stopped")));
}
