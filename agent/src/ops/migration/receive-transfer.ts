/**
 * The target side of a whole transfer: pulls the source's stream (pull-transfer.ts: TLS
 * pinned to the source agent's certificate, the ticket's secret, length and sha256
 * checked, a cut stream resumed) into a staging file, and then builds the server
 * from it with the `template` method: the same build as any template (buildVserver:
 * its own context and uid range picked here, every member created beneath the new root
 * without following links, ".." refused, the tree shifted into this host's range, and
 * on any failure nothing of it left). The staging file is removed in every case; a
 * failed transfer is started over with a new ticket.
 */
import type { receivedServer } from "@/lib/protocol/migration-operations";
import type { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { configExists } from "../../config/vserver/read-config";
import { writeRestartPolicy } from "../../config/vserver/restart-policy-file";
import { AgentFailure } from "../../errors";
import { buildVserver } from "../build/build-vserver";
import { recordPopulateResult } from "../build/populate-method";
import { transferFile, withStagedFile } from "./transfer-files";
import { restartPolicy } from "@/lib/protocol/vservers";
import { pullTransfer, type PullRequest } from "./pull-transfer";
import { pullHistory } from "./pull-history";

/** What to receive from where. */
export interface ReceiveRequest extends PullRequest {
  server: z.output<typeof receivedServer>;
}

/** Receives and builds the server; throws (leaving nothing) on any failure. */
export async function receiveTransfer(paths: HostPaths, req: ReceiveRequest): Promise<{ context: number; bytes: number }> {
  if (req.ticket.serverName !== req.server.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket");
  if (Date.parse(req.ticket.expiresAt) < Date.now()) throw new AgentFailure("CONFLICT", "the transfer ticket has expired", "ticket");
  if (configExists(paths, req.server.name)) throw new AgentFailure("CONFLICT", `vserver "${req.server.name}" already exists on this host`, "server.name");
  const file = transferFile(paths, "in", req.ticket.id, true);
  return withStagedFile(file, async () => {
    const { config, bytes } = await pullTransfer(req, file);
    // The archive is untrusted input: the same build as a template file.
    const cfg = await buildVserver(paths, {
      name: req.server.name,
      method: "template",
      methodArgs: ["--source", file, "--no-reflink"],
      allowHostPaths: true, // our own staging file, never a path from the request
      hostname: req.server.hostname,
      domainname: config.domainname,
      nameservers: config.nameservers,
      limits: req.server.limits,
      interfaces: req.server.interfaces,
      startOnBoot: req.server.startOnBoot,
      userNamespace: req.server.userNamespace,
      signal: req.signal,
      log: req.log,
      progress: (p) => req.progress(60 + Math.round(p * 0.4)),
    });
    // The source's own record of how it was built and how its init runs (not re-guessed from the tree).
    recordPopulateResult(paths, cfg, config.buildMethod ?? "template", { distribution: config.distribution, init: { argv: config.initArgv, style: config.initStyle }, ownerBase: 0 });
    const policy = restartPolicy.safeParse(config.restartPolicy);
    if (policy.success) writeRestartPolicy(paths, req.server.name, policy.data);
    req.log(`built ${cfg.name} here: context ${cfg.context}${cfg.uidmap ? `, uids from ${cfg.uidmap.start}` : ""}`);
    await pullHistory(paths, req, cfg.name);
    return { context: cfg.context, bytes };
  });
}
