/**
 * `/servers/[serverId]/console`: root login shells inside the server, in tabs. Another
 * tenant's server is a 404; a server without a possible console (stopped, suspended,
 * support without consent) shows why, and no terminal.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { ConsoleTabs } from "@/components/console/console-tabs";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { load } from "@/lib/server/load";
import { consoleVerdict } from "@/lib/server/console/console-access";
import { openServerPage } from "../open-server-page";

export const metadata: Metadata = { title: "Console" };
export const dynamic = "force-dynamic";

/** Console page. */
export default async function ConsolePage({ params }: { params: Promise<{ serverId: string }> }) {
  const { actor, server } = await openServerPage(params);
  const verdict = await load(consoleVerdict, actor, server);
  const back = (
    <Link href={`/servers/${server.id}`} className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
      ← Server
    </Link>
  );
  return (
    <>
      <PageHeader title={`Console: ${server.name}`} description={`${server.hostname} · root login shell · on ${server.host.name}`} actions={back} />
      {verdict.ok ? (
        <div className="h-[calc(100vh-12rem)] min-h-80">
          <ConsoleTabs serverId={server.id} serverName={server.hostname} />
        </div>
      ) : (
        <Card>
          <p role="status" className="text-sm" data-testid="console-unavailable" data-why={verdict.why}>
            No console is possible: {verdict.message}
          </p>
        </Card>
      )}
    </>
  );
}
