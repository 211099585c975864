import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { checkCtx, checkMac, ctxFromName, guestMac, hostLinkName, ifbName, linkLocalFromMac, tableName } from "./naming";

describe("naming", () => {
  it("derives names that fit IFNAMSIZ and parse back", () => {
    for (const ctx of [2, 49151, 65535]) {
      assert.ok(hostLinkName(ctx).length <= 15);
      assert.equal(ctxFromName(hostLinkName(ctx), "link"), ctx);
      assert.equal(ctxFromName(ifbName(ctx), "ifb"), ctx);
      assert.equal(ctxFromName(tableName(ctx), "table"), ctx);
    }
    assert.equal(ctxFromName("vsh012", "link"), null);
    assert.equal(ctxFromName("vsh1", "link"), null);
    assert.equal(ctxFromName("vsh70000", "link"), null);
    assert.equal(ctxFromName("vsh12", "ifb"), null);
    assert.equal(ctxFromName("vsi12", "link"), null);
  });

  it("validates ctx", () => {
    for (const bad of [0, 1, 65536, 2.5, "12", null]) assert.throws(() => checkCtx(bad), AgentFailure);
  });

  it("makes unicast, locally administered MACs unique per ctx on a host", () => {
    const a = guestMac(12, "host-a");
    assert.match(a, /^02(:[0-9a-f]{2}){5}$/);
    assert.notEqual(a, guestMac(13, "host-a"));
    assert.notEqual(a, guestMac(12, "host-b"));
    assert.equal(a, guestMac(12, "host-a"));
    assert.ok(a.endsWith(":00:0c"));
  });

  it("derives the EUI-64 link-local the kernel would", () => {
    assert.equal(linkLocalFromMac("02:fc:00:00:00:01"), "fe80::fc:ff:fe00:1");
    assert.equal(linkLocalFromMac("52:54:00:12:34:56"), "fe80::5054:ff:fe12:3456");
  });

  it("checks caller-given MACs", () => {
    assert.equal(checkMac("02:AB:00:00:00:01", "mac"), "02:ab:00:00:00:01");
    for (const bad of ["01:00:5e:00:00:01", "00:00:00:00:00:00", "02:ab:00:00:00", "zz:00:00:00:00:00"]) {
      assert.throws(() => checkMac(bad, "mac"), (e: unknown) => e instanceof AgentFailure && e.field === "mac", bad);
    }
  });
});
