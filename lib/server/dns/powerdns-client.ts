/**
 * The few calls of PowerDNS's HTTP API the panel needs (zones and PTR rrsets), with a
 * bounded time per request and errors a user can read. The endpoint is the admin's; the
 * key travels only in the X-API-Key header and never appears in an error.
 */
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { PowerDnsSettings } from "./powerdns-settings";

/** Requests that take longer than this fail as unreachable. */
const timeoutMs = 5_000;

const rrsetSchema = z.object({ name: z.string(), type: z.string(), ttl: z.number().optional(), records: z.array(z.object({ content: z.string(), disabled: z.boolean().optional() })) });
const zoneSchema = z.object({ name: z.string(), rrsets: z.array(rrsetSchema).default([]) });

/** One rrset of a zone. */
export type RRset = z.infer<typeof rrsetSchema>;

/** A change to one rrset (REPLACE with records, or DELETE). */
export type RRsetChange = { name: string; type: "PTR"; changetype: "REPLACE"; ttl: number; records: { content: string; disabled: false }[] } | { name: string; type: "PTR"; changetype: "DELETE" };

/** The client of one PowerDNS server. */
export interface PowerDnsClient {
  /** The zone with its rrsets, or null when PowerDNS has no such zone. */
  getZone(zone: string): Promise<{ name: string; rrsets: RRset[] } | null>;
  /** Creates a native zone (PowerDNS adds its SOA); an existing zone is left as it is. */
  createZone(zone: string): Promise<"created" | "exists">;
  /** Applies rrset changes to a zone. */
  patchZone(zone: string, rrsets: RRsetChange[]): Promise<void>;
}

function unreachable(error: unknown, limitMs: number): AppError {
  // A code (ECONNREFUSED, ENOTFOUND …), never the cause's text: it names the endpoint's address.
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  const why = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${limitMs / 1000} s` : typeof code === "string" ? code : "no connection";
  // Customers see this message: it names no address of the provider's network.
  return new AppError("AGENT_FAILED", `the reverse-DNS service cannot be reached (${why}); try again later or ask the admin to check the reverse-DNS settings`, "dns");
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === "string" ? body.error.slice(0, 200) : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** A client for the PowerDNS the admin configured. */
export function powerDnsClient(settings: PowerDnsSettings, opts: { timeoutMs?: number } = {}): PowerDnsClient {
  const limitMs = opts.timeoutMs ?? timeoutMs;
  const base = `${settings.url}/api/v1/servers/${encodeURIComponent(settings.serverId)}`;
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    try {
      return await fetch(`${base}${path}`, {
        method,
        headers: { "X-API-Key": settings.apiKey, Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "error",
        signal: AbortSignal.timeout(limitMs),
      });
    } catch (error) {
      throw unreachable(error, limitMs);
    }
  };
  const refused = async (what: string, response: Response): Promise<AppError> => {
    if (response.status === 401 || response.status === 403) return new AppError("AGENT_FAILED", `PowerDNS refused the API key (${what}); ask the admin to check the reverse-DNS settings`, "dns");
    return new AppError("AGENT_FAILED", `PowerDNS could not ${what}: ${await errorText(response)}`, "dns");
  };
  return {
    async getZone(zone) {
      const r = await call("GET", `/zones/${encodeURIComponent(zone)}`);
      if (r.status === 404 || r.status === 422) return null;
      if (!r.ok) throw await refused(`read zone ${zone}`, r);
      return zoneSchema.parse(await r.json());
    },
    async createZone(zone) {
      const r = await call("POST", "/zones", { name: zone, kind: "Native", nameservers: [] });
      if (r.status === 409) return "exists";
      if (!r.ok) throw await refused(`create zone ${zone}`, r);
      return "created";
    },
    async patchZone(zone, rrsets) {
      const r = await call("PATCH", `/zones/${encodeURIComponent(zone)}`, { rrsets });
      if (!r.ok) throw await refused(`change zone ${zone}`, r);
    },
  };
}
