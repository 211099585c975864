/**
 * The one catalogue of events the panel tells people about: what each is called, whom it
 * concerns and which channels are on for them until they choose otherwise. Producers
 * (the domain functions, the reconciler, the traffic counter, backups) record an event by
 * its key; the dispatcher finds its recipients here.
 */
import { z } from "zod";

/** Channels a user may choose per event. */
export const channels = ["PANEL", "EMAIL", "WEBHOOK"] as const;

/** One of {@link channels}. */
export type Channel = (typeof channels)[number];

/**
 * Whom an event concerns: a server's people (its owner, the owner's reseller, and the
 * admins), one user (itself), or the people who run hosts (admins and support).
 */
export type Audience = "server" | "user" | "host";

interface EventKind {
  label: string;
  audience: Audience;
  /** Channels on by default (a user's preference rows override). */
  defaults: readonly Channel[];
  /** Roles of a server's audience that receive it (admins only the important ones). */
  admins?: boolean;
}

const loud: readonly Channel[] = ["PANEL", "EMAIL", "WEBHOOK"];
const quiet: readonly Channel[] = ["PANEL", "WEBHOOK"];

/** Every event type. */
export const eventCatalogue = {
  "server.created": { label: "Server created", audience: "server", defaults: quiet },
  "server.started": { label: "Server started", audience: "server", defaults: quiet },
  "server.stopped": { label: "Server stopped", audience: "server", defaults: quiet },
  "server.restarted": { label: "Server restarted", audience: "server", defaults: quiet },
  "server.crashed": { label: "Server stopped unexpectedly", audience: "server", defaults: loud, admins: true },
  "server.oom_killed": { label: "Server's init killed for lack of memory", audience: "server", defaults: loud, admins: true },
  "server.suspended": { label: "Server suspended", audience: "server", defaults: loud },
  "server.unsuspended": { label: "Server suspension lifted", audience: "server", defaults: loud },
  "server.rescue_started": { label: "Server started in rescue mode", audience: "server", defaults: loud },
  "server.rescue_ended": { label: "Server left rescue mode", audience: "server", defaults: quiet },
  "server.terminated": { label: "Server terminated", audience: "server", defaults: loud },
  "server.plan_changed": { label: "Server plan changed", audience: "server", defaults: quiet },
  "server.migrated": { label: "Server moved to another host", audience: "server", defaults: quiet, admins: true },
  "server.disk_full": { label: "Disk 90 % full", audience: "server", defaults: loud },
  "server.reverse_dns_changed": { label: "Reverse DNS (PTR) of an address changed", audience: "server", defaults: quiet },
  "job.failed": { label: "A job failed", audience: "server", defaults: loud, admins: true },
  "backup.done": { label: "Backup done", audience: "server", defaults: quiet },
  "backup.failed": { label: "Backup failed", audience: "server", defaults: loud, admins: true },
  "backup.check_failed": { label: "Backup repository check failed", audience: "host", defaults: loud },
  "traffic.warning": { label: "Monthly traffic at 80 %", audience: "server", defaults: loud },
  "traffic.exceeded": { label: "Monthly traffic used up", audience: "server", defaults: loud, admins: true },
  "dns.reverse_cleanup_failed": { label: "Reverse DNS of released addresses not removed (PowerDNS unreachable)", audience: "host", defaults: loud },
  "host.offline": { label: "Host offline", audience: "host", defaults: loud },
  "host.online": { label: "Host back online", audience: "host", defaults: loud },
  "host.evacuated": { label: "Host emptied for maintenance (all its servers moved)", audience: "host", defaults: quiet },
  "host.evacuation_incomplete": { label: "Servers left on a host being emptied", audience: "host", defaults: loud },
  "user.login_new_address": { label: "Login from a new address", audience: "user", defaults: loud },
  "user.password_changed": { label: "Password changed", audience: "user", defaults: loud },
  "user.two_factor_changed": { label: "Two-factor login changed", audience: "user", defaults: loud },
} as const satisfies Record<string, EventKind>;

/** A key of the catalogue. */
export type EventType = keyof typeof eventCatalogue;

/** The catalogue's keys (for schemas and the preferences page). */
export const eventTypes = Object.keys(eventCatalogue) as EventType[];

/** Parses an event type. */
export const eventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

/** The catalogue entry of `type`. */
export function eventKind(type: string): EventKind | undefined {
  return (eventCatalogue as Record<string, EventKind>)[type];
}

/** Whether `channel` is on for an event type by default. */
export function onByDefault(type: EventType, channel: Channel): boolean {
  return (eventCatalogue[type].defaults as readonly Channel[]).includes(channel);
}
