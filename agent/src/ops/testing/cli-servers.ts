/**
 * Busybox servers that a root test builds and drives through the CLI as it ships (the
 * bundle; each command its own process, as an agent restart is) on a temp host. Every
 * server built is set to the restart policy `never` before the host is removed, so no
 * policy restarts what the clean-up kills.
 */
import assert from "node:assert/strict";
import { cli, type Ran } from "../limits/testing/cli-host";
import { buildBundle, makeTempHost, type TempHost } from "./temp-host";

/** The temp host and the CLI on it. */
export interface CliServers {
  /** The temp host (made by {@link CliServers.setUp}). */
  readonly host: TempHost;
  /** Runs `tool args` (agent/bin) on the host. */
  run(tool: string, args: string[]): Ran;
  /** Like `run`, failing the test unless the tool exits 0; its output. */
  ok(tool: string, args: string[]): string;
  /** `vserver NAME build -m busybox ...options`, remembered for the clean-up. */
  build(name: string, options?: string[]): void;
  /** Builds the bundle and makes the host (the describe's `before`). */
  setUp(): void;
  /** Sets each built server to `never`, then removes the host (the describe's `after`). */
  cleanUp(): Promise<void>;
}

/** A fresh {@link CliServers}; nothing is made before its `setUp`. */
export function cliServers(): CliServers {
  let made: TempHost | undefined;
  const built: string[] = [];
  const host = (): TempHost => {
    if (!made) throw new Error("the temp host is made in setUp()");
    return made;
  };
  const run = (tool: string, args: string[]): Ran => cli(host(), tool, args);
  const ok = (tool: string, args: string[]): string => {
    const r = run(tool, args);
    assert.equal(r.code, 0, `${tool} ${args.join(" ")}: ${r.err}`);
    return r.out;
  };
  return {
    get host() {
      return host();
    },
    run,
    ok,
    build(name, options = []) {
      ok("vserver", [name, "build", "-m", "busybox", ...options]);
      built.push(name);
    },
    setUp() {
      buildBundle();
      made = makeTempHost();
    },
    async cleanUp() {
      if (!made) return;
      for (const name of built) run("vserver", [name, "restart-policy", "never"]);
      await made.cleanup();
    },
  };
}
