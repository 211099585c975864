/**
 * A second (third, …) panel instance for race tests: a separate Node process with its
 * own database client and connection (pool), as another panel process against the same
 * database would have. It gets its calls over IPC, connects, says "ready", waits for
 * "go" (so every instance starts at once), makes all its calls concurrently and sends
 * back the results.
 */
import { createDb } from "@/lib/db/client";
import { runPanelCall, type PanelCall } from "./panel-calls";

type Message = { type: "calls"; calls: PanelCall[] } | { type: "go" };

const db = createDb();
let calls: PanelCall[] = [];

process.on("message", (raw) => {
  const msg = raw as Message;
  if (msg.type === "calls") {
    calls = msg.calls;
    // One query first, so connecting is not part of the race.
    void db.user.count().then(() => process.send!({ type: "ready" }));
  } else if (msg.type === "go") {
    void Promise.all(calls.map((c) => runPanelCall(db, c))).then(async (results) => {
      await db.$disconnect();
      process.send!({ type: "results", results }, () => process.disconnect());
    });
  }
});
