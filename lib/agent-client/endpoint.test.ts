import { test } from "node:test";
import assert from "node:assert/strict";
import { parseEndpoint } from "./endpoint";

test("unix, loopback http and https endpoints parse", () => {
  assert.deepEqual(parseEndpoint("unix:/run/vservers/agent.sock"), { kind: "unix", socketPath: "/run/vservers/agent.sock" });
  assert.deepEqual(parseEndpoint("unix:///run/x.sock"), { kind: "unix", socketPath: "/run/x.sock" });
  assert.deepEqual(parseEndpoint("http://127.0.0.1:4100"), { kind: "http", host: "127.0.0.1", port: 4100 });
  assert.deepEqual(parseEndpoint("https://host1.example.com:8443"), { kind: "https", host: "host1.example.com", port: 8443 });
});

test("unsafe or malformed endpoints are refused with the reason", () => {
  assert.throws(() => parseEndpoint("http://10.0.0.5:4100"), /only allowed on loopback/);
  assert.throws(() => parseEndpoint("unix:relative.sock"), /absolute/);
  assert.throws(() => parseEndpoint("https://h:1/path"), /path/);
  assert.throws(() => parseEndpoint("ftp://h"), /unsupported/);
  assert.throws(() => parseEndpoint("not a url"), /endpoint must be/);
});
