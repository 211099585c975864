"use client";
/**
 * The file browser of one backup: walk its directories (entries come from the host, a
 * symlink is shown with its target and never followed), tick files or directories and
 * restore them into the server while it runs, or download one (a directory as .tar.zst).
 * Every name is rendered as text: guest file names are hostile input.
 */
import { useCallback, useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { browseBackupAction } from "@/lib/actions/backups/browse-backup-action";
import { restoreBackupFilesAction } from "@/lib/actions/backups/restore-backup-files-action";
import { formatBytes, formatDateTime } from "@/lib/format";
import type { SnapshotEntry } from "@/lib/protocol/backups";
import { ConfirmDialog } from "./confirm-dialog";
import { AlertLine } from "@/components/ui/outcome-line";
import { TableHead } from "@/components/ui/table-head";

const input = "block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

function parentOf(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return "/" + parts.slice(0, -1).join("/");
}

/** Browser of one backup. `canRestore`: the person may change the server; `canDownload`: may read its files. */
export function SnapshotBrowser({
  serverId,
  backupId,
  label,
  canRestore,
  canDownload,
  onRestoreQueued,
}: {
  serverId: string;
  backupId: string;
  label: string;
  canRestore: boolean;
  canDownload: boolean;
  onRestoreQueued: (jobId: string) => void;
}) {
  const [path, setPath] = useState("/");
  const [entries, setEntries] = useState<SnapshotEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [into, setInto] = useState("");
  const [asking, setAsking] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [loading, startLoad] = useTransition();
  const [restoring, startRestore] = useTransition();

  const open = useCallback(
    (next: string) => {
      setError(null);
      startLoad(async () => {
        const r = await browseBackupAction(serverId, backupId, { path: next });
        if (r.ok) {
          setPath(r.data.path);
          setEntries(r.data.entries);
        } else setError(r.message);
      });
    },
    [serverId, backupId],
  );
  useEffect(() => {
    // The root is read once when the browser opens; the result lands in a callback.
    let current = true;
    void browseBackupAction(serverId, backupId, { path: "/" }).then((r) => {
      if (!current) return;
      if (r.ok) setEntries(r.data.entries);
      else setError(r.message);
    });
    return () => {
      current = false;
    };
  }, [serverId, backupId]);

  const crumbs = path.split("/").filter(Boolean);
  const toggle = (p: string) => setSelected((s) => (s.includes(p) ? s.filter((x) => x !== p) : [...s, p]));
  const downloadHref = (p: string) => `/servers/${serverId}/backups/${backupId}/download?path=${encodeURIComponent(p)}`;

  return (
    <div className="space-y-3 text-sm" data-testid="snapshot-browser" data-path={path}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label="Path" className="flex flex-wrap items-center gap-1 font-mono text-xs">
          <span className="mr-1 font-sans text-slate-500">{label}:</span>
          <button type="button" className="text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => open("/")}>
            /
          </button>
          {crumbs.map((c, i) => (
            <span key={i} className="flex items-center gap-1">
              <button type="button" className="text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => open("/" + crumbs.slice(0, i + 1).join("/"))}>
                {c}
              </button>
              {i < crumbs.length - 1 ? <span className="text-slate-400">/</span> : null}
            </span>
          ))}
        </nav>
        {loading ? <span className="text-xs text-slate-500">Loading…</span> : null}
      </div>
      <AlertLine text={error} className="text-red-700 dark:text-red-400" />
      {entries ? (
        <div className="max-h-96 overflow-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-800">
          <table className="w-full text-left text-sm" data-testid="snapshot-entries">
            <TableHead className="sticky top-0 bg-slate-50 text-slate-500 dark:bg-slate-800" cellClass="px-2 py-1.5" cells={[canRestore ? { label: "Select", hidden: true, className: "w-8 px-2 py-1.5" } : null, "Name", "Size", "Modified", { label: "Actions", hidden: true }]} />
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {path !== "/" ? (
                <tr>
                  {canRestore ? <td /> : null}
                  <td className="px-2 py-1.5" colSpan={4}>
                    <button type="button" className="text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => open(parentOf(path))}>
                      ↑ Up
                    </button>
                  </td>
                </tr>
              ) : null}
              {entries.map((e) => (
                <tr key={e.path} data-testid="snapshot-entry" data-name={e.name} data-type={e.type}>
                  {canRestore ? (
                    <td className="px-2 py-1.5">
                      <input type="checkbox" aria-label={`Select ${e.name}`} checked={selected.includes(e.path)} onChange={() => toggle(e.path)} />
                    </td>
                  ) : null}
                  <td className="px-2 py-1.5 font-mono text-xs">
                    {e.type === "dir" ? (
                      <button type="button" className="text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => open(e.path)}>
                        {e.name}/
                      </button>
                    ) : (
                      <span>
                        {e.name}
                        {e.type === "symlink" ? <span className="text-slate-500"> → {e.linkTarget ?? ""}</span> : null}
                        {!["file", "symlink"].includes(e.type) ? <span className="ml-1 font-sans text-slate-500">({e.type})</span> : null}
                      </span>
                    )}
                  </td>
                  <td className="px-2 py-1.5 tabular-nums">{e.type === "file" ? formatBytes(e.size) : ""}</td>
                  <td className="px-2 py-1.5 text-slate-500">{formatDateTime(e.mtime)}</td>
                  <td className="px-2 py-1.5 text-right">
                    {canDownload && (e.type === "file" || e.type === "dir") ? (
                      <a className="text-indigo-600 hover:underline dark:text-indigo-400" href={downloadHref(e.path)} download data-testid="download-entry">
                        {e.type === "dir" ? "Download .tar.zst" : "Download"}
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
              {entries.length === 0 ? (
                <tr>
                  <td className="px-2 py-3 text-slate-500" colSpan={5}>
                    This directory is empty.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : null}
      {canRestore ? (
        <div className="flex flex-wrap items-end gap-3">
          <label className="min-w-64 flex-1">
            <span className="text-slate-600 dark:text-slate-300">Restore into directory (empty: back where each was)</span>
            <input className={input} value={into} onChange={(e) => setInto(e.target.value)} placeholder="/root/restored" name="into" />
          </label>
          <Button type="button" disabled={selected.length === 0 || restoring} onClick={() => setAsking(true)}>
            Restore {selected.length ? `${selected.length} selected` : "selected"}
          </Button>
        </div>
      ) : null}
      <ConfirmDialog
        open={asking}
        title="Restore into the running server?"
        confirmLabel="Restore files"
        pending={restoring}
        error={restoreError}
        onCancel={() => {
          setAsking(false);
          setRestoreError(null);
        }}
        onConfirm={() =>
          startRestore(async () => {
            const r = await restoreBackupFilesAction(serverId, backupId, { paths: selected, ...(into.trim() ? { into: into.trim() } : {}) });
            if (!r.ok) return setRestoreError(r.message);
            setAsking(false);
            setSelected([]);
            onRestoreQueued(r.data.jobId);
          })
        }
      >
        <p>
          {selected.length} item{selected.length === 1 ? "" : "s"} from this backup will be written {into.trim() ? <>into <code>{into.trim()}</code></> : "back where they were"} in the server while it runs.
        </p>
        <p className="font-medium text-slate-800 dark:text-slate-100">Files of the same name there are replaced by the backup&apos;s version; other files stay.</p>
        <ul className="max-h-32 list-inside list-disc overflow-auto font-mono text-xs">
          {selected.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </ConfirmDialog>
    </div>
  );
}
