/** One e-mail through the admin's SMTP server (nodemailer), bounded in time. */
import nodemailer from "nodemailer";
import type { MailSettings } from "./mail-settings";

/** A message to send. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends `mail`; throws with the server's reason on failure. */
export async function sendEmail(settings: MailSettings, mail: Mail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject.replace(/[\r\n]+/g, " "), text: mail.text });
  } finally {
    transport.close();
  }
}
