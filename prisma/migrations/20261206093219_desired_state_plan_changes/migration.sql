-- CreateTable
CREATE TABLE "PlanChangeRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "vserverId" TEXT NOT NULL,
    "toPlanId" TEXT NOT NULL,
    "fromPlanId" TEXT,
    "requestedById" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "note" TEXT NOT NULL DEFAULT '',
    "answer" TEXT NOT NULL DEFAULT '',
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "jobId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanChangeRequest_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PlanChangeRequest_toPlanId_fkey" FOREIGN KEY ("toPlanId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PlanChangeRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Host" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "credentialCiphertext" TEXT NOT NULL,
    "tlsCaPem" TEXT,
    "isLocal" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "cpuCores" INTEGER NOT NULL DEFAULT 0,
    "memoryMb" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL DEFAULT 0,
    "maxServers" INTEGER NOT NULL DEFAULT 0,
    "agentVersion" TEXT,
    "kernelVersion" TEXT,
    "cgroupVersion" TEXT,
    "capabilities" TEXT NOT NULL DEFAULT '{}',
    "lastSeenAt" DATETIME,
    "reconcileRunner" TEXT,
    "reconcileLeaseUntil" DATETIME,
    "reconciledAt" DATETIME,
    "reconcileReport" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Host" ("agentVersion", "cgroupVersion", "cpuCores", "createdAt", "credentialCiphertext", "credentialHash", "diskMb", "draining", "endpoint", "id", "isLocal", "kernelVersion", "lastSeenAt", "maxServers", "memoryMb", "name", "status", "tlsCaPem", "updatedAt") SELECT "agentVersion", "cgroupVersion", "cpuCores", "createdAt", "credentialCiphertext", "credentialHash", "diskMb", "draining", "endpoint", "id", "isLocal", "kernelVersion", "lastSeenAt", "maxServers", "memoryMb", "name", "status", "tlsCaPem", "updatedAt" FROM "Host";
DROP TABLE "Host";
ALTER TABLE "new_Host" RENAME TO "Host";
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
CREATE TABLE "new_Plan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "ownerId" TEXT,
    "cpuMilli" INTEGER NOT NULL,
    "cpuMilliMax" INTEGER NOT NULL,
    "cpuWeight" INTEGER NOT NULL DEFAULT 100,
    "memoryMb" INTEGER NOT NULL,
    "memoryMbMax" INTEGER NOT NULL,
    "swapMb" INTEGER NOT NULL DEFAULT 0,
    "swapMbMax" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL,
    "diskMbMax" INTEGER NOT NULL,
    "inodes" INTEGER NOT NULL DEFAULT 0,
    "pids" INTEGER NOT NULL,
    "pidsMax" INTEGER NOT NULL,
    "ioReadBps" INTEGER NOT NULL DEFAULT 0,
    "ioWriteBps" INTEGER NOT NULL DEFAULT 0,
    "ioReadIops" INTEGER NOT NULL DEFAULT 0,
    "ioWriteIops" INTEGER NOT NULL DEFAULT 0,
    "netRateMbit" INTEGER NOT NULL DEFAULT 0,
    "trafficGb" INTEGER NOT NULL DEFAULT 0,
    "ipv4Count" INTEGER NOT NULL DEFAULT 1,
    "ipv6Count" INTEGER NOT NULL DEFAULT 0,
    "ipv4Max" INTEGER NOT NULL DEFAULT 1,
    "ipv6Max" INTEGER NOT NULL DEFAULT 1,
    "customerSelectable" BOOLEAN NOT NULL DEFAULT false,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Plan_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Plan" ("archived", "cpuMilli", "cpuMilliMax", "cpuWeight", "createdAt", "currency", "diskMb", "diskMbMax", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "ipv4Count", "ipv6Count", "memoryMb", "memoryMbMax", "name", "netRateMbit", "ownerId", "pids", "pidsMax", "priceCents", "swapMb", "swapMbMax", "trafficGb", "updatedAt") SELECT "archived", "cpuMilli", "cpuMilliMax", "cpuWeight", "createdAt", "currency", "diskMb", "diskMbMax", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "ipv4Count", "ipv6Count", "memoryMb", "memoryMbMax", "name", "netRateMbit", "ownerId", "pids", "pidsMax", "priceCents", "swapMb", "swapMbMax", "trafficGb", "updatedAt" FROM "Plan";
DROP TABLE "Plan";
ALTER TABLE "new_Plan" RENAME TO "Plan";
CREATE UNIQUE INDEX "Plan_ownerId_name_key" ON "Plan"("ownerId", "name");
CREATE TABLE "new_VServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contextId" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "planId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "desiredState" TEXT NOT NULL DEFAULT 'RUNNING',
    "desiredChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "suspendReason" TEXT,
    "observedAt" DATETIME,
    "driftNote" TEXT,
    "buildMethod" TEXT NOT NULL DEFAULT 'skeleton',
    "distribution" TEXT NOT NULL DEFAULT '',
    "startOnBoot" BOOLEAN NOT NULL DEFAULT true,
    "userNamespace" BOOLEAN NOT NULL DEFAULT true,
    "cpuMilli" INTEGER NOT NULL,
    "cpuWeight" INTEGER NOT NULL DEFAULT 100,
    "memoryMb" INTEGER NOT NULL,
    "swapMb" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL,
    "inodes" INTEGER NOT NULL DEFAULT 0,
    "pids" INTEGER NOT NULL,
    "ioReadBps" INTEGER NOT NULL DEFAULT 0,
    "ioWriteBps" INTEGER NOT NULL DEFAULT 0,
    "ioReadIops" INTEGER NOT NULL DEFAULT 0,
    "ioWriteIops" INTEGER NOT NULL DEFAULT 0,
    "netRateMbit" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "stateChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VServer_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VServer_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VServer_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_VServer" ("buildMethod", "contextId", "cpuMilli", "cpuWeight", "createdAt", "diskMb", "distribution", "hostId", "hostname", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "lastError", "memoryMb", "name", "netRateMbit", "ownerId", "pids", "planId", "startOnBoot", "state", "stateChangedAt", "suspendReason", "suspended", "swapMb", "updatedAt", "userNamespace") SELECT "buildMethod", "contextId", "cpuMilli", "cpuWeight", "createdAt", "diskMb", "distribution", "hostId", "hostname", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "lastError", "memoryMb", "name", "netRateMbit", "ownerId", "pids", "planId", "startOnBoot", "state", "stateChangedAt", "suspendReason", "suspended", "swapMb", "updatedAt", "userNamespace" FROM "VServer";
DROP TABLE "VServer";
ALTER TABLE "new_VServer" RENAME TO "VServer";
CREATE INDEX "VServer_ownerId_idx" ON "VServer"("ownerId");
CREATE INDEX "VServer_state_idx" ON "VServer"("state");
CREATE INDEX "VServer_name_idx" ON "VServer"("name");
CREATE INDEX "VServer_createdAt_idx" ON "VServer"("createdAt");
CREATE UNIQUE INDEX "VServer_hostId_name_key" ON "VServer"("hostId", "name");
CREATE UNIQUE INDEX "VServer_hostId_contextId_key" ON "VServer"("hostId", "contextId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PlanChangeRequest_vserverId_state_idx" ON "PlanChangeRequest"("vserverId", "state");

-- CreateIndex
CREATE INDEX "PlanChangeRequest_state_createdAt_idx" ON "PlanChangeRequest"("state", "createdAt");

-- Servers that were stopped when this migration ran were last decided to be stopped.
UPDATE "VServer" SET "desiredState" = 'STOPPED' WHERE "state" IN ('STOPPED', 'ERROR');
