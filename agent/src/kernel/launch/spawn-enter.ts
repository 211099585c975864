/** Spawns vs-enter with a spec on fd 3, its status socket on fd 4 and, optionally, the
 * init's pidfd on fd 5. Shared by the exec, pty and uts front ends. */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import type { Socket } from "node:net";
import { helperPath } from "@/native";
import { HelperError } from "./helper-error";
import { RecordDecoder } from "./records";

/** A running vs-enter and how it ended. */
export interface EnterProcess {
  child: ChildProcess;
  /** Host pid of the command (outside view), once vs-enter reported it. */
  commandPid(): number | undefined;
  /** Exit status of the command (128+N for signal N); rejects with HelperError when
   * vs-enter failed before running it. */
  done: Promise<number>;
}

/** fds 0-2 of vs-enter: "pipe" to stream, "ignore", or an open fd. */
export type EnterStdio = readonly ["pipe" | "ignore" | number, "pipe" | "ignore" | number, "pipe" | "ignore" | number];

/** Starts vs-enter; see {@link EnterProcess}. */
export function spawnEnter(spec: Buffer, stdio: EnterStdio, pidfd?: number): EnterProcess {
  const fds: StdioOptions = [...stdio, "pipe", "pipe"];
  if (pidfd !== undefined) fds.push(pidfd);
  const child = spawn(helperPath("vs-enter"), [], { stdio: fds });
  const specPipe = child.stdio[3] as Socket;
  const status = child.stdio[4] as Socket;
  specPipe.on("error", () => {});
  specPipe.end(spec);
  const decoder = new RecordDecoder();
  let pid: number | undefined;
  let error: HelperError | undefined;
  status.on("data", (chunk: Buffer) => {
    for (const r of decoder.push(chunk)) {
      if (r.key === "child") pid = Number(r.fields[0]);
      else if (r.key === "error") error ??= HelperError.fromRecord("vs-enter", r.fields);
    }
  });
  status.on("error", () => {});
  const statusClosed = new Promise<void>((resolve) => status.on("close", () => resolve()));
  const done = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      void statusClosed.then(() => {
        if (error) reject(error);
        else if (code === null) reject(new Error(`vs-enter killed by ${signal}`));
        else resolve(code);
      });
    });
  });
  return { child, commandPid: () => pid, done };
}
