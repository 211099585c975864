/**
 * `npm run admin -- …`: operator commands on the panel machine.
 *   user create --email E --role ADMIN|RESELLER|CUSTOMER|SUPPORT [--reseller EMAIL] [PASSWORD]
 *   user reset-password --email E [PASSWORD]
 *   user list
 *   token create --email E --name N [--expires-days D]   (prints the token alone on its last line, once)
 * PASSWORD is where a new password comes from (scripts/admin/password-source): asked on
 * the terminal, `--password-stdin`, `--password-env NAME`, or `--generate-password`; never
 * the command line (`--password P` is refused before anything is done).
 * Every change is audited as done by the system (the operator at the shell).
 */
import { parseArgs } from "node:util";
import { generateClients } from "./db/generate";
import { choosePassword, PasswordSourceError, type PasswordChoice } from "./admin/password-source";

const usage = `usage: npm run admin -- <command>
  user create --email E --role ADMIN|RESELLER|CUSTOMER|SUPPORT [--reseller EMAIL] [PASSWORD]
  user reset-password --email E [PASSWORD]
  user list
  token create --email E --name N [--expires-days D]
PASSWORD (a new password is never given on the command line):
  (nothing)               asked on the terminal, twice, not shown (empty: generate one);
                          without a terminal a password is generated and printed once
  --password-stdin        the first line of standard input
  --password-env NAME     the environment variable NAME (e.g. ADMIN_PASSWORD)
  --generate-password     generate one and print it once`;

function fail(message: string, code = 2): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

const [group, verb, ...rest] = process.argv.slice(2);
let values: ReturnType<typeof parse>["values"];
function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      email: { type: "string" },
      // Recognised only to be refused with the reason (choosePassword), not used.
      password: { type: "string" },
      "password-stdin": { type: "boolean" },
      "password-env": { type: "string" },
      "generate-password": { type: "boolean" },
      role: { type: "string" },
      reseller: { type: "string" },
      name: { type: "string" },
      "expires-days": { type: "string" },
    },
    strict: true,
  });
}
try {
  values = parse(rest).values;
} catch (error) {
  console.error(usage);
  fail((error as Error).message);
}

const commands = ["user create", "user reset-password", "user list", "token create"];
if (!commands.includes(`${group} ${verb}`)) {
  console.error(usage);
  process.exit(group === "help" || group === "--help" ? 0 : 2);
}
const setsPassword = group === "user" && (verb === "create" || verb === "reset-password");
if (!setsPassword && (values.password !== undefined || values["password-stdin"] || values["password-env"] !== undefined || values["generate-password"])) {
  fail(`${group ?? ""} ${verb ?? ""} takes no password`.replace(/\s+/g, " "));
}
// The password is settled before the database is touched: a refusal changes nothing.
let choice: PasswordChoice = { kind: "generate" };
if (setsPassword) {
  try {
    choice = await choosePassword(values);
  } catch (error) {
    if (error instanceof PasswordSourceError) fail(error.message);
    throw error;
  }
}
const given = choice.kind === "given" ? choice.password : undefined;

generateClients();
const { createDb } = await import("@/lib/db/client");
const { migrate } = await import("@/lib/db/migrate");
const { AppError } = await import("@/lib/errors");
const { cliActor } = await import("@/lib/server/actor");
const { createUser } = await import("@/lib/server/users/create-user");
const { resetPassword } = await import("@/lib/server/users/set-password");
const { createApiToken } = await import("@/lib/server/api-tokens/api-tokens");

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
    const created = await createUser(db, operator, { email: need("email"), role: need("role").toUpperCase(), password: given, resellerId: reseller?.id });
    console.log(`created ${created.user.role.toLowerCase()} ${created.user.email}`);
    if (created.generatedPassword) console.log(`password: ${created.generatedPassword}`);
  } else if (group === "user" && verb === "reset-password") {
    const user = await userByEmail(need("email"));
    const password = await resetPassword(db, operator, user.id, given);
    console.log(`password of ${user.email} reset; existing sessions end`);
    if (given === undefined) console.log(`password: ${password}`);
  } else if (group === "user" && verb === "list") {
    for (const u of await db.user.findMany({ orderBy: { createdAt: "asc" } })) console.log(`${u.role.padEnd(9)} ${u.status.padEnd(9)} ${u.email}`);
  } else {
    // token create
    const user = await userByEmail(need("email"));
    const days = values["expires-days"] ? Number(values["expires-days"]) : undefined;
    const created = await createApiToken(db, cliActor(user.id, user.role), { name: need("name"), expiresInDays: days });
    console.log(`token "${values.name}" for ${user.email} (shown once):`);
    console.log(created.token);
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
