/**
 * Reads of the kernel's small text files (/proc, cgroupfs), many per second: one buffer
 * for all of them, because readFileSync allocates 64 KiB per call for a file that reports
 * size 0, and with hundreds of processes or groups that garbage was most of the work.
 */
import fs from "node:fs";

/** The buffer itself, for readers that keep their fds open (the cgroup sampler); synchronous
 * reads only, so no two reads share it at once. */
export const smallFileBuffer = Buffer.allocUnsafe(64 * 1024);
const buffer = smallFileBuffer;

/** The whole file as latin1 text, or null when it cannot be opened or read (a process or
 * group gone, no controller). A file larger than the buffer is cut there (`"cut"`: a
 * group with thousands of devices, the rest ignored) or read whole the slow way
 * (`"whole"`: a huge command line). */
export function readSmallFile(file: string, longer: "cut" | "whole" = "cut"): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length === buffer.length && longer === "whole") return fs.readFileSync(file, "latin1");
    return buffer.toString("latin1", 0, length);
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
