import { test } from "node:test";
import assert from "node:assert/strict";
import { AgentFailure } from "../../errors";
import { formatSize, parseCount, parseCpuFraction, parseRate, parseSize } from "./index";

const badField = (field: string) => (error: unknown) =>
  error instanceof AgentFailure && error.code === "BAD_REQUEST" && error.field === field;

test("sizes use binary multiples and accept B/iB suffixes", () => {
  assert.equal(parseSize("4096", "memory"), 4096);
  assert.equal(parseSize("256M", "memory"), 256 * 1024 * 1024);
  assert.equal(parseSize("256MiB", "memory"), 256 * 1024 * 1024);
  assert.equal(parseSize("1.5g", "memory"), 1.5 * 1024 ** 3);
  assert.equal(parseSize("2 GB", "memory"), 2 * 1024 ** 3);
  assert.equal(parseSize("unlimited", "memory"), null);
  assert.equal(parseSize("max", "memory"), null);
});

test("bad sizes name the field", () => {
  for (const text of ["-1M", "", "12Q", "1e3", "abc", "0x10"]) {
    assert.throws(() => parseSize(text, "swap"), badField("swap"), text);
  }
  assert.throws(() => parseSize("99999999P", "swap"), badField("swap"));
});

test("rates accept /s", () => {
  assert.equal(parseRate("20M/s", "io.writeBps"), 20 * 1024 * 1024);
  assert.equal(parseRate("20M", "io.writeBps"), 20 * 1024 * 1024);
});

test("formatSize round-trips exact multiples", () => {
  assert.equal(formatSize(256 * 1024 * 1024), "256M");
  assert.equal(formatSize(1536), "1536");
  assert.equal(formatSize(null), "unlimited");
  assert.equal(parseSize(formatSize(3 * 1024 ** 4)!, "x"), 3 * 1024 ** 4);
});

test("cpu fractions and percentages", () => {
  assert.equal(parseCpuFraction("0.5", "cpuQuota"), 0.5);
  assert.equal(parseCpuFraction("150%", "cpuQuota"), 1.5);
  assert.equal(parseCpuFraction("unlimited", "cpuQuota"), null);
  assert.throws(() => parseCpuFraction("0", "cpuQuota"), badField("cpuQuota"));
  assert.throws(() => parseCpuFraction("-0.5", "cpuQuota"), badField("cpuQuota"));
});

test("counts are whole numbers", () => {
  assert.equal(parseCount("128", "pids"), 128);
  assert.equal(parseCount("max", "pids"), null);
  assert.throws(() => parseCount("1.5", "pids"), badField("pids"));
  assert.throws(() => parseCount("-3", "pids"), badField("pids"));
});
