"use server";
/**
 * The signed-out password actions: ask for a reset link, set a password through a link.
 * They take no session (there is none); each answers without saying whether an account
 * exists.
 */
import { headers } from "next/headers";
import type { ActionResult } from "@/lib/actions/action-result";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { redeemPasswordToken } from "@/lib/server/passwords/password-links";
import { requestPasswordReset } from "@/lib/server/passwords/request-password-reset";

/** Asks for a reset link (the same answer for every address). */
export async function requestResetAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  const { answer } = await requestPasswordReset(db(), form.get("email"), clientIpFrom(await headers()));
  return { ok: true, data: null, message: answer };
}

/** Sets the password through the link `token`. */
export async function resetWithLinkAction(token: string, _prev: unknown, form: FormData): Promise<ActionResult<null>> {
  try {
    await redeemPasswordToken(db(), token, form.get("password"));
    return { ok: true, data: null, message: "Your password is set. Sign in with it." };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: error.message, field: error.field === "token" ? undefined : "password" };
    console.error("password link failed", error);
    return { ok: false, message: "Something went wrong on the server. Try again." };
  }
}
