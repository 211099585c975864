-- Live updates across panel instances (lib/realtime/changes/pg-change-listener.ts):
-- a write of a job, its log or a server notifies the changed id on channel vs_change.
-- NOTIFY is delivered at commit (never for a rolled-back write) and identical payloads
-- of one transaction are sent once, so a build's thousand log lines are one message.
-- PostgreSQL only: with SQLite there is one panel process, which hears its own writes.
CREATE OR REPLACE FUNCTION vs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One statement per table: PL/pgSQL resolves a record's fields when a statement first
  -- runs, and only JobLogLine has "jobId".
  IF TG_TABLE_NAME = 'JobLogLine' THEN
    PERFORM pg_notify('vs_change', 'job:' || NEW."jobId");
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('vs_change', (CASE WHEN TG_TABLE_NAME = 'Job' THEN 'job:' ELSE 'server:' END) || OLD."id");
  ELSE
    PERFORM pg_notify('vs_change', (CASE WHEN TG_TABLE_NAME = 'Job' THEN 'job:' ELSE 'server:' END) || NEW."id");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Job_notify_change" AFTER INSERT OR UPDATE OR DELETE ON "Job"
  FOR EACH ROW EXECUTE FUNCTION vs_notify_change();
CREATE TRIGGER "JobLogLine_notify_change" AFTER INSERT ON "JobLogLine"
  FOR EACH ROW EXECUTE FUNCTION vs_notify_change();
CREATE TRIGGER "VServer_notify_change" AFTER INSERT OR UPDATE OR DELETE ON "VServer"
  FOR EACH ROW EXECUTE FUNCTION vs_notify_change();
