/**
 * An agent listening on a network speaks TLS. When the operator gives no certificate,
 * the agent makes a self-signed one at first start (`<confDir>/.agent/tls.crt`, key
 * root-only) with the host's names; the admin pastes tls.crt into the panel when
 * enrolling the host, and the panel trusts exactly that certificate.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Paths of the agent's own TLS pair. */
export function tlsFiles(stateDir: string): { cert: string; key: string } {
  return { cert: path.join(stateDir, "tls.crt"), key: path.join(stateDir, "tls.key") };
}

/** Creates the pair once (EC P-256, 10 years, SANs: hostname, listen host, loopback). */
export function ensureSelfSignedCert(stateDir: string, listenHost: string): { cert: string; key: string; created: boolean } {
  const files = tlsFiles(stateDir);
  if (fs.existsSync(files.cert) && fs.existsSync(files.key)) return { ...files, created: false };
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const ip = /^[\d.]+$|:/.test(listenHost);
  const sans = [`DNS:${os.hostname()}`, "DNS:localhost", "IP:127.0.0.1", ...(listenHost && listenHost !== "0.0.0.0" && listenHost !== "::" ? [ip ? `IP:${listenHost}` : `DNS:${listenHost}`] : [])];
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650", "-subj", `/CN=${os.hostname()}`, "-addext", `subjectAltName=${sans.join(",")}`, "-keyout", `${files.key}.new`, "-out", `${files.cert}.new`],
    { stdio: "ignore" },
  );
  fs.chmodSync(`${files.key}.new`, 0o600);
  fs.renameSync(`${files.key}.new`, files.key);
  fs.renameSync(`${files.cert}.new`, files.cert);
  return { ...files, created: true };
}
