/** Parsing of sizes, rates, CPU fractions and counts typed by admins and customers. */
export { parseSize, parseRate, formatSize, unlimitedWords } from "./size";
export { parseCpuFraction, parseCount } from "./count";
