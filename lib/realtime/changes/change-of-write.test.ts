/** Which writes are live-update changes, and the NOTIFY payloads the listener accepts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { changesOfWrite } from "./change-of-write";
import { changeOfPayload } from "./pg-change-listener";

test("a write of a job, its log or a server is a change of that row", () => {
  assert.deepEqual(changesOfWrite("VServer", "update", { where: { id: "s1" }, data: {} }, {}), [{ kind: "server", id: "s1" }]);
  assert.deepEqual(changesOfWrite("Job", "create", { data: {} }, { id: "j1" }), [{ kind: "job", id: "j1" }]);
  assert.deepEqual(changesOfWrite("JobLogLine", "createMany", { data: [{ jobId: "j1" }, { jobId: "j1" }, { jobId: "j2" }] }, {}), [
    { kind: "job", id: "j1" },
    { kind: "job", id: "j2" },
  ]);
});

test("a bulk write is a change of any row of its kind; reads and other models are none", () => {
  assert.deepEqual(changesOfWrite("VServer", "updateMany", { where: { hostId: "h" }, data: {} }, {}), [{ kind: "server", id: null }]);
  assert.deepEqual(changesOfWrite("VServer", "findMany", {}, []), []);
  assert.deepEqual(changesOfWrite("User", "update", { where: { id: "u" } }, {}), []);
});

test("the listener takes job:ID and server:ID payloads and nothing else", () => {
  assert.deepEqual(changeOfPayload("job:abc_1"), { kind: "job", id: "abc_1" });
  assert.deepEqual(changeOfPayload("server:x"), { kind: "server", id: "x" });
  assert.equal(changeOfPayload("user:x"), null);
  assert.equal(changeOfPayload("server:x y"), null);
  assert.equal(changeOfPayload(undefined), null);
});
