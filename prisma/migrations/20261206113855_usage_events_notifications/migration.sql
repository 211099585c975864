-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "vserverId" TEXT,
    "userId" TEXT,
    "hostId" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',
    "dispatchedAt" DATETIME,
    "dispatchRunner" TEXT,
    "dispatchLeaseUntil" DATETIME
);

-- CreateTable
CREATE TABLE "EventDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT,
    "address" TEXT,
    "endpointId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "runnerId" TEXT,
    "leaseUntil" DATETIME,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EventDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EventDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "DeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "EventDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT,
    "readAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "userId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,

    PRIMARY KEY ("userId", "eventType", "channel"),
    CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secretSealed" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookEndpoint_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TrafficMonth" (
    "vserverId" TEXT NOT NULL,
    "periodStart" DATETIME NOT NULL,
    "rxBytes" BIGINT NOT NULL DEFAULT 0,
    "txBytes" BIGINT NOT NULL DEFAULT 0,
    "warned80" BOOLEAN NOT NULL DEFAULT false,
    "warned100" BOOLEAN NOT NULL DEFAULT false,
    "policyDone" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("vserverId", "periodStart"),
    CONSTRAINT "TrafficMonth_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServerCounterState" (
    "vserverId" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "seenRx" BIGINT NOT NULL DEFAULT 0,
    "seenTx" BIGINT NOT NULL DEFAULT 0,
    "diskFull" BOOLEAN NOT NULL DEFAULT false,
    "throttledFromMbit" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ServerCounterState_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PasswordToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PasswordToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LoginAddress" (
    "userId" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "ip"),
    CONSTRAINT "LoginAddress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "resellerId" TEXT,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "totpSecret" TEXT,
    "totpEnabled" BOOLEAN NOT NULL DEFAULT false,
    "totpEnabledAt" DATETIME,
    "totpLastStep" INTEGER,
    "twoFactorRequired" BOOLEAN NOT NULL DEFAULT false,
    "allowSupportConsole" BOOLEAN NOT NULL DEFAULT false,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_User" ("allowSupportConsole", "createdAt", "email", "id", "lastLoginAt", "name", "passwordHash", "resellerId", "role", "sessionVersion", "status", "totpEnabled", "totpEnabledAt", "totpLastStep", "totpSecret", "twoFactorRequired", "updatedAt") SELECT "allowSupportConsole", "createdAt", "email", "id", "lastLoginAt", "name", "passwordHash", "resellerId", "role", "sessionVersion", "status", "totpEnabled", "totpEnabledAt", "totpLastStep", "totpSecret", "twoFactorRequired", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "User_resellerId_idx" ON "User"("resellerId");
CREATE INDEX "User_role_idx" ON "User"("role");
CREATE TABLE "new_Plan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "ownerId" TEXT,
    "cpuMilli" INTEGER NOT NULL,
    "cpuMilliMax" INTEGER NOT NULL,
    "cpuWeight" INTEGER NOT NULL DEFAULT 100,
    "memoryMb" INTEGER NOT NULL,
    "memoryMbMax" INTEGER NOT NULL,
    "swapMb" INTEGER NOT NULL DEFAULT 0,
    "swapMbMax" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL,
    "diskMbMax" INTEGER NOT NULL,
    "inodes" INTEGER NOT NULL DEFAULT 0,
    "pids" INTEGER NOT NULL,
    "pidsMax" INTEGER NOT NULL,
    "ioReadBps" INTEGER NOT NULL DEFAULT 0,
    "ioWriteBps" INTEGER NOT NULL DEFAULT 0,
    "ioReadIops" INTEGER NOT NULL DEFAULT 0,
    "ioWriteIops" INTEGER NOT NULL DEFAULT 0,
    "netRateMbit" INTEGER NOT NULL DEFAULT 0,
    "trafficGb" INTEGER NOT NULL DEFAULT 0,
    "overQuotaPolicy" TEXT NOT NULL DEFAULT 'NONE',
    "overQuotaMbit" INTEGER NOT NULL DEFAULT 1,
    "ipv4Count" INTEGER NOT NULL DEFAULT 1,
    "ipv6Count" INTEGER NOT NULL DEFAULT 0,
    "ipv4Max" INTEGER NOT NULL DEFAULT 1,
    "ipv6Max" INTEGER NOT NULL DEFAULT 1,
    "customerSelectable" BOOLEAN NOT NULL DEFAULT false,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Plan_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Plan" ("archived", "cpuMilli", "cpuMilliMax", "cpuWeight", "createdAt", "currency", "customerSelectable", "diskMb", "diskMbMax", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "ipv4Count", "ipv4Max", "ipv6Count", "ipv6Max", "memoryMb", "memoryMbMax", "name", "netRateMbit", "ownerId", "pids", "pidsMax", "priceCents", "swapMb", "swapMbMax", "trafficGb", "updatedAt") SELECT "archived", "cpuMilli", "cpuMilliMax", "cpuWeight", "createdAt", "currency", "customerSelectable", "diskMb", "diskMbMax", "id", "inodes", "ioReadBps", "ioReadIops", "ioWriteBps", "ioWriteIops", "ipv4Count", "ipv4Max", "ipv6Count", "ipv6Max", "memoryMb", "memoryMbMax", "name", "netRateMbit", "ownerId", "pids", "pidsMax", "priceCents", "swapMb", "swapMbMax", "trafficGb", "updatedAt" FROM "Plan";
DROP TABLE "Plan";
ALTER TABLE "new_Plan" RENAME TO "Plan";
CREATE UNIQUE INDEX "Plan_ownerId_name_key" ON "Plan"("ownerId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Event_dispatchedAt_at_idx" ON "Event"("dispatchedAt", "at");

-- CreateIndex
CREATE INDEX "Event_vserverId_at_idx" ON "Event"("vserverId", "at");

-- CreateIndex
CREATE INDEX "EventDelivery_state_nextAttemptAt_idx" ON "EventDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "EventDelivery_endpointId_createdAt_idx" ON "EventDelivery"("endpointId", "createdAt");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_deliveryId_at_idx" ON "DeliveryAttempt"("deliveryId", "at");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_eventId_key" ON "Notification"("userId", "eventId");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_ownerId_idx" ON "WebhookEndpoint"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "PasswordToken_tokenHash_key" ON "PasswordToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PasswordToken_userId_idx" ON "PasswordToken"("userId");
