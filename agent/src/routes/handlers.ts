/**
 * The agent's handler for every operation of the wire contract. The mapped type makes
 * a missing or mistyped handler a compile error.
 */
import type { z } from "zod";
import type { OperationName, OperationOutput, operations } from "@/lib/protocol";
import type { RequestContext } from "./context";
import { health } from "./health";
import {
  createVserver,
  deleteVserverHandler,
  getOperation,
  restartVserverHandler,
  runVserverHandler,
  setDesiredStateHandler,
  startVserver,
  stopVserver,
} from "./vserver-lifecycle";
import {
  addAddress,
  execInVserver,
  removeAddress,
  setLimitsHandler,
  setRootAccess,
  setUserNamespaceHandler,
  setRestartPolicyHandler,
} from "./vserver-changes";
import { getUsage, getVserver, listProcesses, listVservers, vserverStat } from "./vserver-reads";

import {
  deleteTemplateHandler,
  exportTemplateHandler,
  getUnifyReportHandler,
  listTemplatesHandler,
  reinstallVserverHandler,
  unifyVserversHandler,
  updatePackagesHandler,
} from "./vserver-provisioning";
import {
  browseBackupHandler,
  checkBackupTargetHandler,
  createBackupHandler,
  deleteBackupHandler,
  deleteBackupTargetHandler,
  listBackupTargetsHandler,
  listBackupsHandler,
  pruneBackupsHandler,
  putBackupTargetHandler,
  restoreBackupAsNewHandler,
  restoreBackupFilesHandler,
  restoreBackupHandler,
} from "./backups";
import { offerTransfer, receiveTransferHandler, syncTransferHandler, withdrawTransfersHandler } from "./migration";
import { endRescueHandler, getRescueHandler, startRescueHandler } from "./rescue";
import { getHostHistory, getServerHistory, getTrafficTotals, getUsageSamples } from "./usage-queries";

/** A handler: parsed input in, result out (thrown AgentFailure becomes an error answer). */
export type Handler<N extends OperationName> = (
  input: z.output<(typeof operations)[N]["input"]>,
  ctx: RequestContext,
) => Promise<OperationOutput<N>>;

/** Every operation's handler. */
export const handlers: { [N in OperationName]: Handler<N> } = {
  health,
  listVservers,
  getVserver,
  createVserver,
  getOperation,
  startVserver,
  runVserver: runVserverHandler,
  stopVserver,
  restartVserver: restartVserverHandler,
  setDesiredState: setDesiredStateHandler,
  deleteVserver: deleteVserverHandler,
  execInVserver,
  setLimits: setLimitsHandler,
  getUsage,
  addAddress,
  removeAddress,
  setRootAccess,
  setUserNamespace: setUserNamespaceHandler,
  setRestartPolicy: setRestartPolicyHandler,
  listProcesses,
  vserverStat,
  listTemplates: listTemplatesHandler,
  exportTemplate: exportTemplateHandler,
  deleteTemplate: deleteTemplateHandler,
  reinstallVserver: reinstallVserverHandler,
  updatePackages: updatePackagesHandler,
  unifyVservers: unifyVserversHandler,
  getUnifyReport: getUnifyReportHandler,
  offerTransfer,
  withdrawTransfers: withdrawTransfersHandler,
  receiveTransfer: receiveTransferHandler,
  syncTransfer: syncTransferHandler,
  getServerHistory,
  getHostHistory,
  getUsageSamples,
  getTrafficTotals,
  listBackupTargets: listBackupTargetsHandler,
  putBackupTarget: putBackupTargetHandler,
  deleteBackupTarget: deleteBackupTargetHandler,
  checkBackupTarget: checkBackupTargetHandler,
  createBackup: createBackupHandler,
  listBackups: listBackupsHandler,
  deleteBackup: deleteBackupHandler,
  pruneBackups: pruneBackupsHandler,
  browseBackup: browseBackupHandler,
  restoreBackup: restoreBackupHandler,
  restoreBackupFiles: restoreBackupFilesHandler,
  restoreBackupAsNew: restoreBackupAsNewHandler,
  startRescue: startRescueHandler,
  endRescue: endRescueHandler,
  getRescue: getRescueHandler,
};
