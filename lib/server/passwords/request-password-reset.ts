/**
 * "Forgot your password?": the answer is the same whether the address has an account or
 * not, and the e-mail is sent after the answer (so its time does not tell either).
 * Requests are counted per address and per e-mail before anything is looked up: past
 * 5 per address or 3 per e-mail in 15 minutes nothing more is sent (the answer stays
 * the same). This counting is its own (RequestCounter), apart from the login throttle.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { readMailSettings } from "@/lib/server/events/mail-settings";
import { sendEmail } from "@/lib/server/events/send-email";
import { issuePasswordToken } from "./password-links";

const windowMs = 15 * 60_000;
/** Limits per window. */
export const resetLimits = { perAddress: 5, perEmail: 3 };

/** The one answer every request gets. */
export const resetAnswer = "If an account has this address, a link to set a new password is on its way. It works once, for 30 minutes.";

/** Counts one request under `key`; true while within `limit`. */
async function countRequest(db: Db, key: string, limit: number): Promise<boolean> {
  const now = new Date();
  const row = await db.requestCounter.findUnique({ where: { key } });
  if (!row || now.getTime() - row.windowStart.getTime() > windowMs) {
    await db.requestCounter.upsert({ where: { key }, create: { key, count: 1, windowStart: now }, update: { count: 1, windowStart: now } });
    return true;
  }
  const updated = await db.requestCounter.update({ where: { key }, data: { count: { increment: 1 } } });
  return updated.count <= limit;
}

/** Handles a request; returns the answer (always {@link resetAnswer}) and, for tests, the mail's promise. */
export async function requestPasswordReset(db: Db, rawEmail: unknown, ip: string | null): Promise<{ answer: string; sent: Promise<boolean> }> {
  const parsed = z.string().trim().toLowerCase().email().max(320).safeParse(rawEmail);
  const email = parsed.success ? parsed.data : "";
  // Counted first: a flood is cut before it costs a lookup or a mail.
  const byAddress = await countRequest(db, `reset:ip:${ip ?? "unknown"}`, resetLimits.perAddress);
  const byEmail = email ? await countRequest(db, `reset:email:${email}`, resetLimits.perEmail) : false;
  const sent = (async () => {
    if (!email || !byAddress || !byEmail) return false;
    const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, status: true } });
    const mail = await readMailSettings(db);
    if (!user || user.status !== "ACTIVE" || !mail) return false;
    const token = await issuePasswordToken(db, user.id, "RESET");
    await sendEmail(mail, {
      to: user.email,
      subject: "[VServer Panel] Set a new password",
      text: `Someone (we hope you) asked to set a new password for ${user.email}.\n\nThis link works once, for 30 minutes:\n${mail.publicUrl}/reset-password/${token}\n\nIf it was not you, ignore this e-mail: your password stays as it is.\n`,
    });
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "user.password-reset-link", target: { type: "user", id: user.id }, ip });
    return true;
  })().catch((error: unknown) => {
    console.error("password reset e-mail failed", error);
    return false;
  });
  return { answer: resetAnswer, sent };
}
