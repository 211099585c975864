/**
 * The QR encoder: sizes by version, the fixed patterns where the standard puts them,
 * format information that decodes to level M and the chosen mask (both copies), the
 * Reed–Solomon arithmetic, and — where zbarimg (zbar-tools) is installed — a real
 * decoder reading back an otpauth URI, long text and UTF-8 from rendered images.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { alignmentPositions, formatBits, qrMatrix, qrSvgPath, rsDivisor, rsRemainder } from "./totp-qr";
import { otpauthUri } from "./totp";

function finderAt(m: boolean[][], x0: number, y0: number): boolean {
  for (let y = 0; y < 7; y++) {
    for (let x = 0; x < 7; x++) {
      const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
      if (m[y0 + y]![x0 + x] !== (ring !== 2)) return false;
    }
  }
  return true;
}

function readFormat(m: boolean[][]): { first: number; second: number } {
  const size = m.length;
  const bit = (x: number, y: number) => (m[y]![x] ? 1 : 0);
  let first = 0;
  let second = 0;
  const firstCoords: [number, number][] = [];
  for (let i = 0; i <= 5; i++) firstCoords.push([8, i]);
  firstCoords.push([8, 7], [8, 8], [7, 8]);
  for (let i = 9; i < 15; i++) firstCoords.push([14 - i, 8]);
  firstCoords.forEach(([x, y], i) => (first |= bit(x, y) << i));
  for (let i = 0; i < 8; i++) second |= bit(size - 1 - i, 8) << i;
  for (let i = 8; i < 15; i++) second |= bit(8, size - 15 + i) << i;
  return { first, second };
}

test("the version grows with the text: 21 modules for a word, more for an otpauth URI", () => {
  assert.equal(qrMatrix("hello").length, 21);
  const uri = otpauthUri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "someone@example.com", "VServer Panel");
  const m = qrMatrix(uri);
  assert.equal((m.length - 17) % 4, 0);
  assert.ok(m.length >= 41 && m.length <= 57, `size ${m.length}`);
  assert.throws(() => qrMatrix("x".repeat(3000)), /too much data/);
});

test("finder, timing and alignment patterns and the dark module are in place", () => {
  const m = qrMatrix(otpauthUri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "x@example.com", "VServer Panel"));
  const size = m.length;
  assert.ok(finderAt(m, 0, 0) && finderAt(m, size - 7, 0) && finderAt(m, 0, size - 7));
  for (let i = 8; i < size - 8; i++) {
    assert.equal(m[6]![i], i % 2 === 0, `timing row at ${i}`);
    assert.equal(m[i]![6], i % 2 === 0, `timing column at ${i}`);
  }
  assert.equal(m[size - 8]![8], true);
  const version = (size - 17) / 4;
  const pos = alignmentPositions(version);
  const last = pos[pos.length - 1]!;
  assert.equal(m[last]![last], true, "alignment centre");
  assert.equal(m[last - 1]![last], false, "alignment ring");
  assert.deepEqual(alignmentPositions(7), [6, 22, 38]);
  assert.deepEqual(alignmentPositions(32), [6, 34, 60, 86, 112, 138]);
});

test("both copies of the format information say level M and a valid mask", () => {
  const valid = new Map(Array.from({ length: 8 }, (_, mask) => [formatBits(mask), mask]));
  assert.equal(formatBits(0), 0b101010000010010, "level M, mask 0 (the standard's table)");
  for (const text of ["a", "otpauth://totp/x", "ünïcødé ✓", "0".repeat(300)]) {
    const { first, second } = readFormat(qrMatrix(text));
    assert.equal(first, second);
    assert.ok(valid.has(first), `format ${first.toString(2)}`);
  }
});

test("Reed–Solomon gives the check bytes of the standard's worked example ('HELLO WORLD', version 1-M)", () => {
  // The data codewords of "HELLO WORLD" in alphanumeric mode, level M, and their 10 check bytes.
  const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
  assert.deepEqual(rsRemainder(data, rsDivisor(10)), [196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
});

test("the SVG path has one square per dark module, inside the quiet zone", () => {
  const m = qrMatrix("hello");
  const path = qrSvgPath(m);
  assert.equal(path.split("M").length - 1, m.flat().filter(Boolean).length);
  assert.ok(path.startsWith("M4 4h1v1h-1z"), "top-left finder corner at the quiet zone's edge");
});

const zbar = spawnSync("zbarimg", ["--version"]).status === 0;

test("a real decoder reads the codes back", { skip: zbar ? false : "zbarimg is not installed (apt-get install zbar-tools)" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-qr-"));
  try {
    const texts = [otpauthUri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ann@example.com", "VServer Panel"), "https://example.com/" + "a".repeat(400), "ünïcødé ✓"];
    texts.forEach((text, i) => {
      const m = qrMatrix(text);
      const scale = 4;
      const n = (m.length + 8) * scale;
      const rows: string[] = [];
      for (let y = 0; y < n; y++) {
        const row: string[] = [];
        for (let x = 0; x < n; x++) row.push(m[Math.floor(y / scale) - 4]?.[Math.floor(x / scale) - 4] ? "1" : "0");
        rows.push(row.join(" "));
      }
      const file = path.join(dir, `${i}.pbm`);
      fs.writeFileSync(file, `P1\n${n} ${n}\n${rows.join("\n")}\n`);
      const out = execFileSync("zbarimg", ["-q", "--raw", file], { stdio: ["ignore", "pipe", "ignore"] }).toString().replace(/\n$/, "");
      assert.equal(out, text);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
