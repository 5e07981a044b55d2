/**
 * An account-level API rate limit on the real clock: a sliding one-second window of admitted requests.
 * Requests past the limit are refused and do not count, as with a token bucket that refills continuously.
 */
const WINDOW_MS = 1000;

export class RateLimiter {
  private limit: number | undefined;
  private admitted: number[] = [];
  private head = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Requests admitted per rolling second; undefined lifts the limit. */
  setLimit(requestsPerSecond: number | undefined): void {
    if (requestsPerSecond !== undefined && !(requestsPerSecond > 0)) {
      throw new RangeError('requestsPerSecond must be positive');
    }
    this.limit = requestsPerSecond;
    this.admitted = [];
    this.head = 0;
  }

  /** True when a request may proceed now (and counts it), false when it must be throttled. */
  tryAdmit(): boolean {
    if (this.limit === undefined) return true;
    const now = this.now();
    while (this.head < this.admitted.length && (this.admitted[this.head] ?? now) <= now - WINDOW_MS) {
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.admitted.length) {
      this.admitted = this.admitted.slice(this.head);
      this.head = 0;
    }
    if (this.admitted.length - this.head >= this.limit) return false;
    this.admitted.push(now);
    return true;
  }
}
