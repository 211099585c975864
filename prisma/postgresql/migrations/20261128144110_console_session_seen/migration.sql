-- AlterTable
ALTER TABLE "ConsoleSession" ADD COLUMN     "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "ConsoleSession_endedAt_seenAt_idx" ON "ConsoleSession"("endedAt", "seenAt");
