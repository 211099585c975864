-- AlterTable: when the background monitor probes the host next (claimed by one panel instance)
ALTER TABLE "Host" ADD COLUMN "probeDueAt" DATETIME;
