/**
 * Validation of disk limits, with errors naming the field. Sizes arrive as bytes (the
 * edge parses "10G" with parseSize) or as text; both end up here.
 */
import { AgentFailure, badInput } from "../../errors";
import { formatSize, parseCount, parseSize } from "../units";
import type { DiskLimitChange, DiskLimits } from "./types";

/** ext4's block size in our images, and the granularity of every limit. */
export const DISK_BLOCK = 4096;
/** Below this an ext4 image is mostly journal and metadata; also a sane floor for quotas. */
export const MIN_DISK_BYTES = 16 * 1024 * 1024;
/** 1 PiB: beyond any host we know; catches unit mistakes ("10T" meant as "10G"). */
export const MAX_DISK_BYTES = 1024 ** 5;
/** A Debian base system alone has ~10 000 inodes; 1024 still lets a tiny test root work. */
export const MIN_DISK_INODES = 1024;
/** Inode numbers are 32-bit in ext4 and in struct if_dqblk's practical range. */
export const MAX_DISK_INODES = 2 ** 32 - 1;
/** The default when only a size is given: ext4's own default of one inode per 16 KiB. */
export const DEFAULT_BYTES_PER_INODE = 16384;
/** mke2fs refuses fewer bytes per inode than this (its minimum -i). */
export const MIN_BYTES_PER_INODE = 1024;

/** Limits as a caller may give them: numbers of bytes/inodes, or text ("10G", "200000"). */
export interface DiskLimitsInput {
  bytes: number | string;
  /** Defaults to one inode per 16 KiB of space. */
  inodes?: number | string;
}

function bytesOf(value: number | string, field: string): number {
  const n = typeof value === "string" ? parseSize(value, field) : value;
  if (n === null) throw badInput(field, "a disk area needs a size; unlimited is not a disk limit");
  if (!Number.isSafeInteger(n) || n <= 0) throw badInput(field, `must be a positive whole number of bytes, got ${String(value)}`);
  // Round down: a limit never grants more than was asked for.
  const rounded = Math.floor(n / DISK_BLOCK) * DISK_BLOCK;
  if (rounded < MIN_DISK_BYTES) throw badInput(field, `must be at least ${formatSize(MIN_DISK_BYTES)}, got ${formatSize(n)}`);
  if (rounded > MAX_DISK_BYTES) throw badInput(field, `must be at most ${formatSize(MAX_DISK_BYTES)}, got ${formatSize(n)}`);
  return rounded;
}

function inodesOf(value: number | string, field: string): number {
  const n = typeof value === "string" ? parseCount(value, field) : value;
  if (n === null) throw badInput(field, "needs a number; unlimited is not an inode limit");
  if (!Number.isSafeInteger(n) || n <= 0) throw badInput(field, `must be a positive whole number, got ${String(value)}`);
  if (n < MIN_DISK_INODES) throw badInput(field, `must be at least ${MIN_DISK_INODES}, got ${n}`);
  if (n > MAX_DISK_INODES) throw badInput(field, `must be at most ${MAX_DISK_INODES}, got ${n}`);
  return n;
}

/** Validates new limits; `inodes` defaults to one per 16 KiB. Fields are named `bytes`/`inodes`. */
export function validateDiskLimits(input: DiskLimitsInput): DiskLimits {
  if (typeof input !== "object" || input === null) throw badInput("limits", "must be an object with bytes and inodes");
  const bytes = bytesOf(input.bytes, "bytes");
  const inodes =
    input.inodes === undefined ? Math.max(MIN_DISK_INODES, Math.floor(bytes / DEFAULT_BYTES_PER_INODE)) : inodesOf(input.inodes, "inodes");
  return { bytes, inodes };
}

/** Validates a live change; at least one field must be given. */
export function validateDiskLimitChange(input: { bytes?: number | string; inodes?: number | string }): DiskLimitChange {
  if (typeof input !== "object" || input === null) throw badInput("limits", "must be an object");
  if (input.bytes === undefined && input.inodes === undefined) throw badInput("limits", "give bytes, inodes or both");
  const out: DiskLimitChange = {};
  if (input.bytes !== undefined) out.bytes = bytesOf(input.bytes, "bytes");
  if (input.inodes !== undefined) out.inodes = inodesOf(input.inodes, "inodes");
  return out;
}

/** Loop images hold their inode tables inside the limit: mke2fs's densest layout is the bound. */
export function checkLoopInodes(limits: DiskLimits): void {
  const max = Math.floor(limits.bytes / MIN_BYTES_PER_INODE);
  if (limits.inodes > max) {
    throw badInput("inodes", `an image of ${formatSize(limits.bytes)} holds at most ${max} inodes (one per ${MIN_BYTES_PER_INODE} bytes)`);
  }
}

/**
 * Refuses a sparse image (or growth) larger than the host's free space unless the admin
 * allowed overcommit: a full host filesystem under a loop device turns a guest's writes
 * into I/O errors instead of a clean ENOSPC.
 */
export function checkHostSpace(needed: number, hostAvailable: number, where: string, overcommit: boolean): void {
  if (overcommit || needed <= hostAvailable) return;
  throw new AgentFailure(
    "LIMIT_EXCEEDED",
    `bytes: the image needs ${formatSize(needed)} but ${where} has only ${formatSize(hostAvailable)} free (allow overcommit to create it sparse anyway)`,
    "bytes",
  );
}
