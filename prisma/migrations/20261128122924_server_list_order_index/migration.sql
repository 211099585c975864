-- CreateIndex
CREATE INDEX "VServer_createdAt_idx" ON "VServer"("createdAt");
