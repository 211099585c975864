-- AlterTable
ALTER TABLE "ResellerQuota" ADD COLUMN     "planBackupKeepMax" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "planBackupSlotsMax" INTEGER NOT NULL DEFAULT 10;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "backupSchedule" TEXT NOT NULL DEFAULT 'NONE',
ADD COLUMN     "backupSlots" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "backupTime" TEXT NOT NULL DEFAULT '03:00',
ADD COLUMN     "backupWeekday" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "keepDaily" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "keepMonthly" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "keepWeekly" INTEGER NOT NULL DEFAULT 4;

-- CreateTable
CREATE TABLE "BackupTarget" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hostId" TEXT,
    "location" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT '{}',
    "lastCheckAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackupTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL,
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
    "takenAt" TIMESTAMP(3),
    "addedBytes" BIGINT,
    "totalBytes" BIGINT,
    "files" INTEGER,
    "durationMs" INTEGER,
    "freezeMs" INTEGER,
    "consistency" TEXT,
    "error" TEXT,
    "orphanedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Backup_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "BackupTarget" ADD CONSTRAINT "BackupTarget_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "BackupTarget"("id") ON DELETE CASCADE ON UPDATE CASCADE;
