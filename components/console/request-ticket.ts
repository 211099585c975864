/** Fetches a console ticket for a server from the panel (see the ticket route). */

/** A ticket, or the reason there is none, fit to show in the terminal. */
export type TicketAnswer = { ok: true; ticket: string } | { ok: false; message: string };

/** Asks `/servers/<id>/console/ticket`; never throws. */
export async function requestConsoleTicket(serverId: string): Promise<TicketAnswer> {
  let res: Response;
  try {
    res = await fetch(`/servers/${encodeURIComponent(serverId)}/console/ticket`, { method: "POST", headers: { "x-vsp-console": "1" }, cache: "no-store", redirect: "manual" });
  } catch {
    return { ok: false, message: "the panel cannot be reached" };
  }
  if (res.type === "opaqueredirect" || res.status === 401) return { ok: false, message: "your session has ended; sign in again" };
  const body = (await res.json().catch(() => null)) as { ticket?: unknown; error?: unknown } | null;
  if (res.ok && typeof body?.ticket === "string") return { ok: true, ticket: body.ticket };
  return { ok: false, message: typeof body?.error === "string" ? body.error : `the panel answered ${res.status}` };
}
