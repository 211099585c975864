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
    "lockHolder" TEXT,
    "lockedUntil" DATETIME,
    CONSTRAINT "ResellerQuota_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ResellerQuota" ("id", "maxCpuMilli", "maxDiskMb", "maxIpv4", "maxIpv6", "maxMemoryMb", "maxServers", "resellerId") SELECT "id", "maxCpuMilli", "maxDiskMb", "maxIpv4", "maxIpv6", "maxMemoryMb", "maxServers", "resellerId" FROM "ResellerQuota";
DROP TABLE "ResellerQuota";
ALTER TABLE "new_ResellerQuota" RENAME TO "ResellerQuota";
CREATE UNIQUE INDEX "ResellerQuota_resellerId_key" ON "ResellerQuota"("resellerId");
CREATE TABLE "new_LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_LoginThrottle" ("failures", "key", "lockedUntil", "windowStart") SELECT "failures", "key", "lockedUntil", "windowStart" FROM "LoginThrottle";
DROP TABLE "LoginThrottle";
ALTER TABLE "new_LoginThrottle" RENAME TO "LoginThrottle";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
