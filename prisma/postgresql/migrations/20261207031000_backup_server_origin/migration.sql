-- AlterTable: what a restore as a new server after a termination starts from
ALTER TABLE "Backup" ADD COLUMN "planId" TEXT;
ALTER TABLE "Backup" ADD COLUMN "buildMethod" TEXT;
ALTER TABLE "Backup" ADD COLUMN "distribution" TEXT;
