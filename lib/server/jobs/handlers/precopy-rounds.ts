/**
 * The rounds of a pre-copy move (issue 16) while the server still runs on the source:
 * a whole round builds the target's stopped copy, then rounds of what changed meanwhile
 * bring it closer, until a round moves at most {@link smallRoundBytes} or stops
 * shrinking (a server that writes faster than the rounds copy would never converge), or
 * after {@link maxRounds}. The move's last round — after the stop — is the caller's.
 */
import { formatBytes } from "@/lib/format";
import type { AgentClient } from "@/lib/agent-client";
import type { z } from "zod";
import type { receivedServer } from "@/lib/protocol/migration-operations";
import { issueTransferTicket } from "@/lib/server/migration/transfer-ticket";
import type { JobContext } from "../job-context";
import { mergeJobPayload } from "../merge-job-payload";
import { followOperation } from "./follow-operation";

/** A round that moves at most this much leaves little for the last round (the issue's 1 MiB). */
export const smallRoundBytes = 1 << 20;

/** Rounds while the server runs, the whole one included. */
export const maxRounds = 6;

/** Sizes in the job log: "512 KiB", "1.5 MiB". */
const size = (n: number) => formatBytes(n);

/** The two hosts of a move and what the target builds. */
export interface RoundHosts {
  source: AgentClient;
  target: AgentClient;
  sourceHost: { id: string; endpoint: string; tlsCertPem: string };
  targetHostId: string;
  server: z.input<typeof receivedServer>;
}

/**
 * One round of changes under a new ticket: offered by the source (`live` while the
 * server runs), pulled and applied by the target. Resolves with the round's bytes.
 */
export async function roundOfChanges(ctx: JobContext, h: RoundHosts, live: boolean, progress: (p: number) => Promise<void>, pollMs?: number): Promise<number> {
  const ticket = issueTransferTicket(h.server.name, h.sourceHost.id, h.targetHostId);
  await h.source.offerTransfer({ name: h.server.name, ticket, live, changedOnly: true });
  const { operationId } = await h.target.syncTransfer({ ticket, source: { endpoint: h.sourceHost.endpoint, tlsCertPem: h.sourceHost.tlsCertPem }, name: h.server.name });
  const result = await followOperation({ ...ctx, agent: () => h.target, progress }, operationId, pollMs === undefined ? {} : { pollMs });
  return typeof result.bytes === "number" ? result.bytes : 0;
}

/**
 * The whole round and the rounds of changes while the server runs. The target's copy
 * exists from the whole round's build on: the caller marks it asked for before (a
 * failure removes it).
 */
export async function precopyRounds(ctx: JobContext, h: RoundHosts, progress: (p: number) => Promise<void>): Promise<void> {
  const ticket = issueTransferTicket(h.server.name, h.sourceHost.id, h.targetHostId);
  await h.source.offerTransfer({ name: h.server.name, ticket, live: true });
  const { operationId } = await h.target.receiveTransfer({ ticket, source: { endpoint: h.sourceHost.endpoint, tlsCertPem: h.sourceHost.tlsCertPem }, server: h.server });
  await ctx.setAgentOperation(operationId);
  await ctx.log(`round 1 (the whole root, while ${h.server.name} runs): the target pulls it (transfer ticket valid until ${ticket.expiresAt})`);
  const first = await followOperation({ ...ctx, agent: () => h.target, progress: (p) => progress(p * 0.6) }, operationId);
  let last = typeof first.bytes === "number" ? first.bytes : Number.MAX_SAFE_INTEGER;
  const sizes = [last];
  for (let round = 2; round <= maxRounds; round++) {
    if (last <= smallRoundBytes) break;
    const started = Date.now();
    // Rounds of changes are short: looked at every 100 ms, not every 400.
    const bytes = await roundOfChanges(ctx, h, true, (p) => progress(60 + ((round - 1) / maxRounds) * 30 + (p / 100) * (30 / maxRounds)), 100);
    sizes.push(bytes);
    await ctx.log(`round ${round} (what changed meanwhile, while it runs): ${size(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const shrinking = bytes < last;
    last = bytes;
    if (!shrinking) {
      await ctx.log(`round ${round} moved no less than the one before: the server writes about as fast as the rounds copy; stopping it for the last round now`);
      break;
    }
  }
  await mergeJobPayload(ctx.db, ctx.job.id, { precopyRoundBytes: sizes });
}
