/**
 * What a person is told when the host's agent cannot be reached: the cause in words
 * (refused, not running, dropped, no answer in time) and what to do, never a socket path
 * or an errno alone. Seen as a failed backup's reason by a customer whose host's agent
 * was restarting: "agent unreachable: connect ECONNREFUSED /run/vservers/agent.sock".
 */

const causes: Record<string, string> = {
  ECONNREFUSED: "it refused the connection",
  ENOENT: "it is not running",
  ECONNRESET: "the connection dropped",
  EPIPE: "the connection dropped",
  EHOSTUNREACH: "the host cannot be reached on the network",
  ENETUNREACH: "the host cannot be reached on the network",
  ETIMEDOUT: "it did not answer in time",
};

/** The message of an agent call that did not reach the agent. */
export function unreachableMessage(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? "";
  // The bound a read waited (the page bound, 1.8 s) is worth saying: it is why the page answered.
  const waited = /did not answer within (\d+) ms/.exec(message);
  const cause = (e.code && causes[e.code]) ?? (waited ? `it did not answer within ${waited[1]} ms` : /certificate|self.signed|TLS|SSL/i.test(message) ? `its TLS certificate was not accepted (${message})` : "the connection failed");
  return `the host's agent could not be reached (${cause}); it may be restarting: try again in a minute`;
}
