/** Every operation of the REST API, in documentation order. */
import type { ApiOperation } from "./define";
import { backupApiOperations } from "./backup-operations";
import { customerOperations } from "./customer-operations";
import { hostOperations } from "./host-operations";
import { maintenanceOperations } from "./maintenance-operations";
import { rescueOperations } from "./rescue-operations";
import { planOperations } from "./plan-operations";
import { reverseDnsApiOperations } from "./reverse-dns-operations";
import { serverChangeOperations } from "./server-change-operations";
import { serverOperations } from "./server-operations";
import { usageApiOperations } from "./usage-operations";

/** The API table (see define.ts). */
export const apiOperations: ApiOperation[] = [...planOperations, ...customerOperations, ...serverOperations, ...serverChangeOperations, ...maintenanceOperations, ...rescueOperations, ...usageApiOperations, ...backupApiOperations, ...reverseDnsApiOperations, ...hostOperations];
