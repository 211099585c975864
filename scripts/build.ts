/**
 * `npm run build`: everything a production install needs before its services start:
 * the Prisma clients and the panel's production bundle (the agent bundles and the native
 * module come from scripts/bootstrap.mjs, which `npm run build` runs first).
 */
import path from "node:path";
import { generateClients } from "./db/generate";
import { buildIfStale } from "./start/build-if-stale";

const root = path.resolve(import.meta.dirname, "..");
generateClients();
console.log(buildIfStale(root) ? "panel bundle built" : "panel bundle up to date");
