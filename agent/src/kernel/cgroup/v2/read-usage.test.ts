/** v2 usage parsing against files as a 6.x kernel writes them (fixtures/v2). */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fsp from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nodeCgroupIo } from "../cgroup-io";
import { parseFlatKeyed } from "../parse-files";
import { makeFakeTree } from "../testing/fake-tree";
import { readV2Usage } from "./read-usage";

const fixtures = fileURLToPath(new URL("../fixtures/v2", import.meta.url));
const tree = await makeFakeTree({}, () => ({}));
after(() => tree.dispose());

test("usage from a populated group with every controller", async () => {
  for (const name of await fsp.readdir(fixtures)) {
    await tree.put(name, await fsp.readFile(path.join(fixtures, name), "utf8"));
  }
  const usage = await readV2Usage(nodeCgroupIo, tree.root, 12);
  assert.deepEqual(usage, {
    cpu: {
      usageUsec: 8473629105,
      userUsec: 6219385110,
      systemUsec: 2254243995,
      throttling: { periods: 412395, throttledPeriods: 18231, throttledUsec: 930485112 },
    },
    memory: { currentBytes: 1834426368, peakBytes: 2013265920, swapBytes: 33554432, oomKills: 3 },
    tasks: 37,
    processes: 12,
    io: {
      readBytes: 1784516608 + 2269184,
      writeBytes: 9338793984,
      devices: [
        { device: "259:0", readBytes: 1784516608, writeBytes: 9338793984 },
        { device: "8:0", readBytes: 2269184, writeBytes: 0 },
      ],
    },
  });
});

test("a group without controllers (a hybrid host's cgroup2 mount) still has CPU time", async () => {
  const bare = await makeFakeTree({ "cpu.stat": "usage_usec 5120\nuser_usec 4096\nsystem_usec 1024\nnice_usec 0\n" }, () => ({}));
  try {
    assert.deepEqual(await readV2Usage(nodeCgroupIo, bare.root, 1), {
      cpu: { usageUsec: 5120, userUsec: 4096, systemUsec: 1024, throttling: null },
      memory: null,
      tasks: null,
      processes: 1,
      io: null,
    });
  } finally {
    await bare.dispose();
  }
});

test("memory.stat parses as flat keyed numbers", async () => {
  const text = await fsp.readFile(path.join(fixtures, "memory.stat"), "utf8");
  const stat = parseFlatKeyed(text);
  assert.equal(stat.get("anon"), 398196736);
  assert.equal(stat.get("file"), 1262096384);
  assert.equal(stat.size, text.trim().split("\n").length); // no line dropped
});
