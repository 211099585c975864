/** Validation of vserver names and hostnames at the agent's edge (CLI and API alike). */
import { contextId, domainName, hostName, vserverName } from "@/lib/protocol/names";
import { AgentFailure, badInput } from "../../errors";
import { checkGroupName } from "../../kernel/cgroup/group-name";

/** Throws BAD_REQUEST (field `name`) unless `name` is a valid vserver name. A name is
 * also a cgroup directory, so names of cgroup interface files ("memory", "tasks") are refused. */
export function checkVserverName(name: string): string {
  const r = vserverName.safeParse(name);
  if (!r.success) throw badInput("name", `"${name}" ${r.error.issues[0]?.message ?? "is not a valid name"}`);
  try {
    checkGroupName(name);
  } catch (e) {
    throw e instanceof AgentFailure ? badInput("name", `"${name}" is reserved (it collides with a cgroup file name)`) : e;
  }
  return name;
}

/** Throws BAD_REQUEST unless `h` is a host name. */
export function checkHostname(h: string, field = "hostname"): string {
  const r = hostName.safeParse(h);
  if (!r.success) throw badInput(field, `"${h}" ${r.error.issues[0]?.message ?? "is not a host name"}`);
  return h;
}

/** Throws BAD_REQUEST unless `d` is a domain name (or empty). */
export function checkDomainname(d: string, field = "domainname"): string {
  const r = domainName.safeParse(d);
  if (!r.success) throw badInput(field, `"${d}" ${r.error.issues[0]?.message ?? "is not a domain name"}`);
  return d;
}

/** Throws BAD_REQUEST unless `n` is a static context id. */
export function checkContext(n: number, field = "context"): number {
  const r = contextId.safeParse(n);
  if (!r.success) throw badInput(field, `${n}: ${r.error.issues[0]?.message ?? "not a context id"}`);
  return n;
}
