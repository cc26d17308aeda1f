/**
 * Capacity: DynamoDB's unit arithmetic, and the provisioned-throughput token buckets that throttle.
 *
 * Units (REFERENCE.md, Developer Guide "Read/write capacity mode"):
 *   read   1 per 4 KB, strongly consistent; half for eventually consistent; double in a transaction.
 *          Query and Scan sum the items read and round once; a read of a missing item still costs.
 *   write  1 per 1 KB of the larger of the old and new item; double in a transaction.
 */
/** A provisioned table banks unused capacity for this long, and may burst on it. */
export const BURST_SECONDS = 300;

export function readUnits(bytes: number, consistent: unknown, transactional = false): number {
  const blocks = Math.max(1, Math.ceil(bytes / 4096));
  return (consistent === true ? blocks : blocks / 2) * (transactional ? 2 : 1);
}

export function writeUnits(oldBytes: number, newBytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(Math.max(oldBytes, newBytes) / 1024)) * (transactional ? 2 : 1);
}

/**
 * One provisioned rate (read or write units per second) with its burst bank. DynamoDB admits a
 * request while the bank holds capacity and charges what it consumed afterwards, so one large
 * read can drive the balance below zero; later requests wait for it to refill.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private rate: number,
    now: number,
  ) {
    this.tokens = rate * BURST_SECONDS;
    this.at = now;
  }

  /** A new provisioned rate (UpdateTable); the bank keeps what it holds, up to the new ceiling. */
  setRate(rate: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.tokens = Math.min(this.tokens, rate * BURST_SECONDS);
  }

  admits(now: number): boolean {
    this.refill(now);
    return this.tokens > 0;
  }

  charge(units: number, now: number): void {
    this.refill(now);
    this.tokens -= units;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.rate * BURST_SECONDS, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
  }
}
