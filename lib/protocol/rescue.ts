/**
 * Rescue mode on the wire: a server started from the host's rescue root (a busybox
 * system the host keeps as a template) with its own root mounted at `/mnt`, a one-time
 * root password and the account's SSH keys, until the customer ends it, a normal start
 * ends it, or its time runs out (the host ends it itself, also after an agent restart).
 */
import { z } from "zod";
import { vserverName } from "./names";
import { cString, vserverInfo } from "./vservers";

/** The longest rescue the wire accepts (one day); the admin's setting is below it. */
export const MAX_RESCUE_MINUTES = 1440;

/** Input of `startRescue`. */
export const startRescueInput = z
  .object({
    name: vserverName,
    /** The one-time root password of the rescue system (hashed on the host, never kept). */
    rootPassword: cString(256).min(8),
    /** Root's authorized_keys in the rescue system. */
    sshKeys: z.array(z.string().max(16384)).max(32).default([]),
    /** When the host ends the rescue by itself (a normal start follows). */
    minutes: z.number().int().min(1).max(MAX_RESCUE_MINUTES),
    /** How long the running server may take to shut down before it is killed. */
    timeoutSec: z.number().int().min(0).max(600).default(30),
  })
  .strict();

/** Input of `endRescue`. */
export const endRescueInput = z.object({ name: vserverName, timeoutSec: z.number().int().min(0).max(600).default(30) }).strict();

/** The host's record of a rescue: until when, and who started it. */
export const rescueRecord = z.object({
  /** ISO time after which the host ends the rescue. */
  until: z.string(),
  /** Whether the server runs from the rescue root now (false: the record is left from a
   * rescue whose system is no longer running; the next start ends it). */
  running: z.boolean(),
});

/** Parsed form of {@link rescueRecord}. */
export type RescueRecord = z.infer<typeof rescueRecord>;

/** The result of a rescue operation: the server and its rescue record (null: not in rescue). */
export const rescueResult = z.object({ server: vserverInfo, rescue: rescueRecord.nullable() });

/** The rescue operations of the agent API. */
export const rescueOperations = {
  startRescue: {
    summary:
      "Start the server from the host's rescue root with its own root at /mnt, a one-time root password and SSH keys (a running server is shut down first); the host ends the rescue after `minutes` and starts the server normally.",
    input: startRescueInput,
    output: rescueResult,
  },
  endRescue: {
    summary: "End the rescue: stop the rescue system and start the server normally from its own root (idempotent: a server not in rescue is answered as it is).",
    input: endRescueInput,
    output: rescueResult,
  },
  getRescue: {
    summary: "The server's rescue record (null when it is not in rescue).",
    input: z.object({ name: vserverName }).strict(),
    output: rescueResult,
  },
};
