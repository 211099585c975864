/**
 * `npm run admin -- …`: operator commands on the panel machine.
 *   user create --email E [--password P] --role ADMIN|RESELLER|CUSTOMER|SUPPORT [--reseller EMAIL]
 *   user reset-password --email E [--password P]
 *   user list
 *   token create --email E --name N [--expires-days D]   (prints the token alone on its last line, once)
 * Every change is audited as done by the system (the operator at the shell).
 */
import { parseArgs } from "node:util";
import { generateClients } from "./db/generate";

const usage = `usage: npm run admin -- <command>
  user create --email E [--password P] --role ADMIN|RESELLER|CUSTOMER|SUPPORT [--reseller EMAIL]
  user reset-password --email E [--password P]
  user list
  token create --email E --name N [--expires-days D]`;

generateClients();
const { createDb } = await import("@/lib/db/client");
const { migrate } = await import("@/lib/db/migrate");
const { AppError } = await import("@/lib/errors");
const { cliActor } = await import("@/lib/server/actor");
const { createUser } = await import("@/lib/server/users/create-user");
const { resetPassword } = await import("@/lib/server/users/set-password");
const { createApiToken } = await import("@/lib/server/api-tokens/api-tokens");

const [group, verb, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    email: { type: "string" },
    password: { type: "string" },
    role: { type: "string" },
    reseller: { type: "string" },
    name: { type: "string" },
    "expires-days": { type: "string" },
  },
  strict: true,
});

await migrate();
const db = createDb();
try {
  const need = (key: "email" | "name" | "role"): string => {
    const v = values[key];
    if (!v) throw new AppError("BAD_REQUEST", `--${key} is required`);
    return v;
  };
  const userByEmail = async (email: string) => {
    const u = await db.user.findUnique({ where: { email: email.toLowerCase() } });
    if (!u) throw new AppError("NOT_FOUND", `no user with email ${email}`);
    return u;
  };
  const operator = cliActor("system");
  if (group === "user" && verb === "create") {
    const reseller = values.reseller ? await userByEmail(values.reseller) : null;
    const created = await createUser(db, operator, { email: need("email"), role: need("role").toUpperCase(), password: values.password, resellerId: reseller?.id });
    console.log(`created ${created.user.role.toLowerCase()} ${created.user.email}`);
    if (created.generatedPassword) console.log(`password: ${created.generatedPassword}`);
  } else if (group === "user" && verb === "reset-password") {
    const user = await userByEmail(need("email"));
    const password = await resetPassword(db, operator, user.id, values.password);
    console.log(`password of ${user.email} reset; existing sessions end`);
    if (!values.password) console.log(`password: ${password}`);
  } else if (group === "user" && verb === "list") {
    for (const u of await db.user.findMany({ orderBy: { createdAt: "asc" } })) console.log(`${u.role.padEnd(9)} ${u.status.padEnd(9)} ${u.email}`);
  } else if (group === "token" && verb === "create") {
    const user = await userByEmail(need("email"));
    const days = values["expires-days"] ? Number(values["expires-days"]) : undefined;
    const created = await createApiToken(db, cliActor(user.id, user.role), { name: need("name"), expiresInDays: days });
    console.log(`token "${values.name}" for ${user.email} (shown once):`);
    console.log(created.token);
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
} catch (error) {
  if (error instanceof AppError) {
    console.error(`error: ${error.message}`);
    process.exitCode = error.code === "NOT_FOUND" ? 3 : 2;
  } else {
    throw error;
  }
} finally {
  await db.$disconnect();
}
