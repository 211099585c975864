"use client";
/**
 * One browser console: xterm.js (fit, web-links and search add-ons) on the page's
 * socket.io connection. It fetches a one-minute ticket, opens a login shell with the
 * terminal's size, follows the window size, and tells the person in the terminal itself
 * when the shell ended (idle, exited, refused) or the connection dropped; a dropped
 * connection gets a fresh shell as soon as the socket is back, and Enter after an end
 * starts a new one. A socket the panel refuses or that cannot connect is said in the
 * terminal and above it, with the reason, and the shell opens once it connects. The
 * guest's OSC 52 clipboard requests never touch the operator's clipboard: reads are
 * refused, writes are shown for the operator to copy with a click (guest-clipboard.ts).
 * xterm and socket.io-client load only in the browser.
 */
import { useEffect, useRef, useState } from "react";
import "@xterm/xterm/css/xterm.css";
import type { Terminal } from "@xterm/xterm";
import type { SearchAddon } from "@xterm/addon-search";
import { realtimeSocket, sendRealtime } from "@/components/jobs/use-realtime";
import { RealtimeNotice } from "@/components/jobs/realtime-notice";
import { describeRealtimeError, useRealtimeStatus } from "@/components/jobs/realtime-status";
import { realtimeEvent, serverMessage, type ServerMessage } from "@/lib/protocol/realtime";
import { ConsoleToolbar } from "./console-toolbar";
import { ClipboardRequest, type ClipboardNotice } from "./clipboard-request";
import { installClipboardKeys } from "./clipboard-keys";
import { guardGuestClipboard } from "./guest-clipboard";
import { requestConsoleTicket } from "./request-ticket";
import { notice, terminalOptions } from "./terminal-look";

/** Where a console is. */
export type ConsolePhase = "connecting" | "open" | "closed";

/** Input is sent in pieces of at most this many characters. */
const INPUT_CHUNK = 16_384;

/** The event a console's element fires after each piece of output is on the terminal (for tests and the benchmark). */
export const consoleOutputEvent = "vsp-console-output";

