-- AlterTable
ALTER TABLE "VServer" ADD COLUMN     "rescueUntil" TIMESTAMP(3);
