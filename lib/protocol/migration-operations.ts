/**
 * Moving a server between hosts (issue 16): the panel issues a one-time transfer ticket
 * to both agents. The source agent is offered the server under the ticket
 * (`offerTransfer`); the target agent is asked to receive it (`receiveTransfer` builds a
 * new server from a whole root, `syncTransfer` brings an existing copy up to date with a
 * round of what changed) and pulls the stream itself from the source's transfer route
 * (`GET /transfer/<ticket id>`), over TLS pinned to the source's certificate,
 * authenticated by the ticket's secret. The route answers once per ticket, for the
 * ticket's server only, before its expiry.
 *
 * Pre-copy: whole root while the server runs (`live`), then rounds of what changed since
 * the previous round (`changedOnly`, live), then — stopped — a last such round.
 */
import { z } from "zod";
import { hostName, interfaceAddress, vserverName } from "./names";
import { vserverLimitsPatch } from "./vservers";
import { operationStarted } from "./vserver-provisioning";
import type { OperationDef } from "./operations";

/** The longest a ticket may live (the panel gives ~10 min). */
export const transferTicketMaxLifetimeMs = 60 * 60 * 1000;

/** A one-time transfer ticket, bound to one server and both hosts, with an expiry. */
export const transferTicket = z
  .object({
    /** Random, names the ticket in the route (hex). */
    id: z.string().regex(/^[0-9a-f]{32}$/),
    /** Random, authenticates the target at the source (never logged). */
    secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    serverName: vserverName,
    sourceHostId: z.string().min(1).max(100),
    targetHostId: z.string().min(1).max(100),
    expiresAt: z.string().datetime(),
  })
  .strict();

/** Parsed form of {@link transferTicket}. */
export type TransferTicket = z.infer<typeof transferTicket>;

/** What the target builds from the stream (the createVserver-like part). */
export const receivedServer = z
  .object({
    name: vserverName,
    hostname: hostName,
    limits: vserverLimitsPatch.default({}),
    interfaces: z.array(interfaceAddress).max(64).default([]),
    startOnBoot: z.boolean().default(true),
    userNamespace: z.boolean().default(true),
  })
  .strict();

/** The response headers of the transfer route (lower case, as Node gives them). */
export const transferHeaders = {
  /** base64url JSON of {@link transferConfig}. */
  config: "x-transfer-config",
  /** "zstd" or "none": how the tar stream is compressed. */
  encoding: "x-transfer-encoding",
  /** sha256 (hex) of the body bytes as sent (the archive is staged whole first, so it is known before the body). */
  sha256: "x-transfer-sha256",
} as const;

/** The source host's configuration that travels with the root. */
export const transferConfig = z
  .object({
    domainname: z.string().max(253),
    nameservers: z.array(z.string().max(64)).max(8),
    restartPolicy: z.string().max(32),
    distribution: z.string().max(64).nullable(),
    buildMethod: z.string().max(32).nullable(),
    /** The guest's init (run inside the guest only) and how it is asked to shut down. */
    initArgv: z.array(z.string().max(4096)).min(1).max(64),
    initStyle: z.enum(["busybox", "sysv", "systemd", "plain"]).nullable(),
  })
  .strict();

/** The migration operations of the agent API. */
export const migrationOperations = {
  offerTransfer: {
    summary:
      "Offer a server for one transfer under a panel-issued ticket (replacing its earlier offers): its root (tar, zstd when the host has it) and configuration can then be pulled once, by the ticket's secret, before the ticket expires (GET /transfer/<ticket id>; a cut stream resumes with Range). Stopped unless `live` (a pre-copy round of a running server); `changedOnly`: only what changed since the previous offer's archive of this server, and the paths gone since (CONFLICT when there was none).",
    input: z
      .object({
        name: vserverName,
        ticket: transferTicket,
        /** Archive it while it runs (a pre-copy round; later rounds bring what changed meanwhile). */
        live: z.boolean().default(false),
        /** Only what changed since the previous archive of this server (a delta stream). */
        changedOnly: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ name: vserverName, expiresAt: z.string() }),
  },
  withdrawTransfers: {
    summary:
      "Withdraw every transfer offered for a server: its tickets open nothing any more and their staged archives are removed (a move that failed or started over; an archive otherwise stays until sent whole or its ticket expires, so that a cut stream can be resumed).",
    input: z.object({ name: vserverName }).strict(),
    output: z.object({ name: vserverName, withdrawn: z.number().int().nonnegative() }),
  },
  receiveTransfer: {
    summary:
      "Pull a server offered by another agent (TLS pinned to its certificate, the ticket's secret) and build it here as untrusted input, as a template is built: own context and uid range; a failure leaves nothing (slow: operation id).",
    input: z
      .object({
        ticket: transferTicket,
        source: z.object({ endpoint: z.string().url().max(300), tlsCertPem: z.string().min(1).max(20000) }).strict(),
        server: receivedServer,
      })
      .strict(),
    output: operationStarted,
  },
  syncTransfer: {
    summary:
      "Bring this host's stopped copy of a server up to date with a round of what changed on the source (offered `changedOnly`): pulled like receiveTransfer, the paths gone on the source removed beneath the root without following links, the changed entries written as untrusted input into this host's id range. The operation's result has the round's `bytes` (slow: operation id).",
    input: z
      .object({
        ticket: transferTicket,
        source: z.object({ endpoint: z.string().url().max(300), tlsCertPem: z.string().min(1).max(20000) }).strict(),
        name: vserverName,
      })
      .strict(),
    output: operationStarted,
  },
} as const satisfies Record<string, OperationDef>;
