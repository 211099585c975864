/**
 * `npm start`: after scripts/bootstrap.mjs installed what was missing, this generates
 * the Prisma clients if the schema changed, migrates the database, seeds the first
 * admin once, builds the bundle when stale, starts the local agent and the panel, and
 * prints every URL it answers at (scripts/start/reachable-urls) and the login. An agent
 * that ends unasked is started again (scripts/start/supervise-agent). Ctrl-C stops panel
 * and agent; vservers keep running.
 */
import path from "node:path";
import { generateClients } from "./db/generate";
import { buildIfStale } from "./start/build-if-stale";
import { startAgent } from "./start/agent-process";
import { superviseAgent } from "./start/supervise-agent";
import { stopLeftoverAgent } from "./start/leftover-agent";
import { reachableUrls } from "./start/reachable-urls";

const root = path.resolve(import.meta.dirname, "..");
Object.assign(process.env, { NODE_ENV: "production" });
process.env.NEXT_TELEMETRY_DISABLED = "1";

if (generateClients()) console.log("generated the Prisma clients");

// Imported after generation: these modules load the generated client.
const { panelSecret, panelPort } = await import("@/lib/env");
const { databaseTarget } = await import("@/lib/db/url");
const { migrate } = await import("@/lib/db/migrate");
const { createDb } = await import("@/lib/db/client");
const { seedFirstAdmin } = await import("@/lib/server/setup/seed-first-admin");
const { registerLocalHost } = await import("@/lib/server/setup/register-local-host");
const { agentStateDir, defaultSocketPath, hostPaths } = await import("@/agent/src/config/paths");
const { credentialFiles } = await import("@/agent/src/auth/credential");

const secret = panelSecret({ create: true });
process.env.NEXTAUTH_SECRET ??= secret;
const port = panelPort();
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;

buildIfStale(root);

const target = databaseTarget();
const migration = await migrate(target);
console.log(`database (${target.provider}): ${migration.applied.length ? `applied ${migration.applied.length} migration(s)` : "up to date"}`);

const db = createDb(target);
const seed = await seedFirstAdmin(db);
const loginLines = seed.created
  ? [
      `  First admin: ${seed.email}`,
      seed.generated ? `  Password:    ${seed.password}   (shown once; change it after login)` : "  Password:    the one in ADMIN_PASSWORD",
    ]
  : [`  Admin login: ${seed.email} (password unchanged)`];
// Printed at once too: if a later step fails, the generated password is not lost.
if (seed.created) console.log(loginLines.join("\n"));

const paths = hostPaths();
const socketPath = defaultSocketPath(paths);
const { startPanelServer } = await import("../server");
// Agent and panel start side by side; the local host row only needs the agent's token.
await stopLeftoverAgent(socketPath, (line) => console.log(line));
const reach = { endpoint: `unix:${socketPath}`, credentialFile: credentialFiles(agentStateDir(paths)).token };
const [firstAgent, server] = await Promise.all([startAgent(root, process.env, reach), startPanelServer({ dev: false, port })]);
await registerLocalHost(db, firstAgent.endpoint, firstAgent.token);
await db.$disconnect();

const bound = server.address();
const urls = reachableUrls(typeof bound === "object" && bound ? bound.address : "0.0.0.0", port);
const configured = process.env.NEXTAUTH_URL.replace(/\/$/, "");
console.log("");
console.log("  VServer Panel is running at:");
for (const url of urls) console.log(`    ${url}`);
if (!urls.includes(configured)) console.log(`    ${configured}   (NEXTAUTH_URL)`);
for (const line of loginLines) console.log(line);
console.log("  Press Ctrl-C to stop the panel and the agent (running vservers keep running).");
console.log("");

let stopping = false;
// Restarted when it ends unasked (as systemd's Restart=always does in production): the
// panel stays up and running servers keep running.
let agent = firstAgent;
superviseAgent(firstAgent, {
  start: () => startAgent(root, process.env, reach),
  started: (child) => {
    agent = child;
  },
  stopping: () => stopping,
});

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping panel and agent…`);
  server.close();
  server.closeAllConnections();
  await agent.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
