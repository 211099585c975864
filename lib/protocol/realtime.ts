/**
 * The socket.io messages between browser and panel: one event name (`msg`) carrying a
 * discriminated union by `type`, parsed on arrival on both sides — never an event
 * string plus loose arguments.
 */
import { z } from "zod";
import { serverSample } from "./usage";

/** The socket.io event that carries every message. */
export const realtimeEvent = "msg";

/** Messages the browser sends. */
export const clientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("job.watch"), jobId: z.string().max(64), sinceSeq: z.number().int().nonnegative().default(0) }),
  z.object({ type: z.literal("job.unwatch"), jobId: z.string().max(64) }),
  z.object({ type: z.literal("server.watch"), serverId: z.string().max(64) }),
  z.object({ type: z.literal("server.unwatch"), serverId: z.string().max(64) }),
  /** A list page's servers (ids the user may not see are ignored, never answered). */
  z.object({ type: z.literal("servers.watch"), serverIds: z.array(z.string().max(64)).max(200) }),
  /** `ref` is the browser's name for the console it asks for; the answer carries it back. */
  z.object({ type: z.literal("console.open"), ref: z.string().regex(/^[\w-]{1,64}$/), ticket: z.string().max(2000), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }),
  z.object({ type: z.literal("console.input"), sessionId: z.string().max(64), data: z.string().max(65536) }),
  z.object({ type: z.literal("console.resize"), sessionId: z.string().max(64), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }),
  z.object({ type: z.literal("console.close"), sessionId: z.string().max(64) }),
  /** The live tail of a server's usage graphs (a sample every interval while watched). */
  z.object({ type: z.literal("usage.watch"), serverId: z.string().max(64) }),
  z.object({ type: z.literal("usage.unwatch"), serverId: z.string().max(64) }),
]);

/** Parsed form of {@link clientMessage}. */
export type ClientMessage = z.infer<typeof clientMessage>;

/** Where a job is (the database's JobState; one list for the socket and the REST API). */
export const jobState = z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]);

/** A job as the browser sees it. */
export const jobSnapshot = z.object({
  id: z.string(),
  type: z.string(),
  state: jobState,
  progress: z.number(),
  error: z.string().nullable(),
  vserverId: z.string().nullable(),
});

/** Parsed form of {@link jobSnapshot}. */
export type JobSnapshot = z.infer<typeof jobSnapshot>;

/**
 * Why a console closed: the agent's reasons (lib/protocol/console), `lost` when the
 * panel lost the host's agent, `refused` when it was never opened (ticket, permission,
 * server state), `revoked` when the panel ended an open one because its user may no
 * longer have it (a support grant ran out or was revoked, consent withdrawn, the server
 * suspended or moved out of the user's reach).
 */
export const consoleClosedReason = z.enum(["exited", "idle", "closed", "failed", "lost", "refused", "revoked"]);

/** One of {@link consoleClosedReason}. */
export type ConsoleClosedReason = z.infer<typeof consoleClosedReason>;

/**
 * A server's status as pages show it: the state its host last reported (or the one a job
 * has it in) with when the host said so, what was decided, and whether the host can be
 * reached now — so no page shows a guess as the truth.
 */
export const serverStatus = z.object({
  state: z.string(),
  suspended: z.boolean(),
  lastError: z.string().nullable(),
  desiredState: z.enum(["RUNNING", "STOPPED"]),
  /** When the host last reported the state (ISO); null when it never did. */
  observedAt: z.string().nullable(),
  /** What the reconciler found and could not correct. */
  driftNote: z.string().nullable(),
  hostOnline: z.boolean(),
  /** When the host last answered (ISO). */
  hostSeenAt: z.string().nullable(),
  /** Until when it runs its rescue system (ISO); null: not in rescue. */
  rescueUntil: z.string().nullable().default(null),
});

/** Parsed form of {@link serverStatus}. */
export type ServerStatus = z.infer<typeof serverStatus>;

/** Messages the panel sends. */
export const serverMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("job.update"), job: jobSnapshot, lines: z.array(z.object({ seq: z.number().int(), text: z.string(), stream: z.string() })) }),
  /** A watched server's status changed; null: the server no longer exists. */
  z.object({ type: z.literal("server.state"), serverId: z.string(), status: serverStatus.nullable() }),
  z.object({ type: z.literal("console.opened"), ref: z.string(), sessionId: z.string(), hostname: z.string(), idleMinutes: z.number() }),
  z.object({ type: z.literal("console.output"), sessionId: z.string(), data: z.string() }),
  /** A console ended or was never opened (no sessionId then); `message` is for the person. */
  z.object({ type: z.literal("console.closed"), ref: z.string(), sessionId: z.string().optional(), reason: consoleClosedReason, message: z.string() }),
  z.object({ type: z.literal("error"), message: z.string(), about: z.string().optional() }),
  /** A watched server's latest usage sample (null: it does not run). */
  z.object({ type: z.literal("usage.sample"), serverId: z.string(), sample: serverSample.nullable() }),
]);

/** Parsed form of {@link serverMessage}. */
export type ServerMessage = z.infer<typeof serverMessage>;
