-- AlterTable: the restart policy as the panel decided it (null: the host's, recorded at the next reconcile)
ALTER TABLE "VServer" ADD COLUMN "restartPolicy" TEXT;
