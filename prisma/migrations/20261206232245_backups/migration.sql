-- CreateTable
CREATE TABLE "BackupTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hostId" TEXT,
    "location" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT '{}',
    "lastCheckAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "BackupTarget_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "vserverId" TEXT,
    "serverKey" TEXT NOT NULL,
    "serverName" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'RUNNING',
    "scheduled" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT NOT NULL DEFAULT '',
    "jobId" TEXT,
    "snapshotId" TEXT,
    "takenAt" DATETIME,
    "addedBytes" BIGINT,
    "totalBytes" BIGINT,
    "files" INTEGER,
    "durationMs" INTEGER,
    "freezeMs" INTEGER,
    "consistency" TEXT,
    "error" TEXT,
    "orphanedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Backup_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Backup_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "BackupTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ResellerQuota" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "resellerId" TEXT NOT NULL,
    "maxServers" INTEGER NOT NULL DEFAULT 0,
    "maxCpuMilli" INTEGER NOT NULL DEFAULT 0,
    "maxMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "maxDiskMb" INTEGER NOT NULL DEFAULT 0,
    "maxIpv4" INTEGER NOT NULL DEFAULT 0,
    "maxIpv6" INTEGER NOT NULL DEFAULT 0,
    "planCpuWeightMax" INTEGER NOT NULL DEFAULT 100,
    "planSwapMbMax" INTEGER NOT NULL DEFAULT 1024,
    "planPidsMax" INTEGER NOT NULL DEFAULT 4096,
    "planInodesMax" INTEGER NOT NULL DEFAULT 1000000,
    "planIoReadBpsMax" INTEGER NOT NULL DEFAULT 209715200,
    "planIoWriteBpsMax" INTEGER NOT NULL DEFAULT 209715200,
    "planIoReadIopsMax" INTEGER NOT NULL DEFAULT 5000,
    "planIoWriteIopsMax" INTEGER NOT NULL DEFAULT 5000,
    "planNetRateMbitMax" INTEGER NOT NULL DEFAULT 1000,
    "planTrafficGbMax" INTEGER NOT NULL DEFAULT 10000,
    "planBackupSlotsMax" INTEGER NOT NULL DEFAULT 10,
    "planBackupKeepMax" INTEGER NOT NULL DEFAULT 30,
    "lockHolder" TEXT,
    "lockedUntil" DATETIME,
    CONSTRAINT "ResellerQuota_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ResellerQuota" ("id", "lockHolder", "lockedUntil", "maxCpuMilli", "maxDiskMb", "maxIpv4", "maxIpv6", "maxMemoryMb", "maxServers", "planCpuWeightMax", "planInodesMax", "planIoReadBpsMax", "planIoReadIopsMax", "planIoWriteBpsMax", "planIoWriteIopsMax", "planNetRateMbitMax", "planPidsMax", "planSwapMbMax", "planTrafficGbMax", "resellerId") SELECT "id", "lockHolder", "lockedUntil", "maxCpuMilli", "maxDiskMb", "maxIpv4", "maxIpv6", "maxMemoryMb", "maxServers", "planCpuWeightMax", "planInodesMax", "planIoReadBpsMax", "planIoReadIopsMax", "planIoWriteBpsMax", "planIoWriteIopsMax", "planNetRateMbitMax", "planPidsMax", "planSwapMbMax", "planTrafficGbMax", "resellerId" FROM "ResellerQuota";
DROP TABLE "ResellerQuota";
ALTER TABLE "new_ResellerQuota" RENAME TO "ResellerQuota";
CREATE UNIQUE INDEX "ResellerQuota_resellerId_key" ON "ResellerQuota"("resellerId");
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
    "overQuotaPolicy" TEXT NOT NULL DEFAULT 'NONE',
    "overQuotaMbit" INTEGER NOT NULL DEFAULT 1,
    "ipv4Count" INTEGER NOT NULL DEFAULT 1,
    "ipv6Count" INTEGER NOT NULL DEFAULT 0,
    "ipv4Max" INTEGER NOT NULL DEFAULT 1,
    "ipv6Max" INTEGER NOT NULL DEFAULT 1,
    "customerSelectable" BOOLEAN NOT NULL DEFAULT false,
    "backupSlots" INTEGER NOT NULL DEFAULT 3,
    "backupSchedule" TEXT NOT NULL DEFAULT 'NONE',
    "backupTime" TEXT NOT NULL DEFAULT '03:00',
    "backupWeekday" INTEGER NOT NULL DEFAULT 0,
    "keepDaily" INTEGER NOT NULL DEFAULT 7,
    "keepWeekly" INTEGER NOT NULL DEFAULT 4,
    "keepMonthly" INTEGER NOT NULL DEFAULT 0,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Plan_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Plan" ("archived", "cpuMilli", "cpuMilliMax", "cpuWeight", "createdAt", "currency", "customerSelectable", "diskMb", "diskMbMax", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "ipv4Count", "ipv4Max", "ipv6Count", "ipv6Max", "memoryMb", "memoryMbMax", "name", "netRateMbit", "overQuotaMbit", "overQuotaPolicy", "ownerId", "pids", "pidsMax", "priceCents", "swapMb", "swapMbMax", "trafficGb", "updatedAt") SELECT "archived", "cpuMilli", "cpuMilliMax", "cpuWeight", "createdAt", "currency", "customerSelectable", "diskMb", "diskMbMax", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "ipv4Count", "ipv4Max", "ipv6Count", "ipv6Max", "memoryMb", "memoryMbMax", "name", "netRateMbit", "overQuotaMbit", "overQuotaPolicy", "ownerId", "pids", "pidsMax", "priceCents", "swapMb", "swapMbMax", "trafficGb", "updatedAt" FROM "Plan";
DROP TABLE "Plan";
ALTER TABLE "new_Plan" RENAME TO "Plan";
CREATE UNIQUE INDEX "Plan_ownerId_name_key" ON "Plan"("ownerId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "BackupTarget_key_idx" ON "BackupTarget"("key");

-- CreateIndex
CREATE UNIQUE INDEX "BackupTarget_hostId_key_key" ON "BackupTarget"("hostId", "key");

-- CreateIndex
CREATE INDEX "Backup_vserverId_createdAt_idx" ON "Backup"("vserverId", "createdAt");

-- CreateIndex
CREATE INDEX "Backup_serverKey_idx" ON "Backup"("serverKey");

-- CreateIndex
CREATE INDEX "Backup_ownerId_idx" ON "Backup"("ownerId");

-- CreateIndex
CREATE INDEX "Backup_orphanedAt_idx" ON "Backup"("orphanedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Backup_targetId_snapshotId_key" ON "Backup"("targetId", "snapshotId");
