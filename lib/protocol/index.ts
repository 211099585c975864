/** The panel/agent wire contract: import everything from here. */
export * from "./errors";
export * from "./health";
export * from "./operations";
