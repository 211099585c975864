import { test } from "node:test";
import assert from "node:assert/strict";
import { toNativeRule } from "./device-filter";
import { checkDeviceRules, defaultDeviceRules, formatDeviceRule } from "./device-policy";

test("the default policy in devices.allow syntax", () => {
  assert.deepEqual(defaultDeviceRules.map(formatDeviceRule), [
    "c *:* m",
    "b *:* m",
    "c 1:3 rwm",
    "c 1:5 rwm",
    "c 1:7 rwm",
    "c 1:8 rwm",
    "c 1:9 rwm",
    "c 5:0 rwm",
    "c 5:1 rwm",
    "c 5:2 rwm",
    "c 136:* rwm",
  ]);
  assert.equal(checkDeviceRules(defaultDeviceRules), null);
});

test("no block device is readable or writable by default", () => {
  for (const rule of defaultDeviceRules) {
    if (rule.type !== "c") assert.equal(rule.access, "m", formatDeviceRule(rule));
  }
});

test("native encoding follows include/uapi/linux/bpf.h", () => {
  assert.deepEqual(toNativeRule({ type: "b", major: 7, minor: 0, access: "rw" }), { type: 1, major: 7, minor: 0, access: 6 });
  assert.deepEqual(toNativeRule({ type: "a", major: null, minor: null, access: "rwm" }), { type: 0, major: -1, minor: -1, access: 7 });
});

test("malformed rules are named", () => {
  assert.match(checkDeviceRules([{ type: "c", major: 1, minor: 3, access: "rr" }]) ?? "", /devices\[0\]\.access/);
  assert.match(checkDeviceRules([{ type: "c", major: -1, minor: 3, access: "r" }]) ?? "", /devices\[0\]\.major/);
  assert.match(checkDeviceRules([{ type: "x" as "c", major: 1, minor: 3, access: "r" }]) ?? "", /devices\[0\]\.type/);
});
