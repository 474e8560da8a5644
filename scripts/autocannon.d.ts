// The part of autocannon's programmatic API that scripts/bench-web uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    duration?: number
    headers?: Record<string, string>
    /** Requests a second across all connections. */
    overallRate?: number
  }
  interface Result {
    requests: { total: number; average: number }
    non2xx: number
    errors: number
    timeouts: number
  }
  interface Instance extends PromiseLike<Result> {
    on(
      event: 'response',
      listener: (
        client: unknown,
        statusCode: number,
        resBytes: number,
        responseTimeMs: number
      ) => void
    ): this
  }
  function autocannon(options: Options): Instance
  export default autocannon
}
