-- DropIndex
DROP INDEX "Job_state_idx";

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "tlsCaPem" TEXT;

-- AlterTable
ALTER TABLE "VServer" ADD COLUMN     "lastError" TEXT;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "runnerId" TEXT;

-- CreateIndex
CREATE INDEX "Job_state_leaseUntil_idx" ON "Job"("state", "leaseUntil");
