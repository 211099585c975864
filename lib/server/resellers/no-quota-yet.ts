import { AppError } from "@/lib/errors";

/**
 * The refusal when a reseller has no quota row: the reseller (and its customers) may have
 * no servers until an admin gives it one. Worded for everyone who meets it — the reseller
 * itself, and an admin building a server for a reseller's customer, who is the one to fix it.
 */
export function noQuotaYet(): AppError {
  return new AppError("QUOTA_EXCEEDED", "this reseller has no quota yet, so it can have no servers: an admin sets one on the reseller's page under Users");
}
