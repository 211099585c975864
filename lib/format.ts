/** Human-readable figures for the UI. */

/** Megabytes as "512 MB" / "2 GB". */
export function formatMb(mb: number): string {
  if (mb >= 1024 && mb % 1024 === 0) return `${mb / 1024} GB`;
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return `${mb} MB`;
}

/** Thousandths of a core as "0.5 cores" / "2 cores". */
export function formatCpuMilli(milli: number): string {
  const cores = milli / 1000;
  return `${Number.isInteger(cores) ? cores : cores.toFixed(2).replace(/0$/, "")} ${cores === 1 ? "core" : "cores"}`;
}

/** Bytes as "1.5 GiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Money from cents. */
export function formatPrice(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

/** A date and time, compact, in UTC (so support and customers read the same thing). */
export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return new Date(d).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
