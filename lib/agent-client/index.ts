/** The panel's typed client for agents. */
export * from "./agent-error";
export * from "./client";
export * from "./endpoint";
export * from "./download-backup";
