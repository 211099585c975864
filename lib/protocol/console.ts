/**
 * The console stream between panel and agent: one WebSocket per console session at
 * `GET /v1/console?name=…&cols=…&rows=…&idle=…&session=…`, authenticated like every
 * agent call (`Authorization: Bearer <host credential>`). The query is the session's
 * request, checked before the upgrade, so a refusal is an ordinary agent error answer
 * (401, 400, 404 unknown server, 409 stopped server). After the upgrade both sides send
 * JSON text frames typed by the unions below. The endpoint can do nothing but open a
 * login shell in the named vserver, relay bytes, resize and close: there is no command
 * to run and no way to name one.
 */
import { z } from "zod";
import { vserverName } from "./names";

/** Where the agent accepts the upgrade. */
export const consolePath = "/v1/console";

/** Terminal sizes both sides accept (the same bounds as the browser messages). */
export const consoleSizeLimits = { min: 1, max: 1000 } as const;

/** Longest idle time a panel may ask for (a day): the agent refuses more. */
export const consoleMaxIdleSeconds = 86_400;

/** Largest input frame: a big paste is split by the panel, never refused. */
export const consoleMaxInputChars = 65_536;

/** A decimal query value within bounds (query strings carry only text). */
function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,6}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** The query of the upgrade request: which server, the first window size, the idle limit. */
export const consoleOpenQuery = z
  .object({
    name: vserverName,
    cols: queryInt(consoleSizeLimits.min, consoleSizeLimits.max),
    rows: queryInt(consoleSizeLimits.min, consoleSizeLimits.max),
    /** Seconds without input after which the agent ends the shell. */
    idle: queryInt(1, consoleMaxIdleSeconds),
    /** The panel's session id, only to match the agent's log to the panel's record. */
    session: z.string().regex(/^[\w-]{1,64}$/, "must be 1–64 letters, digits, - or _"),
  })
  .strict();

/** Parsed form of {@link consoleOpenQuery}. */
export type ConsoleOpenQuery = z.infer<typeof consoleOpenQuery>;

/** Builds the upgrade path for a request (the inverse of {@link consoleOpenQuery}). */
export function consoleUpgradePath(q: ConsoleOpenQuery): string {
  const params = new URLSearchParams({ name: q.name, cols: String(q.cols), rows: String(q.rows), idle: String(q.idle), session: q.session });
  return `${consolePath}?${params.toString()}`;
}

const size = z.number().int().min(consoleSizeLimits.min).max(consoleSizeLimits.max);

/** Frames the panel sends to the agent. */
export const consolePanelFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().min(1).max(consoleMaxInputChars) }).strict(),
  z.object({ type: z.literal("resize"), cols: size, rows: size }).strict(),
  z.object({ type: z.literal("close") }).strict(),
]);

/** Parsed form of {@link consolePanelFrame}. */
export type ConsolePanelFrame = z.infer<typeof consolePanelFrame>;

/** Why a console ended, as the agent reports it. */
export const consoleEndReason = z.enum([
  /** The shell exited (the user typed `exit`, or it was killed inside the guest). */
  "exited",
  /** No input for the idle limit. */
  "idle",
  /** The panel asked to close, or its connection went away. */
  "closed",
  /** The helper could not enter the server (it stopped meanwhile, or failed). */
  "failed",
]);

/** One of {@link consoleEndReason}. */
export type ConsoleEndReason = z.infer<typeof consoleEndReason>;

/** Frames the agent sends to the panel. */
export const consoleAgentFrame = z.discriminatedUnion("type", [
  /** The shell is starting (sent once, first). */
  z.object({ type: z.literal("ready") }).strict(),
  /** Terminal output, as UTF-8 text (split only on whole characters). */
  z.object({ type: z.literal("output"), data: z.string() }).strict(),
  /** The session is over; the agent closes the socket after this frame. */
  z.object({ type: z.literal("exit"), reason: consoleEndReason, code: z.number().int().nullable(), message: z.string().max(500) }).strict(),
]);

/** Parsed form of {@link consoleAgentFrame}. */
export type ConsoleAgentFrame = z.infer<typeof consoleAgentFrame>;

/** Parses one text frame with a schema; null for anything malformed. */
export function parseConsoleFrame<T extends z.ZodType>(schema: T, text: string): z.infer<T> | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
