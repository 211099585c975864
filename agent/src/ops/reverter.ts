/**
 * The ops layer's reverter is the agent's one undo stack (agent/src/reverter.ts, shared
 * with kernel/, which may not import ops/); this name stays so ops code imports it from
 * its own layer as CONVENTIONS.md says.
 */
export { Reverter, withReverter } from "../reverter";
