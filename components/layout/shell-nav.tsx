"use client";
/**
 * The navigation's frame: a fixed side bar from 768 px up; below that (phones) a top bar
 * with a menu button that opens the same navigation over the page, closed again by the
 * button, Escape, or following a link.
 */
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";

/** Side bar / phone menu around the navigation `children`. */
export function ShellNav({ brand, children }: { brand: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // A followed link closes the menu (the pathname changes; the shell itself stays mounted).
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <>
      <header className="sticky top-0 z-30 flex items-center justify-between bg-slate-900 px-4 py-2 md:hidden">
        {brand}
        <button
          type="button"
          aria-expanded={open}
          aria-controls="main-nav"
          data-testid="menu-button"
          onClick={() => setOpen(!open)}
          className="inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-white ring-1 ring-inset ring-slate-700 hover:bg-slate-800"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            {open ? (
              <path d="M4.3 4.3a1 1 0 0 1 1.4 0L10 8.6l4.3-4.3a1 1 0 1 1 1.4 1.4L11.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4L10 11.4l-4.3 4.3a1 1 0 0 1-1.4-1.4L8.6 10 4.3 5.7a1 1 0 0 1 0-1.4Z" />
            ) : (
              <path d="M3 5h14a1 1 0 1 0 0-2H3a1 1 0 0 0 0 2Zm14 4H3a1 1 0 0 0 0 2h14a1 1 0 1 0 0-2Zm0 6H3a1 1 0 1 0 0 2h14a1 1 0 1 0 0-2Z" />
            )}
          </svg>
          Menu
        </button>
      </header>
      <nav
        id="main-nav"
        aria-label="Main"
        data-open={open}
        className={`${open ? "fixed inset-x-0 bottom-0 top-[52px] z-40 flex overflow-y-auto" : "hidden"} w-full flex-col bg-slate-900 px-3 py-4 md:static md:flex md:w-60 md:shrink-0`}
      >
        <div className="mb-6 hidden px-3 md:block">{brand}</div>
        {children}
      </nav>
    </>
  );
}
