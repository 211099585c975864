/**
 * What a crafted request puts into a field or a body: path tricks, NUL and control
 * characters, unicode, 10 kB strings, shell syntax, numbers at and beyond every bound
 * (2^53, negative, floats, NaN and sizes as strings), bad addresses and prefixes, wrong
 * types, deep nesting and prototype keys.
 */

/** Deeply nested arrays (`[[[…]]]`). */
export function deepArray(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Deeply nested objects (`{"a":{"a":…}}`). */
export function deepObject(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Hostile strings. */
export const hostileStrings: readonly string[] = [
  "",
  " ",
  "a/b",
  "../etc",
  "..",
  ".",
  "/",
  "/etc/passwd",
  "x\u0000y",
  "\u0000",
  "ü",
  "名前",
  "😀",
  "a\u202eb",
  "A".repeat(10_000),
  "a".repeat(32),
  "a".repeat(31),
  "a\n",
  "-a",
  "a-",
  "Upper",
  "$(reboot)",
  "`id`",
  "; rm -rf /",
  "%2e%2e%2f",
  "..\\..\\",
  "\r\n",
  "null",
  "NaN",
  "-1",
  "9007199254740992",
  "1e400",
  "0x10",
  "true",
  "999.1.1.1",
  "1.2.3",
  "1.2.3.4/24",
  "::g",
  "fe80::1%eth0",
  "::ffff:1.2.3.4",
  "00",
  "1.2.3.4 ",
  "__proto__",
  "constructor",
];

/** Hostile numbers (all finite: JSON has no NaN or Infinity; those come as raw bodies). */
export const hostileNumbers: readonly number[] = [
  -1,
  0,
  1.5,
  0.1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  Number.MIN_VALUE,
  65536,
  49152,
  129,
  33,
  -129,
  4 * 1024 * 1024 + 1,
  600_001,
  3_600_001,
];

/** Values of the wrong type for any field. */
export const hostileTypes: readonly unknown[] = [null, true, false, [], {}, [[]], { a: 1 }, "1", 1, [1, 2, 3], ["a", "b"], deepArray(2000), deepObject(2000)];

/** Whole bodies that are not the JSON object an operation takes. */
export const hostileBodies: readonly string[] = [
  "{",
  "}",
  "[]",
  "null",
  "1",
  '"x"',
  "true",
  '{"name":',
  '{"name": NaN}',
  '{"name": Infinity}',
  '{"timeoutSec": -Infinity}',
  "\u0000",
  "\u00ff\u00fe",
  '{"a":1}{"b":2}',
  "\ufeff{}",
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  "[".repeat(100_000) + "]".repeat(100_000),
  '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000),
  "{'name':'x'}",
  "name=x",
  "<xml/>",
];
