import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { checkBitRate, formatBitRate, parseBitRate } from "./bit-rate";

describe("bit rates", () => {
  it("reads decimal multiples of bits per second", () => {
    assert.equal(parseBitRate("100M", "r"), 100_000_000);
    assert.equal(parseBitRate("1.5G", "r"), 1_500_000_000);
    assert.equal(parseBitRate("800k", "r"), 800_000);
    assert.equal(parseBitRate("100mbit", "r"), 100_000_000);
    assert.equal(parseBitRate("20Mbps", "r"), 20_000_000);
    assert.equal(parseBitRate("64000", "r"), 64_000);
    assert.equal(parseBitRate("unlimited", "r"), null);
  });

  it("refuses nonsense and out-of-range values with the field", () => {
    for (const bad of ["fast", "-5M", "1000", "999T", "10 MB/s/s"]) {
      assert.throws(() => parseBitRate(bad, "net-rate"), (e: unknown) => e instanceof AgentFailure && e.field === "net-rate", bad);
    }
    assert.throws(() => checkBitRate(1.5e6 + 0.5, "rate.in"), (e: unknown) => e instanceof AgentFailure && e.field === "rate.in");
    assert.throws(() => checkBitRate("100M", "rate.in"), AgentFailure);
    assert.equal(checkBitRate(undefined, "x"), null);
  });

  it("formats what it parses", () => {
    for (const text of ["100M", "1500M", "800k", "10G"]) assert.equal(formatBitRate(parseBitRate(text, "r")), text);
    assert.equal(formatBitRate(null), "unlimited");
  });
});
