/**
 * Valid-looking inputs for any operation of the wire contract, made from its zod
 * schema: the walk follows the schema's structure, and each leaf takes a value from a
 * pool of plausible candidates that the leaf's own schema accepts (so no regex or bound
 * is re-implemented here; a new field type just gets fewer valid samples). The fuzzer
 * then mutates these; whether the result is valid is decided by the schema again.
 */
import type { z } from "zod";
import type { Random } from "./random";

/** Names the sampler may put where a server name goes: the real server's and others. */
export interface SampleNames {
  /** The one server that exists on the test host. */
  existing: string;
  /** Valid names that exist nowhere. */
  missing: string[];
}

const numberCandidates = [0, 1, 2, 5, 30, 100, 1000, 65535, 49151, 4 * 1024 * 1024, 16 * 1024 * 1024, 1024 * 1024 * 1024];

function stringCandidates(names: SampleNames): string[] {
  return [
    names.existing,
    ...names.missing,
    "a",
    "fuzz.example.test",
    "example.com",
    "",
    "192.0.2.10",
    "2001:db8::10",
    "password-123",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzz fuzz@test",
    "/bin/true",
    "bookworm",
    "tpl-missing",
    "op-missing",
  ];
}

type Def = { type: string; [key: string]: unknown };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function accepted<T>(schema: z.ZodType, candidates: readonly T[]): T[] {
  return candidates.filter((c) => schema.safeParse(c).success);
}

/** A sample for `schema`; `undefined` means "leave the field out". */
export function sampleInput(schema: z.ZodType, rnd: Random, names: SampleNames, depth = 0): unknown {
  const def = defOf(schema);
  if (depth > 8) return undefined;
  switch (def.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const optional = ["optional", "default"].includes(defOf(field).type);
        if (optional && rnd.chance(0.35)) continue;
        const value = sampleInput(field, rnd, names, depth + 1);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    case "optional":
    case "default":
    case "nullable":
    case "readonly":
    case "catch":
    case "nonoptional":
      return sampleInput(def.innerType as z.ZodType, rnd, names, depth + 1);
    case "pipe":
      return sampleInput(def.in as z.ZodType, rnd, names, depth + 1);
    case "union":
      return sampleInput(rnd.pick(def.options as z.ZodType[]), rnd, names, depth + 1);
    case "array": {
      const count = rnd.int(3);
      const items = Array.from({ length: count }, () => sampleInput(def.element as z.ZodType, rnd, names, depth + 1));
      // Arrays with a minimum length get filled up until the array parses (or give up).
      for (let i = 0; i < 4 && !schema.safeParse(items).success; i++) items.push(sampleInput(def.element as z.ZodType, rnd, names, depth + 1));
      return items;
    }
    case "enum":
      return rnd.pick(Object.values(def.entries as Record<string, string>));
    case "literal":
      return rnd.pick(def.values as unknown[]);
    case "boolean":
      return rnd.chance(0.5);
    case "number":
    case "int": {
      const ok = accepted(schema, numberCandidates);
      return ok.length ? rnd.pick(ok) : 1;
    }
    case "string": {
      const ok = accepted(schema, stringCandidates(names));
      return ok.length ? rnd.pick(ok) : "a";
    }
    default:
      return undefined;
  }
}
