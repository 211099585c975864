/**
 * The vserver name on its own, without node:net (names.ts needs it for addresses), so the
 * browser's messages (realtime.ts → usage.ts) can use it.
 */
import { z } from "zod";

/** A vserver name: lower-case letters, digits and dashes, starting with a letter, at most 31 characters. */
export const vserverName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "must be 1–31 lower-case letters, digits or dashes, starting with a letter");
