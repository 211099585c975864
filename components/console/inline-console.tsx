"use client";
/** The console panel's terminal on the server page: opened on request, so the page does not start a shell by itself. */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConsoleTerminal } from "./console-terminal";

/** A button that opens a console in place, and closes it again. */
export function InlineConsole({ serverId }: { serverId: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <Button type="button" look="secondary" onClick={() => setOpen(true)} data-testid="inline-console-open">
        Open here
      </Button>
    );
  }
  return (
    <div className="mt-3 space-y-2">
      <div className="h-80">
        <ConsoleTerminal serverId={serverId} className="h-full" />
      </div>
      <Button type="button" look="secondary" onClick={() => setOpen(false)}>
        Close console
      </Button>
    </div>
  );
}
