/** `npm run db:migrate`: applies pending migrations to the database of `DATABASE_URL`. */
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";

const target = databaseTarget();
const result = await migrate(target);
console.log(
  `${target.provider}: ${result.applied.length ? `applied ${result.applied.join(", ")}` : "up to date"} (${result.alreadyApplied} applied before)`,
);
