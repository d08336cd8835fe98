// Wrong passcodes, counted per client address over a sliding window: after `maxFailures` within
// `windowMs`, that address is refused until its oldest failure leaves the window. Only failures
// count, so people who know the passcode are never slowed down.
export class AttemptLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 5,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    /** Above this many tracked addresses, stale ones are swept (bounds memory under a spray of addresses). */
    private readonly sweepAbove = 10_000,
  ) {}

  /** Milliseconds until this address may try again; 0 when it may try now. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures] + this.windowMs - this.now();
  }

  recordFailure(address: string): void {
    this.failures.set(address, [...this.recent(address), this.now()]);
    if (this.failures.size > this.sweepAbove) for (const key of [...this.failures.keys()]) this.recent(key);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (kept.length) this.failures.set(address, kept);
    else this.failures.delete(address);
    return kept;
  }
}
