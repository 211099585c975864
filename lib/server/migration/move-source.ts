/** Whether a host's servers can be moved away: the target pulls them from its agent, over https with the certificate on record. */

/** Whether other hosts can pull servers from this host (its agent on https, certificate on record). */
export function canBeMoveSource(host: { endpoint: string; tlsCaPem: string | null }): boolean {
  return host.endpoint.startsWith("https://") && Boolean(host.tlsCaPem);
}
