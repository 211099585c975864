-- CreateEnum
CREATE TYPE "DesiredRunState" AS ENUM ('RUNNING', 'STOPPED');

-- CreateEnum
CREATE TYPE "PlanChangeState" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED');

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "capabilities" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "reconcileLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "reconcileReport" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "reconcileRunner" TEXT,
ADD COLUMN     "reconciledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "customerSelectable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "ipv4Max" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "ipv6Max" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "VServer" ADD COLUMN     "desiredChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "desiredState" "DesiredRunState" NOT NULL DEFAULT 'RUNNING',
ADD COLUMN     "driftNote" TEXT,
ADD COLUMN     "observedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PlanChangeRequest" (
    "id" TEXT NOT NULL,
    "vserverId" TEXT NOT NULL,
    "toPlanId" TEXT NOT NULL,
    "fromPlanId" TEXT,
    "requestedById" TEXT NOT NULL,
    "state" "PlanChangeState" NOT NULL DEFAULT 'PENDING',
    "note" TEXT NOT NULL DEFAULT '',
    "answer" TEXT NOT NULL DEFAULT '',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PlanChangeRequest_vserverId_state_idx" ON "PlanChangeRequest"("vserverId", "state");

-- CreateIndex
CREATE INDEX "PlanChangeRequest_state_createdAt_idx" ON "PlanChangeRequest"("state", "createdAt");

-- AddForeignKey
ALTER TABLE "PlanChangeRequest" ADD CONSTRAINT "PlanChangeRequest_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanChangeRequest" ADD CONSTRAINT "PlanChangeRequest_toPlanId_fkey" FOREIGN KEY ("toPlanId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanChangeRequest" ADD CONSTRAINT "PlanChangeRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Servers that were stopped when this migration ran were last decided to be stopped.
UPDATE "VServer" SET "desiredState" = 'STOPPED' WHERE "state" IN ('STOPPED', 'ERROR');
