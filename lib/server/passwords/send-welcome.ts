/**
 * A new account's welcome e-mail with a link to set its own password (valid 7 days), so
 * no password has to be handed over by hand; sent when the admin has set an SMTP server.
 */
import type { Db } from "@/lib/db/client";
import { readMailSettings } from "@/lib/server/events/mail-settings";
import { sendEmail } from "@/lib/server/events/send-email";
import { issuePasswordToken } from "./password-links";

/** Sends the welcome (false when there is no SMTP server); never throws. */
export async function sendWelcome(db: Db, user: { id: string; email: string }): Promise<boolean> {
  try {
    const mail = await readMailSettings(db);
    if (!mail) return false;
    const token = await issuePasswordToken(db, user.id, "WELCOME");
    await sendEmail(mail, {
      to: user.email,
      subject: "[VServer Panel] Your account",
      text: `An account was made for you on ${mail.publicUrl}.\n\nChoose your password here (the link works once, for 7 days):\n${mail.publicUrl}/reset-password/${token}\n\nThen sign in with ${user.email}.\n`,
    });
    return true;
  } catch (error) {
    console.error("welcome e-mail failed", error);
    return false;
  }
}
