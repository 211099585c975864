/**
 * THE contract between panel and agent: every agent operation, its input and its
 * result. The agent registers one route per entry (`POST /v1/<name>`, JSON in, JSON
 * out) and the panel's client gets one method per entry, both from this table, so a
 * type is written once. Add an operation here first; the compiler then asks both sides
 * for it.
 */
import { z } from "zod";
import { backupOperations } from "./backup-operations";
import { healthResult } from "./health";
import { migrationOperations } from "./migration-operations";
import { rescueOperations } from "./rescue";
import { usageOperations } from "./usage-operations";
import { vserverOperations } from "./vserver-operations";

/** The shape of one operation. */
export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** What it does, for humans (and the agent's API listing). */
  summary: string;
  input: I;
  output: O;
}

/** An empty input object that rejects unknown fields. */
const noInput = z.object({}).strict();

/** Every agent operation. */
export const operations = {
  health: {
    summary: "Agent and host facts; the panel's liveness probe.",
    input: noInput,
    output: healthResult,
  },
  ...vserverOperations,
  ...usageOperations,
  ...backupOperations,
  ...migrationOperations,
  ...rescueOperations,
} as const satisfies Record<string, OperationDef>;

/** Names of all operations. */
export type OperationName = keyof typeof operations;

/** Input type of an operation (what the caller passes). */
export type OperationInput<N extends OperationName> = z.input<(typeof operations)[N]["input"]>;

/** Result type of an operation (what the caller receives). */
export type OperationOutput<N extends OperationName> = z.output<(typeof operations)[N]["output"]>;

/** The version of this contract; bump when an operation changes incompatibly. */
export const protocolVersion = 1;

/** The HTTP path of an operation. */
export function operationPath(name: OperationName): string {
  return `/v1/${name}`;
}
