/**
 * The panel calls the race tests make, by name with plain-data arguments, so the same
 * call runs in this process or in another panel instance (panel-instance.ts). Results
 * are plain data too: a value, or the AppError's code and field.
 */
import type { Db } from "@/lib/db/client";
import { authorizeCredentials } from "@/lib/auth/authorize-credentials";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { verifySecondFactor } from "@/lib/server/two-factor/verify-second-factor";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { setServerLimits } from "@/lib/server/vservers/set-server-limits";

/** One call. `after`: start only once the throttle key has counted this many attempts. */
export type PanelCall = (
  | { op: "createServer"; actor: Actor; input: unknown }
  | { op: "setServerLimits"; actor: Actor; serverId: string; input: unknown }
  | { op: "authorizeCredentials"; input: unknown; ip: string | null }
  | { op: "verifySecondFactor"; userId: string; code: string; ip: string | null }
) & { after?: { key: string; attempts: number } };

/** What a call came to. */
export type CallResult = { ok: true; value: unknown } | { ok: false; code: string; field?: string; message: string };

async function waitForAttempts(db: Db, key: string, attempts: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const row = await db.loginThrottle.findUnique({ where: { key } });
    if (row && row.failures >= attempts) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${key} never counted ${attempts} attempts`);
}

async function dispatch(db: Db, call: PanelCall): Promise<unknown> {
  switch (call.op) {
    case "createServer":
      return createServer(db, call.actor, call.input);
    case "setServerLimits":
      return setServerLimits(db, call.actor, call.serverId, call.input);
    case "authorizeCredentials":
      return authorizeCredentials(db, call.input, call.ip);
    case "verifySecondFactor": {
      const user = await db.user.findUniqueOrThrow({ where: { id: call.userId } });
      return verifySecondFactor(db, user, call.code, call.ip);
    }
  }
}

/** Makes one call; never throws (errors become results). */
export async function runPanelCall(db: Db, call: PanelCall): Promise<CallResult> {
  try {
    if (call.after) await waitForAttempts(db, call.after.key, call.after.attempts);
    return { ok: true, value: JSON.parse(JSON.stringify((await dispatch(db, call)) ?? null)) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code, field: error.field, message: error.message };
    return { ok: false, code: "THREW", message: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
}
