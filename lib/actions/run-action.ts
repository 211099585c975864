/**
 * The one wrapper of every server action: resolves the actor from the session, runs
 * the domain function, turns AppErrors into a result naming the field, and hides
 * anything else behind a generic message (logged on the server). Next.js already
 * checks the Origin of server-action posts (CSRF).
 */
import "server-only";
import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/errors";
import { db, type Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { currentActor } from "@/lib/server/auth/current-actor";
import type { ActionResult } from "./action-result";

/**
 * Runs `fn` as the signed-in actor; revalidates `paths` after success. `actor` replaces
 * how the actor is resolved (two-factor enrollment accepts sessions held at enrollment).
 */
export async function runAction<T>(
  fn: (actor: Actor) => Promise<T>,
  options: { revalidate?: string[]; message?: string; actor?: () => Promise<Actor> } = {},
): Promise<ActionResult<T>> {
  try {
    const data = await fn(await (options.actor ?? currentActor)());
    for (const p of options.revalidate ?? []) revalidatePath(p);
    return { ok: true, data, message: options.message };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: error.message, field: error.field };
    console.error("server action failed", error);
    return { ok: false, message: "Something went wrong on the server. Try again, or contact support." };
  }
}

/** An action that runs one domain operation, `op(db, actor, ...args)`, and answers nothing
 * (remove, delete, cancel by id): {@link runAction} without a function of its own each. */
export function runOperation<A extends unknown[]>(op: (db: Db, actor: Actor, ...args: A) => Promise<unknown>, args: A, options: { revalidate?: string[]; message?: string } = {}): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await op(db(), actor, ...args);
    return null;
  }, options);
}

/** Reads a FormData into a plain object: numbers for numeric-looking fields listed in `numbers`, booleans for `checkboxes`. */
export function formObject(form: FormData, options: { numbers?: string[]; checkboxes?: string[]; lists?: string[] } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value !== "string") continue;
    if (options.lists?.includes(key)) {
      out[key] = [...((out[key] as string[] | undefined) ?? []), value];
      continue;
    }
    if (value === "" && !options.checkboxes?.includes(key)) continue;
    out[key] = options.numbers?.includes(key) ? (/^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value) : value;
  }
  for (const key of options.checkboxes ?? []) out[key] = form.get(key) === "on" || form.get(key) === "true";
  return out;
}
