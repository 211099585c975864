/**
 * README.md shows each benchmark's latest results between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->`, copied from bench/results/NAME.md (without its title line) by
 * `npm run bench:readme`, never typed: a figure in the README is always one a run wrote.
 */

const BLOCK = /<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g;

/** What README.md shows of a results file: all of it but the title line. */
export function readmeBlock(results: string): string {
  return results.replace(/^# .*\n+/, "");
}

/** The blocks of a README, by benchmark name, with their content. */
export function benchBlocks(readme: string): Map<string, string> {
  return new Map([...readme.matchAll(BLOCK)].map((m) => [m[1]!, m[2]!]));
}

/**
 * The README with every block filled from `results` (name → results file text). Throws,
 * naming them, when a results file has no block or a block no results file: the first
 * would leave figures out of the README, the second keep old ones in it.
 */
export function fillBenchBlocks(readme: string, results: Map<string, string>): string {
  const blocks = benchBlocks(readme);
  const noBlock = [...results.keys()].filter((n) => !blocks.has(n));
  const noFile = [...blocks.keys()].filter((n) => !results.has(n));
  const problems = [
    ...noBlock.map((n) => `bench/results/${n}.md has no block in README.md (add <!-- bench:${n} --> and <!-- /bench:${n} --> where it belongs)`),
    ...noFile.map((n) => `README.md has a block for ${n} but there is no bench/results/${n}.md (run BENCH_ONLY=${n} npm run bench)`),
  ];
  if (problems.length) throw new Error(problems.join("\n"));
  return readme.replace(BLOCK, (_, name: string) => `<!-- bench:${name} -->\n${readmeBlock(results.get(name)!)}<!-- /bench:${name} -->`);
}
