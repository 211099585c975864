/**
 * Usage of a server image: statfs(2) of the mounted root (what the guest's `df` shows),
 * or the superblock (dumpe2fs -h) of an unmounted image, computed the same way.
 */
import { statfsSync } from "node:fs";
import { AgentFailure } from "../../../errors";
import { runTool } from "../../run-tool";
import type { DiskUsage } from "../types";

/** Usage from statfs of a mounted image's root (the caller checked it is ours). */
export function mountedUsage(root: string, bytesLimit: number): DiskUsage {
  const s = statfsSync(root);
  return {
    mode: "loop",
    bytesUsed: (s.blocks - s.bfree) * s.bsize,
    bytesLimit,
    bytesAvailable: s.bavail * s.bsize,
    inodesUsed: s.files - s.ffree,
    inodesLimit: s.files,
    mounted: true,
  };
}

/** The superblock fields we use, from `dumpe2fs -h`. */
export interface Ext4Super {
  blockCount: number;
  freeBlocks: number;
  blockSize: number;
  inodeCount: number;
  freeInodes: number;
  /** Metadata blocks statfs leaves out of f_blocks (0 when mke2fs did not record it). */
  overhead: number;
}

/** Parses `dumpe2fs -h` output. */
export function parseDumpe2fs(text: string): Ext4Super {
  const field = (label: string, optional = false): number => {
    const m = new RegExp(`^${label}:\\s+(\\d+)`, "m").exec(text);
    if (!m) {
      if (optional) return 0;
      throw new AgentFailure("KERNEL", `dumpe2fs: no "${label}" in its output`);
    }
    return Number(m[1]);
  };
  return {
    blockCount: field("Block count"),
    freeBlocks: field("Free blocks"),
    blockSize: field("Block size"),
    inodeCount: field("Inode count"),
    freeInodes: field("Free inodes"),
    overhead: field("Overhead clusters", true),
  };
}

/** Reads the superblock of an unmounted image. */
export async function readExt4Super(image: string): Promise<Ext4Super> {
  return parseDumpe2fs((await runTool("dumpe2fs", ["-h", image])).stdout);
}

/**
 * Usage of an unmounted image, as statfs would report it once mounted: f_blocks leaves
 * out the metadata overhead, and ext4 keeps min(2%, 4096) blocks back from everyone
 * (s_resv_clusters) even with no root reserve.
 */
export function superUsage(sb: Ext4Super, bytesLimit: number): DiskUsage {
  const blocks = sb.blockCount - sb.overhead;
  const held = Math.min(Math.floor(sb.blockCount / 50), 4096);
  return {
    mode: "loop",
    bytesUsed: (blocks - sb.freeBlocks) * sb.blockSize,
    bytesLimit,
    bytesAvailable: Math.max(0, sb.freeBlocks - held) * sb.blockSize,
    inodesUsed: sb.inodeCount - sb.freeInodes,
    inodesLimit: sb.inodeCount,
    mounted: false,
  };
}
