/** The 404 page (also shown for what the user may not see). */
import Link from "next/link";

/** Not found. */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-2">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-500">This page does not exist, or you may not see it.</p>
      <Link href="/" className="mt-4 text-sm font-medium text-indigo-600 hover:underline">
        Back to the panel
      </Link>
    </main>
  );
}
