/** The part of autocannon's API the panel benchmark uses (the package ships no types). */
declare module "autocannon" {
  interface Histogram {
    p50: number;
    p90: number;
    p99: number;
    average: number;
  }
  interface Result {
    /** totalCount: how many latencies were recorded (the sample count). */
    latency: Histogram & { totalCount: number };
    requests: Histogram;
    errors: number;
    non2xx: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
