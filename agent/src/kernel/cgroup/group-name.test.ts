import { test } from "node:test";
import assert from "node:assert/strict";
import { AgentFailure } from "../../errors";
import { checkGroupName, resolveParent } from "./group-name";

const bad = (field: string) => (error: unknown) =>
  error instanceof AgentFailure && error.code === "BAD_REQUEST" && error.field === field;

test("util-vserver names are accepted", () => {
  for (const name of ["web1", "shop.example.com", "a", "db_2-old", "x".repeat(64)]) {
    assert.equal(checkGroupName(name), name);
  }
});

test("names that could escape or clash are refused", () => {
  for (const name of ["", "..", ".x", "-x", "a/b", "a b", "x".repeat(65), "cgroup.procs", "memory.max", "cpu", "tasks", "io.max", "ümlaut"]) {
    assert.throws(() => checkGroupName(name), bad("name"), name);
  }
});

test("parent: option, then VSERVER_CGROUP_PARENT, then vservers", () => {
  assert.equal(resolveParent(undefined, {}), "vservers");
  assert.equal(resolveParent(undefined, { VSERVER_CGROUP_PARENT: "vst-abc" }), "vst-abc");
  assert.equal(resolveParent("hosting/vservers", { VSERVER_CGROUP_PARENT: "vst-abc" }), "hosting/vservers");
  assert.throws(() => resolveParent("../etc", {}), bad("parent"));
  assert.throws(() => resolveParent("/abs", {}), bad("parent"));
});
