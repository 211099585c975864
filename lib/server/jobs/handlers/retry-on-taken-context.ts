/**
 * The panel numbers contexts per host from its own rows; the host refuses an id that
 * another agent on the machine or a server made outside the panel holds (its host-wide
 * registry, issue 13). A job that makes a server on the host (build, restore as new)
 * then moves the server to the next free id and starts the host's operation again.
 */
import type { JobContext } from "../job-context";
import { freeContextId } from "@/lib/server/vservers/provision/server-name";
import { OperationFailed, refusedContext } from "./follow-operation";
import { loadJobServer } from "./server-row";

/** How many ids a job tries before it gives up with the host's reason. */
const contextTries = 200;

/** The job's server row as handlers load it. */
type JobServer = Awaited<ReturnType<typeof loadJobServer>>;

/** Moves the server to the next id free in the panel; the row's unique (host, context) settles a race with another job. */
async function moveToNextContext(ctx: JobContext, server: JobServer): Promise<void> {
  // Said without the host's reason: it names another tenant's server (follow-operation).
  const why = `context ${server.contextId} is taken on this host`;
  let after = server.contextId;
  for (let i = 0; i < contextTries; i++) {
    const next = await freeContextId(ctx.db, server.hostId, after);
    try {
      await ctx.db.vServer.update({ where: { id: server.id }, data: { contextId: next } });
      await ctx.log(`${why}: trying context ${next}`);
      return;
    } catch (e) {
      // Another job took it between the read and the write: the next one up.
      if ((e as { code?: unknown }).code !== "P2002") throw e;
      after = next;
    }
  }
  throw new Error(`${why}: no free context id found`);
}

/** Runs `make` with the job's server; on the host's "context is used" it moves the server to the next free id and runs it again. */
export async function retryOnTakenContext<T>(ctx: JobContext, make: (server: JobServer) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const server = await loadJobServer(ctx.db, ctx.job.vserverId);
    try {
      return await make(server);
    } catch (error) {
      if (!(error instanceof OperationFailed && refusedContext(error)) || attempt >= contextTries) throw error;
      await moveToNextContext(ctx, server);
      // The failed operation is done with: the next attempt starts its own (also after a panel restart).
      await ctx.db.job.update({ where: { id: ctx.job.id }, data: { agentOperationId: null } });
      ctx.job.agentOperationId = null;
    }
  }
}
