-- AlterTable
ALTER TABLE "VServer" ADD COLUMN "rescueUntil" DATETIME;
