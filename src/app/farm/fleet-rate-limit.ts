/**
 * Per source address limits for the fleet API, which listens on the LAN: a token bucket for all
 * requests and a separate, small budget for refused credentials, so guessing pairing secrets or
 * machine keys from one address stops after a few tries. Memory is bounded: at most `maxSources`
 * addresses are remembered, the least recently seen forgotten first.
 */
export interface RateLimitOptions {
  /** Requests an address may make at once, and per minute in the long run. */
  burst: number;
  perMinute: number;
  /** Refused credentials an address may present per `failureWindowMs` before it is turned away. */
  failures: number;
  failureWindowMs: number;
  maxSources: number;
}

// A member beats every 15 s and switches now and then: 600/min is far above it, and far below what
// keeps the controller busy. Keys and pairing secrets are 256-bit, so the failure budget is about load.
export const FLEET_RATE_LIMITS: RateLimitOptions = { burst: 60, perMinute: 600, failures: 20, failureWindowMs: 10 * 60_000, maxSources: 4096 };

interface Source {
  tokens: number;
  at: number;
  failures: number[];
}

export class SourceRateLimiter {
  private readonly sources = new Map<string, Source>();

  constructor(
    private readonly o: RateLimitOptions = FLEET_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before `address` may ask again, or 0 when this request may go on (it is counted). */
  take(address: string): number {
    const s = this.source(address);
    const t = this.now();
    s.failures = s.failures.filter((f) => t - f < this.o.failureWindowMs);
    if (s.failures.length >= this.o.failures) return Math.ceil((s.failures[0]! + this.o.failureWindowMs - t) / 1000);
    s.tokens = Math.min(this.o.burst, s.tokens + ((t - s.at) / 60_000) * this.o.perMinute);
    s.at = t;
    if (s.tokens < 1) return Math.ceil(((1 - s.tokens) * 60) / this.o.perMinute);
    s.tokens -= 1;
    return 0;
  }

  /** A refused credential from `address`. */
  failed(address: string): void {
    this.source(address).failures.push(this.now());
  }

  get size(): number {
    return this.sources.size;
  }

  private source(address: string): Source {
    let s = this.sources.get(address);
    if (s) {
      // Re-inserted: Map order is then least recently seen first.
      this.sources.delete(address);
    } else {
      s = { tokens: this.o.burst, at: this.now(), failures: [] };
      while (this.sources.size >= this.o.maxSources) this.sources.delete(this.sources.keys().next().value!);
    }
    this.sources.set(address, s);
    return s;
  }
}
