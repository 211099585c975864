/**
 * The vserver operations of the agent API. Merged into `operations` (operations.ts)
 * as the agent implements them; the panel calls them through the typed client.
 */
import { z } from "zod";
import {
  addressInput,
  byName,
  createVserverInput,
  execInput,
  execResult,
  operationInfo,
  processRow,
  rootAccessInput,
  runInput,
  runResult,
  setDesiredStateInput,
  setLimitsInput,
  stopInput,
  restartPolicyInput,
  userNamespaceInput,
  vserverInfo,
  vserverLimits,
  vserverStatRow,
  vserverUsage,
} from "./vservers";
import { vserverName } from "./names";
import {
  exportTemplateInput,
  operationStarted,
  reinstallInput,
  templateInfo,
  templateName,
  unifyInput,
  unifyReport,
} from "./vserver-provisioning";
import type { OperationDef } from "./operations";

/** The vserver operations (see the summaries). */
export const vserverOperations = {
  listVservers: {
    summary: "Every vserver on the host with its state, limits and addresses.",
    input: z.object({}).strict(),
    output: z.object({ vservers: z.array(vserverInfo) }),
  },
  getVserver: { summary: "One vserver.", input: byName, output: vserverInfo },
  createVserver: {
    summary: "Build a new vserver (slow: returns an operation id; follow it with getOperation).",
    input: createVserverInput,
    output: z.object({ operationId: z.string(), name: vserverName }),
  },
  getOperation: {
    summary: "Progress and log lines of a slow operation.",
    input: z.object({ id: z.string().max(100), sinceLine: z.number().int().nonnegative().default(0) }).strict(),
    output: operationInfo,
  },
  startVserver: {
    summary: "Start a stopped vserver and record 'running' as its desired state (idempotent: a running one is returned as it is; a suspended one is refused).",
    input: byName,
    output: vserverInfo,
  },
  runVserver: {
    summary: "Start a stopped vserver with argv as its init, wait for it to exit, clean up; the exit status (vserver NAME run).",
    input: runInput,
    output: runResult,
  },
  stopVserver: {
    summary:
      "Record 'stopped' as the desired state (a suspension stays), ask the guest's init to shut down and kill what remains after the timeout (idempotent: a stopped one is returned as it is).",
    input: stopInput,
    output: vserverInfo,
  },
  restartVserver: { summary: "Stop, then start.", input: stopInput, output: vserverInfo },
  setDesiredState: {
    summary:
      "Record the server's desired state on the host (running, stopped, or suspended with a reason) and bring it there; the host keeps it across agent restarts and reboots, and a suspended server refuses every start until set otherwise.",
    input: setDesiredStateInput,
    output: vserverInfo,
  },
  deleteVserver: { summary: "Remove a stopped vserver's configuration and root.", input: byName, output: z.object({ name: vserverName }) },
  execInVserver: { summary: "Run a command inside a running vserver (non-interactive, bounded output).", input: execInput, output: execResult },
  setLimits: { summary: "Change limits, live on a running server, and persist them.", input: setLimitsInput, output: vserverLimits },
  getUsage: { summary: "Resource usage of one vserver.", input: byName, output: vserverUsage },
  addAddress: { summary: "Add an address to a vserver, live (chbind).", input: addressInput, output: vserverInfo },
  removeAddress: { summary: "Remove an address from a vserver, live.", input: addressInput, output: vserverInfo },
  setRootAccess: { summary: "Set the guest's root password and/or authorized SSH keys.", input: rootAccessInput, output: z.object({ name: vserverName }) },
  setUserNamespace: {
    summary: "Give a vserver its own user namespace and uid range, or switch it to shared uids (less safe); applied at its next start.",
    input: userNamespaceInput,
    output: vserverInfo,
  },
  setRestartPolicy: {
    summary: "Set what the host does when the server's init ends on its own: never, or on-failure (restart with back-off 1 s to 5 min); kept in apps/init/restart-policy.",
    input: restartPolicyInput,
    output: vserverInfo,
  },
  listProcesses: {
    summary: "Processes on the host with their vserver (vps). Host processes (context 0) carry their name only, without arguments, unless hostCommandLines is set (admins; support sees no host secrets).",
    input: z.object({ name: vserverName.optional(), hostCommandLines: z.boolean().default(false) }).strict(),
    output: z.object({ processes: z.array(processRow) }),
  },
  vserverStat: {
    summary: "One line per running vserver (vserver-stat).",
    input: z.object({}).strict(),
    output: z.object({ vservers: z.array(vserverStatRow) }),
  },
  listTemplates: {
    summary: "The host's templates (VSERVER_ROOTDIR/.templates) for the build wizard.",
    input: z.object({}).strict(),
    output: z.object({ templates: z.array(templateInfo) }),
  },
  exportTemplate: {
    summary: "Make a template from a stopped vserver (slow: returns an operation id; listTemplates shows it when done).",
    input: exportTemplateInput,
    output: operationStarted,
  },
  deleteTemplate: {
    summary: "Remove a template.",
    input: z.object({ template: templateName }).strict(),
    output: z.object({ template: templateName }),
  },
  reinstallVserver: {
    summary: "Replace a vserver's root by a fresh build, keeping name, context, addresses and limits; the old root comes back if the new one fails (slow: operation id).",
    input: reinstallInput,
    output: operationStarted,
  },
  updatePackages: {
    summary: "Update a running vserver's packages with its own manager (apt-get update + upgrade, or dnf/yum upgrade); output as the operation's log lines (slow: operation id).",
    input: byName,
    output: operationStarted,
  },
  unifyVservers: {
    summary: "Share identical files of vservers on one reflink filesystem (vunify; slow: operation id; getUnifyReport has the result).",
    input: unifyInput,
    output: operationStarted,
  },
  getUnifyReport: {
    summary: "The host's last vunify run: bytes before and after, savings, per filesystem and server.",
    input: z.object({}).strict(),
    output: z.object({ report: unifyReport.nullable() }),
  },
} as const satisfies Record<string, OperationDef>;
