/**
 * The database client's write hook: after every write of a job, its log or a server,
 * the change goes on the process's bus (see change-bus.ts), so live views learn of it
 * without asking the database. A write inside a transaction is told before its commit;
 * the hub therefore reads a changed row again shortly after (its settle read).
 */
import { publishChange } from "./change-bus";
import { changesOfWrite } from "./change-of-write";

/** The part of a Prisma client the hook needs. */
interface Extendable {
  $extends(extension: unknown): unknown;
}

/** Returns the client with the hook (same model API; the caller keeps its client type). */
export function withChangeHook<C extends Extendable>(client: C): C {
  return client.$extends({
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }: { model?: string; operation: string; args: unknown; query: (a: unknown) => Promise<unknown> }) {
          const result = await query(args);
          for (const change of changesOfWrite(model, operation, args, result)) publishChange(change);
          return result;
        },
      },
    },
  }) as C;
}
