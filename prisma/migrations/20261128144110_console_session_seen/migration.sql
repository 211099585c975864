-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConsoleSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "vserverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ip" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "seenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsoleSession_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsoleSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ConsoleSession" ("endedAt", "id", "ip", "startedAt", "userId", "vserverId") SELECT "endedAt", "id", "ip", "startedAt", "userId", "vserverId" FROM "ConsoleSession";
DROP TABLE "ConsoleSession";
ALTER TABLE "new_ConsoleSession" RENAME TO "ConsoleSession";
CREATE INDEX "ConsoleSession_vserverId_idx" ON "ConsoleSession"("vserverId");
CREATE INDEX "ConsoleSession_endedAt_seenAt_idx" ON "ConsoleSession"("endedAt", "seenAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
