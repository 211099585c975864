/**
 * cgroupfs access with synchronous calls, for the start and stop paths. cgroupfs files
 * are kernel state, never disk I/O, so a sync call returns in microseconds; the async
 * default (nodeCgroupIo) pays a thread-pool round trip per file, and a start touches
 * ~60 files across the v1 hierarchies. Same semantics and errors as nodeCgroupIo.
 */
import fs from "node:fs";
import { errnoOf, kernelFailure, type CgroupIo } from "../../kernel/cgroup/cgroup-io";

const writeFlags = fs.constants.O_WRONLY | fs.constants.O_TRUNC;

/** The real cgroupfs, synchronously. */
export const syncCgroupIo: CgroupIo = {
  async read(path) {
    try {
      return fs.readFileSync(path, "utf8");
    } catch (error) {
      throw kernelFailure("read", path, error);
    }
  },
  async write(path, value) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, writeFlags);
      fs.writeSync(fd, value);
    } catch (error) {
      throw kernelFailure(`write "${value}" to`, path, error);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
  async mkdir(path) {
    try {
      fs.mkdirSync(path);
    } catch (error) {
      if (errnoOf(error) !== "EEXIST") throw kernelFailure("mkdir", path, error);
    }
  },
  async rmdir(path) {
    try {
      fs.rmdirSync(path);
    } catch (error) {
      if (errnoOf(error) !== "ENOENT") throw kernelFailure("rmdir", path, error);
    }
  },
  async subdirs(path) {
    try {
      return fs.readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (error) {
      if (errnoOf(error) === "ENOENT") return [];
      throw kernelFailure("list", path, error);
    }
  },
  async exists(path) {
    return fs.existsSync(path);
  },
};
