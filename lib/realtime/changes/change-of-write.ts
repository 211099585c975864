/**
 * Which live-update change a database write is: the models whose rows the live views
 * show (Job, JobLogLine, VServer) and the row it touched when the write names it; a
 * bulk write of many rows is a change of "any" row of its kind.
 */
import type { Change } from "./change-bus";

const writes = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"]);

const kindOf: Record<string, Change["kind"]> = { Job: "job", JobLogLine: "job", VServer: "server" };

function idOf(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** The changes a write of `operation` on `model` with `args` (and its `result`) makes; none for reads and other models. */
export function changesOfWrite(model: string | undefined, operation: string, args: unknown, result: unknown): Change[] {
  const kind = model ? kindOf[model] : undefined;
  if (!kind || !writes.has(operation)) return [];
  const a = (args ?? {}) as { where?: { id?: unknown }; data?: unknown };
  if (model === "JobLogLine") {
    const rows = Array.isArray(a.data) ? a.data : [a.data];
    const ids = new Set(rows.map((r) => idOf((r as { jobId?: unknown } | undefined)?.jobId)));
    return [...ids].map((id) => ({ kind, id }));
  }
  const id = idOf(a.where?.id) ?? (operation === "create" ? idOf((result as { id?: unknown } | null)?.id) : null);
  return [{ kind, id }];
}
