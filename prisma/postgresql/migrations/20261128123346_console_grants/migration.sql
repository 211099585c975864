-- CreateTable
CREATE TABLE "ConsoleGrant" (
    "id" TEXT NOT NULL,
    "vserverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "grantedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsoleGrant_vserverId_userId_idx" ON "ConsoleGrant"("vserverId", "userId");

-- AddForeignKey
ALTER TABLE "ConsoleGrant" ADD CONSTRAINT "ConsoleGrant_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsoleGrant" ADD CONSTRAINT "ConsoleGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
