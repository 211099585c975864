-- CreateTable
CREATE TABLE "ConsoleGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "vserverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "grantedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsoleGrant_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsoleGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ConsoleGrant_vserverId_userId_idx" ON "ConsoleGrant"("vserverId", "userId");
