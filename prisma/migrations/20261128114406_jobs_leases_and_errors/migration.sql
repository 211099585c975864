-- AlterTable
ALTER TABLE "Host" ADD COLUMN "tlsCaPem" TEXT;

-- AlterTable
ALTER TABLE "VServer" ADD COLUMN "lastError" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'QUEUED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "result" TEXT,
    "error" TEXT,
    "vserverId" TEXT,
    "hostId" TEXT,
    "createdById" TEXT,
    "agentOperationId" TEXT,
    "runnerId" TEXT,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Job" ("agentOperationId", "createdAt", "createdById", "error", "finishedAt", "hostId", "id", "payload", "progress", "result", "startedAt", "state", "type", "vserverId") SELECT "agentOperationId", "createdAt", "createdById", "error", "finishedAt", "hostId", "id", "payload", "progress", "result", "startedAt", "state", "type", "vserverId" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_vserverId_idx" ON "Job"("vserverId");
CREATE INDEX "Job_state_leaseUntil_idx" ON "Job"("state", "leaseUntil");
CREATE INDEX "Job_createdById_idx" ON "Job"("createdById");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
