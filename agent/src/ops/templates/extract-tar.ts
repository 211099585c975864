/**
 * Unpacks a tar stream into a new root through {@link TreeBuilder}: every member is
 * created beneath the root's fd without following any symlink (also not ones the
 * archive itself made), ".." members are refused by the parser, device nodes and FIFOs
 * are made with mknod and never opened, hard links are linked beneath the root.
 */
import { AgentFailure } from "../../errors";
import type { TarHeader } from "./tar-format";
import { TarParser } from "./tar-parser";
import { TreeBuilder, type BuildCounts, type EntryMeta } from "./tree-builder";
import { shiftId, shiftXattrMap, type IdShift } from "../userns/id-shift";

/** Options of {@link extractTar}. */
export interface ExtractOptions {
  onSkip?: (name: Buffer, why: string) => void;
  /** Called every ~64 MiB with the bytes written so far. */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Owners (and the ids in capabilities and ACLs) moved as they are written: into the range of a copy whose ids are shifted on disk. */
  idShift?: IdShift;
}

/** Extracts `chunks` (tar bytes) under `rootFd`; returns what was made. */
export async function extractTar(chunks: AsyncIterable<Buffer>, rootFd: number, opts: ExtractOptions = {}): Promise<BuildCounts> {
  const shift = opts.idShift;
  // Ids outside the range stay as they are (as fit-root.ts leaves them).
  const metaOf = (h: TarHeader): EntryMeta =>
    shift
      ? { mode: h.mode, uid: shiftId(h.uid, shift) ?? h.uid, gid: shiftId(h.gid, shift) ?? h.gid, mtime: h.mtime, xattrs: h.xattrs?.size ? shiftXattrMap(h.xattrs, shift) : h.xattrs }
      : { mode: h.mode, uid: h.uid, gid: h.gid, mtime: h.mtime, xattrs: h.xattrs };
  const b = new TreeBuilder(rootFd);
  let file: ReturnType<TreeBuilder["openFile"]> | undefined;
  let fileMeta: EntryMeta | undefined;
  let reported = 0;
  const parser = new TarParser({
    entry(h) {
      const where = h.path.toString("latin1") || ".";
      try {
        switch (h.type) {
          case "dir":
            return b.mkdir(h.path, metaOf(h));
          case "file":
            if (h.path.length === 0) throw new Error("a file member names the root");
            file = b.openFile(h.path);
            fileMeta = metaOf(h);
            return;
          case "hardlink":
            return b.hardlink(h.path, h.linkname);
          case "symlink":
            return b.symlink(h.path, h.linkname, metaOf(h));
          case "char":
          case "block":
          case "fifo":
            return b.node(h.path, h.type, metaOf(h), h.devmajor, h.devminor);
        }
      } catch (e) {
        throw new AgentFailure("BAD_REQUEST", `template member "${where}": ${(e as Error).message}`, "source", { cause: e });
      }
    },
    data(chunk) {
      file!.write(chunk);
      if (b.counts.bytes - reported >= 64 << 20) {
        reported = b.counts.bytes;
        opts.onBytes?.(b.counts.bytes);
      }
    },
    end() {
      file!.close(fileMeta!);
      file = undefined;
    },
    skip: opts.onSkip,
  });
  try {
    for await (const chunk of chunks) {
      if (opts.signal?.aborted) throw new AgentFailure("INTERNAL", "interrupted");
      try {
        parser.push(chunk as Buffer);
      } catch (e) {
        if (e instanceof AgentFailure) throw e;
        throw new AgentFailure("BAD_REQUEST", `template: ${(e as Error).message}`, "source", { cause: e });
      }
      if (parser.done) break;
    }
    try {
      parser.finish();
    } catch (e) {
      throw new AgentFailure("BAD_REQUEST", `template: ${(e as Error).message}`, "source", { cause: e });
    }
    b.finish();
    return b.counts;
  } catch (e) {
    if (file) {
      try {
        file.close(fileMeta!);
      } catch {
        /* the tree is removed by the caller */
      }
    }
    b.abort();
    throw e;
  }
}