/** Props: the server, and an optional callback with the shell's hostname for a tab title. */
export function ConsoleTerminal({ serverId, className = "", onHostname }: { serverId: string; className?: string; onHostname?: (name: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const hostnameCb = useRef(onHostname);
  const [phase, setPhase] = useState<ConsolePhase>("connecting");
  const [size, setSize] = useState({ cols: 0, rows: 0 });
  const [session, setSession] = useState<string | null>(null);
  const [search, setSearch] = useState<SearchAddon | null>(null);
  const [restart, setRestart] = useState<(() => void) | null>(null);
  const [clipboard, setClipboard] = useState<ClipboardNotice | null>(null);
  const live = useRealtimeStatus();

  useEffect(() => {
    hostnameCb.current = onHostname;
  });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let disposed = false;
    let term: Terminal | null = null;
    let cleanup: (() => void) | null = null;

    void (async () => {
      const [{ Terminal }, { FitAddon }, { WebLinksAddon }, { SearchAddon }, socket] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
        import("@xterm/addon-web-links"),
        import("@xterm/addon-search"),
        realtimeSocket(),
      ]);
      if (disposed) return;
      const t = new Terminal(terminalOptions);
      term = t;
      const fit = new FitAddon();
      const searchAddon = new SearchAddon();
      for (const addon of [fit, new WebLinksAddon(), searchAddon]) t.loadAddon(addon);
      t.open(el);
      installClipboardKeys(t);
      // A waiting write keeps its text until the operator decides: a later request cannot swap it.
      guardGuestClipboard(t, (request) => setClipboard((shown) => (shown?.kind === "write" ? shown : request)));
      setSearch(searchAddon);
      const refit = () => {
        try {
          fit.fit();
        } catch {
          /* not laid out (a hidden tab): the next resize fits it */
        }
      };
      refit();
      setSize({ cols: t.cols, rows: t.rows });

      // Which console we asked for (ref) and, once open, its session; output of others is ignored.
      let ref = "";
      let sessionId: string | null = null;
      let ended = false;
      let lostSocket = false;
      // A shell asked for before the socket was up: opened on connect (a ticket lasts a minute).
      let waiting = false;
      let lastError = "";

      const open = async (why: "first" | "reconnect" | "restart") => {
        ref = crypto.randomUUID();
        const mine = ref;
        sessionId = null;
        ended = false;
        setSession(null);
        setPhase("connecting");
        if (why === "restart") t.write(notice("starting a new shell…"));
        if (!socket.connected) {
          waiting = true;
          return;
        }
        waiting = false;
        const ticket = await requestConsoleTicket(serverId);
        if (disposed || ref !== mine) return;
        if (!ticket.ok) {
          ended = true;
          setPhase("closed");
          t.write(notice(ticket.message, "error"));
          t.write(notice("press Enter to try again"));
          return;
        }
        await sendRealtime({ type: "console.open", ref: mine, ticket: ticket.ticket, cols: t.cols, rows: t.rows });
      };

      const onMessage = (raw: unknown) => {
        const parsed = serverMessage.safeParse(raw);
        if (!parsed.success) return;
        const msg: ServerMessage = parsed.data;
        if (msg.type === "console.output") {
          if (msg.sessionId === sessionId) t.write(msg.data, () => el.dispatchEvent(new CustomEvent(consoleOutputEvent, { detail: msg.data, bubbles: true })));
        } else if (msg.type === "console.opened" && msg.ref === ref) {
          sessionId = msg.sessionId;
          setSession(msg.sessionId);
          setPhase("open");
          hostnameCb.current?.(msg.hostname);
          if (lostSocket) t.write(notice("reconnected: this is a new shell (the old one was ended when the connection dropped)"));
          lostSocket = false;
          // The window may have changed while the shell was starting.
          sendRealtime({ type: "console.resize", sessionId: msg.sessionId, cols: t.cols, rows: t.rows });
        } else if (msg.type === "console.closed" && msg.ref === ref) {
          sessionId = null;
          ended = true;
          setSession(null);
          setPhase("closed");
          const bad = msg.reason === "refused" || msg.reason === "failed" || msg.reason === "lost" || msg.reason === "revoked";
          t.write(notice(msg.reason === "refused" ? msg.message : `console closed: ${msg.message}`, bad ? "error" : "info"));
          t.write(notice("press Enter to start a new shell"));
        }
      };
      const onDisconnect = () => {
        if (ended || disposed) return;
        // The panel hangs up our shell when the socket goes; say so and wait for the socket.
        lostSocket = true;
        sessionId = null;
        ref = "";
        setSession(null);
        setPhase("connecting");
        t.write(notice("connection to the panel lost; the shell was ended. Reconnecting…", "error"));
      };
      const onConnect = () => {
        lastError = "";
        if (disposed) return;
        if (lostSocket) void open("reconnect");
        else if (waiting) void open("first");
      };
      const onConnectError = (error: Error) => {
        // Said once per reason: socket.io and realtime-status retry, and each retry fails alike.
        const reason = describeRealtimeError(error.message);
        if (disposed || reason === lastError) return;
        lastError = reason;
        t.write(notice(`no connection to the panel: ${reason}. Retrying…`, "error"));
      };
      socket.on(realtimeEvent, onMessage);
      socket.on("disconnect", onDisconnect);
      socket.on("connect", onConnect);
      socket.on("connect_error", onConnectError);

      const typed = t.onData((data) => {
        const id = sessionId;
        if (id) {
          // A big paste goes in pieces: one message may carry at most 64 Ki characters.
          for (let i = 0; i < data.length; i += INPUT_CHUNK) void sendRealtime({ type: "console.input", sessionId: id, data: data.slice(i, i + INPUT_CHUNK) });
        } else if (ended && data.includes("\r")) void open("restart");
      });
      let resizeTimer: ReturnType<typeof setTimeout> | undefined;
      const resized = t.onResize(({ cols, rows }) => {
        setSize({ cols, rows });
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(() => {
          if (sessionId) void sendRealtime({ type: "console.resize", sessionId, cols, rows });
        }, 30);
      });
      const observer = new ResizeObserver(() => refit());
      observer.observe(el);
      const close = () => {
        if (sessionId) void sendRealtime({ type: "console.close", sessionId });
        sessionId = null;
      };
      window.addEventListener("pagehide", close);
      setRestart(() => () => {
        close();
        void open("restart");
      });
      cleanup = () => {
        close();
        window.removeEventListener("pagehide", close);
        observer.disconnect();
        clearTimeout(resizeTimer);
        typed.dispose();
        resized.dispose();
        socket.off(realtimeEvent, onMessage);
        socket.off("disconnect", onDisconnect);
        socket.off("connect", onConnect);
        socket.off("connect_error", onConnectError);
      };
      await open("first");
      t.focus();
    })();

    return () => {
      disposed = true;
      cleanup?.();
      term?.dispose();
    };
  }, [serverId]);

  return (
    <div className={`flex min-h-0 flex-col ${className}`} data-testid="console" data-state={phase} data-cols={size.cols} data-rows={size.rows} data-session={session ?? ""}>
      <ConsoleToolbar phase={phase} offline={live.state === "failed"} size={size} search={search} onRestart={restart} />
      <RealtimeNotice className="rounded-none" />
      {clipboard ? <ClipboardRequest notice={clipboard} onDone={() => setClipboard(null)} /> : null}
      <div ref={box} className="min-h-0 flex-1 overflow-hidden rounded-b-md bg-[#0b1020] p-1" data-testid="console-screen" />
    </div>
  );
}
