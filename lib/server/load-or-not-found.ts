/**
 * A page's read of the one thing its URL names: the loader's NOT_FOUND (which it also gives
 * for a thing the actor may not see, so the two cannot be told apart) becomes the 404 page.
 */
import { notFound } from "next/navigation";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { load } from "./load";

/** {@link load}, with NOT_FOUND shown as the 404 page; other errors pass on. */
export async function loadOrNotFound<A extends unknown[], R>(loader: (db: Db, ...args: A) => Promise<R>, ...args: A): Promise<R> {
  try {
    return await load(loader, ...args);
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
