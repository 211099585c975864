/**
 * Tests on the multi-host bed with a panel database of their own: a fresh SQLite file
 * (migrated), an admin, and `count` enrolled bed hosts; `stop` removes all of it, also
 * after a failed test.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { Actor } from "@/lib/server/actor";
import { startMultiHostBed, type MultiHostBed } from "./multi-host-bed";

/** The database, its admin and the bed. */
export interface BedPanel {
  db: Db;
  admin: Actor;
  bed: MultiHostBed;
  stop(): Promise<void>;
}

/** Starts it; `tag` names the temp directory and the admin. */
export async function startBedPanel(tag: string, count: number): Promise<BedPanel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vst-${tag}-db-`));
  process.env.NEXTAUTH_SECRET = `${tag}-`.padEnd(48, "s");
  process.env.DATABASE_URL = `file:${path.join(dir, "panel.db")}`;
  await migrate(databaseTarget());
  const db = createDb();
  let bed: MultiHostBed | undefined;
  const stop = async () => {
    await bed?.stop();
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const a = await db.user.create({ data: { email: `${tag}-admin@bed.test`, role: "ADMIN", passwordHash: "x" } });
    const admin: Actor = { userId: a.id, role: "ADMIN", via: "cli", ip: null, userAgent: null };
    bed = await startMultiHostBed(db, admin, count);
    return { db, admin, bed, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
