/**
 * What a user sends to set a PTR record: one of the server's addresses (any address
 * inside an assigned IPv6 prefix) and a host name, or null to remove the record. Host
 * names follow RFC 1123: labels of letters, digits and inner hyphens, 1–63 characters
 * each, 253 in all, at least two labels, and a last label that is not all digits.
 */
import { z } from "zod";
import { canonicalAddress } from "@/lib/net/cidr";

/** Why `name` is not a host name, or null when it is one. */
export function hostNameProblem(name: string): string | null {
  if (name.length > 253) return "is longer than 253 characters";
  const labels = name.split(".");
  if (labels.length < 2) return "needs at least two labels, such as mail.example.com";
  for (const label of labels) {
    if (label === "") return "has an empty label (two dots in a row, or a leading dot)";
    if (label.length > 63) return `has a label longer than 63 characters (${label.slice(0, 20)}…)`;
    if (!/^[a-z0-9-]+$/.test(label)) return `has a label with characters other than letters, digits and hyphens (${label})`;
    if (label.startsWith("-") || label.endsWith("-")) return `has a label that starts or ends with a hyphen (${label})`;
  }
  if (/^\d+$/.test(labels.at(-1)!)) return "ends in an all-digit label (that is an address, not a host name)";
  return null;
}

/** The input: `address` canonical, `name` lower-case without the trailing dot (null removes). */
export const ptrInput = z
  .object({
    address: z
      .string()
      .trim()
      .max(45)
      .transform((v, ctx) => {
        const c = canonicalAddress(v);
        if (!c) {
          ctx.addIssue({ code: "custom", message: "is not an IPv4 or IPv6 address" });
          return z.NEVER;
        }
        return c;
      }),
    name: z
      .string()
      .trim()
      .max(300)
      .nullable()
      .transform((v, ctx) => {
        if (v === null || v === "") return null;
        const name = v.toLowerCase().replace(/\.$/, "");
        const problem = hostNameProblem(name);
        if (problem) {
          ctx.addIssue({ code: "custom", message: `is not a valid host name: it ${problem}` });
          return z.NEVER;
        }
        return name;
      }),
  })
  .strict();

/** Parsed {@link ptrInput}. */
export type PtrInput = z.output<typeof ptrInput>;
