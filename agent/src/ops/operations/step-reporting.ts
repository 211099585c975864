/**
 * How a long host step (a build method, a template copy, a received migration) reports
 * into its operation's log and progress, and how it is stopped: one shape for all of
 * them, so a caller hands the same three things to whichever step it runs.
 */

/** The operation's log and progress, and the signal that aborts the step. */
export interface StepReporting {
  /** One line of the operation log. */
  log: (line: string) => void;
  /** How far the step is, in percent. */
  progress: (percent: number) => void;
  /** Aborts the running step (the CLI on SIGINT/SIGTERM); what it made is then undone. */
  signal?: AbortSignal;
}
