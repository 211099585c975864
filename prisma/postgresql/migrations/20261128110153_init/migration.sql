-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'RESELLER', 'CUSTOMER', 'SUPPORT');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "HostStatus" AS ENUM ('UNKNOWN', 'ONLINE', 'OFFLINE');

-- CreateEnum
CREATE TYPE "VServerState" AS ENUM ('PENDING', 'BUILDING', 'STOPPED', 'STARTING', 'RUNNING', 'STOPPING', 'ERROR', 'DELETING');

-- CreateEnum
CREATE TYPE "IpFamily" AS ENUM ('IPV4', 'IPV6');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'API_TOKEN', 'SYSTEM');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "status" "AccountStatus" NOT NULL DEFAULT 'ACTIVE',
    "resellerId" TEXT,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "totpSecret" TEXT,
    "totpEnabled" BOOLEAN NOT NULL DEFAULT false,
    "allowSupportConsole" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResellerQuota" (
    "id" TEXT NOT NULL,
    "resellerId" TEXT NOT NULL,
    "maxServers" INTEGER NOT NULL DEFAULT 0,
    "maxCpuMilli" INTEGER NOT NULL DEFAULT 0,
    "maxMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "maxDiskMb" INTEGER NOT NULL DEFAULT 0,
    "maxIpv4" INTEGER NOT NULL DEFAULT 0,
    "maxIpv6" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ResellerQuota_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "credentialCiphertext" TEXT NOT NULL,
    "isLocal" BOOLEAN NOT NULL DEFAULT false,
    "status" "HostStatus" NOT NULL DEFAULT 'UNKNOWN',
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "cpuCores" INTEGER NOT NULL DEFAULT 0,
    "memoryMb" INTEGER NOT NULL DEFAULT 0,
    "diskMb" INTEGER NOT NULL DEFAULT 0,
    "maxServers" INTEGER NOT NULL DEFAULT 0,
    "agentVersion" TEXT,
    "kernelVersion" TEXT,
    "cgroupVersion" TEXT,
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VServer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contextId" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "planId" TEXT,
    "state" "VServerState" NOT NULL DEFAULT 'PENDING',
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
    "stateChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IpPool" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "family" "IpFamily" NOT NULL,
    "cidr" TEXT NOT NULL,
    "gateway" TEXT,
    "assignPrefix" INTEGER NOT NULL,
    "reserved" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IpPool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IpPoolHost" (
    "poolId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,

    CONSTRAINT "IpPoolHost_pkey" PRIMARY KEY ("poolId","hostId")
);

-- CreateTable
CREATE TABLE "IpAddress" (
    "id" TEXT NOT NULL,
    "poolId" TEXT NOT NULL,
    "family" "IpFamily" NOT NULL,
    "address" TEXT NOT NULL,
    "prefix" INTEGER NOT NULL,
    "vserverId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IpAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'QUEUED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "result" TEXT,
    "error" TEXT,
    "vserverId" TEXT,
    "hostId" TEXT,
    "createdById" TEXT,
    "agentOperationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLogLine" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stream" TEXT NOT NULL DEFAULT 'out',
    "text" TEXT NOT NULL,

    CONSTRAINT "JobLogLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "success" BOOLEAN NOT NULL DEFAULT true,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ConsoleSession" (
    "id" TEXT NOT NULL,
    "vserverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ip" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "ConsoleSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OsTemplate" (
    "id" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "distribution" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OsTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
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

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResellerQuota" ADD CONSTRAINT "ResellerQuota_resellerId_fkey" FOREIGN KEY ("resellerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VServer" ADD CONSTRAINT "VServer_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VServer" ADD CONSTRAINT "VServer_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VServer" ADD CONSTRAINT "VServer_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IpPoolHost" ADD CONSTRAINT "IpPoolHost_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "IpPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IpPoolHost" ADD CONSTRAINT "IpPoolHost_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IpAddress" ADD CONSTRAINT "IpAddress_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "IpPool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IpAddress" ADD CONSTRAINT "IpAddress_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobLogLine" ADD CONSTRAINT "JobLogLine_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsoleSession" ADD CONSTRAINT "ConsoleSession_vserverId_fkey" FOREIGN KEY ("vserverId") REFERENCES "VServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsoleSession" ADD CONSTRAINT "ConsoleSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OsTemplate" ADD CONSTRAINT "OsTemplate_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
