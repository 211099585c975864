-- CreateTable
CREATE TABLE "User" (
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
    "allowSupportConsole" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResellerQuota" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "resellerId" TEXT NOT NULL,
    "maxServers" INTEGER NOT NULL DEFAULT 0,
    "maxCpuMilli" INTEGER NOT NULL DEFAULT 0,
    "maxMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "maxDiskMb" INTEGER NOT NULL DEFAULT 0,
    "maxIpv4" INTEGER NOT NULL DEFAULT 0,
    "maxIpv6" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ResellerQuota_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Host" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "credentialCiphertext" TEXT NOT NULL,
    "isLocal" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "cpuCores" INTEGER NOT NULL DEFAULT 0,
    "memoryMb" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL DEFAULT 0,
    "maxServers" INTEGER NOT NULL DEFAULT 0,
    "agentVersion" TEXT,
    "kernelVersion" TEXT,
    "cgroupVersion" TEXT,
    "lastSeenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Plan" (
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
    "ipv4Count" INTEGER NOT NULL DEFAULT 1,
    "ipv6Count" INTEGER NOT NULL DEFAULT 0,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Plan_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contextId" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "planId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "suspendReason" TEXT,
    "buildMethod" TEXT NOT NULL DEFAULT 'skeleton',
    "distribution" TEXT NOT NULL DEFAULT '',
    "startOnBoot" BOOLEAN NOT NULL DEFAULT true,
    "userNamespace" BOOLEAN NOT NULL DEFAULT true,
    "cpuMilli" INTEGER NOT NULL,
    "cpuWeight" INTEGER NOT NULL DEFAULT 100,
    "memoryMb" INTEGER NOT NULL,
    "swapMb" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL,
    "inodes" INTEGER NOT NULL DEFAULT 0,
    "pids" INTEGER NOT NULL,
    "ioReadBps" INTEGER NOT NULL DEFAULT 0,
    "ioWriteBps" INTEGER NOT NULL DEFAULT 0,
    "ioReadIops" INTEGER NOT NULL DEFAULT 0,
    "ioWriteIops" INTEGER NOT NULL DEFAULT 0,
    "netRateMbit" INTEGER NOT NULL DEFAULT 0,
    "stateChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VServer_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VServer_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VServer_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IpPool" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "cidr" TEXT NOT NULL,
    "gateway" TEXT,
    "assignPrefix" INTEGER NOT NULL,
    "reserved" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IpPoolHost" (
    "poolId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,

    PRIMARY KEY ("poolId", "hostId"),
    CONSTRAINT "IpPoolHost_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "IpPool" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IpPoolHost_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IpAddress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "poolId" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "prefix" INTEGER NOT NULL,
    "vserverId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IpAddress_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "IpPool" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "IpAddress_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobLogLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stream" TEXT NOT NULL DEFAULT 'out',
    "text" TEXT NOT NULL,
    CONSTRAINT "JobLogLine_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "success" BOOLEAN NOT NULL DEFAULT true,
    "details" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "lastUsedAt" DATETIME,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME
);

-- CreateTable
CREATE TABLE "ConsoleSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "vserverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ip" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "ConsoleSession_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsoleSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OsTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "distribution" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OsTemplate_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_resellerId_idx" ON "User"("resellerId");

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE UNIQUE INDEX "ResellerQuota_resellerId_key" ON "ResellerQuota"("resellerId");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_ownerId_name_key" ON "Plan"("ownerId", "name");

-- CreateIndex
CREATE INDEX "VServer_ownerId_idx" ON "VServer"("ownerId");

-- CreateIndex
CREATE INDEX "VServer_state_idx" ON "VServer"("state");

-- CreateIndex
CREATE INDEX "VServer_name_idx" ON "VServer"("name");

-- CreateIndex
CREATE UNIQUE INDEX "VServer_hostId_name_key" ON "VServer"("hostId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "VServer_hostId_contextId_key" ON "VServer"("hostId", "contextId");

-- CreateIndex
CREATE UNIQUE INDEX "IpPool_name_key" ON "IpPool"("name");

-- CreateIndex
CREATE UNIQUE INDEX "IpAddress_address_key" ON "IpAddress"("address");

-- CreateIndex
CREATE INDEX "IpAddress_poolId_idx" ON "IpAddress"("poolId");

-- CreateIndex
CREATE INDEX "IpAddress_vserverId_idx" ON "IpAddress"("vserverId");

-- CreateIndex
CREATE INDEX "Job_vserverId_idx" ON "Job"("vserverId");

-- CreateIndex
CREATE INDEX "Job_state_idx" ON "Job"("state");

-- CreateIndex
CREATE INDEX "Job_createdById_idx" ON "Job"("createdById");

-- CreateIndex
CREATE UNIQUE INDEX "JobLogLine_jobId_seq_key" ON "JobLogLine"("jobId", "seq");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_idx" ON "AuditLog"("actorId");

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "ConsoleSession_vserverId_idx" ON "ConsoleSession"("vserverId");

-- CreateIndex
CREATE UNIQUE INDEX "OsTemplate_hostId_name_key" ON "OsTemplate"("hostId", "name");
