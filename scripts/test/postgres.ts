/**
 * A real PostgreSQL server for the database tests: Debian's cluster is started if it
 * is not running (and stopped again afterwards), a fresh database and role are made
 * for this run and dropped at the end.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] }).toString();
}

function psql(sql: string): void {
  sh("runuser", ["-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
}

/** A test database on the local cluster. */
export interface TestPostgres {
  url: string;
  /** Drops the database and role and stops the cluster if this run started it. */
  stop(): void;
}

function clusterLine(): string | undefined {
  return sh("pg_lsclusters", ["--no-header"]).split("\n").find((l) => l.trim());
}

/** Starts (if needed) the local cluster and creates a fresh database. */
export function startTestPostgres(): TestPostgres {
  let line = clusterLine();
  if (!line) {
    sh("pg_createcluster", ["15", "main"]);
    line = clusterLine();
  }
  const [version, name, port, status] = (line ?? "").trim().split(/\s+/);
  if (!version || !name) throw new Error("no PostgreSQL cluster found (apt-get install postgresql)");
  const startedHere = status !== "online";
  if (startedHere) sh("pg_ctlcluster", [version, name, "start"]);
  const id = `vsp_test_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  const password = crypto.randomBytes(18).toString("base64url");
  psql(`CREATE ROLE ${id} LOGIN PASSWORD '${password}'`);
  psql(`CREATE DATABASE ${id} OWNER ${id}`);
  return {
    url: `postgresql://${id}:${password}@127.0.0.1:${port}/${id}`,
    stop() {
      try {
        psql(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
        psql(`DROP ROLE IF EXISTS ${id}`);
      } finally {
        if (startedHere) sh("pg_ctlcluster", [version, name, "stop"]);
      }
    },
  };
}

/** Creates one more fresh database on the same cluster (owned by the test role). */
export function createExtraDatabase(baseUrl: string, suffix: string): { url: string; drop(): void } {
  const url = new URL(baseUrl);
  const owner = decodeURIComponent(url.username);
  const name = `${owner}_${suffix}`;
  psql(`CREATE DATABASE ${name} OWNER ${owner}`);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
