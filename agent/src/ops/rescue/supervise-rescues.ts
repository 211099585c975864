/**
 * The host ends rescues whose time is up by itself, so a rescue holds its limit without
 * the panel and across agent restarts: the record's end time is on the host
 * (config/vserver/rescue-file.ts), and every agent checks all records at its start and
 * then every `intervalMs`.
 */
import type { HostPaths } from "../../config/paths";
import { listServerNames } from "../../config/vserver/layout";
import { readRescueFile } from "../../config/vserver/rescue-file";
import { endRescue } from "./end-rescue";

/** Ends every expired rescue once; returns the names ended. Never throws for one server. */
export async function endExpiredRescues(paths: HostPaths, onError: (name: string, e: unknown) => void = () => undefined, now = Date.now()): Promise<string[]> {
  const ended: string[] = [];
  for (const name of listServerNames(paths)) {
    try {
      const r = readRescueFile(paths, name);
      if (!r || Date.parse(r.until) > now) continue;
      if (await endRescue(paths, name, 0, now)) ended.push(name);
    } catch (e) {
      onError(name, e);
    }
  }
  return ended;
}

/** Checks now and then every `intervalMs`; returns the stop function. */
export function superviseRescues(paths: HostPaths, intervalMs: number, report: (ended: string[], failed: { name: string; error: string }[]) => void): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    const failed: { name: string; error: string }[] = [];
    try {
      const ended = await endExpiredRescues(paths, (name, e) => failed.push({ name, error: e instanceof Error ? e.message : String(e) }));
      if (ended.length || failed.length) report(ended, failed);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
