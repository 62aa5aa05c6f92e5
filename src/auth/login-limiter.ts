/**
 * Failed-login limits, per account and per client address, counted BEFORE the password is checked:
 * an attempt takes its place in both windows synchronously, so parallel guesses cannot all be
 * judged before the first failure is recorded. Memory is bounded: at most MAX_KEYS keys per map,
 * the least recently touched evicted first, and empty windows dropped.
 */

export const ACCOUNT_LIMIT = 5;
export const CLIENT_LIMIT = 20;
export const WINDOW_MS = 15 * 60_000;
export const MAX_KEYS = 10_000;

class Windows {
  private readonly map = new Map<string, number[]>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.map.size;
  }

  /** Milliseconds until the key may try again, or 0. */
  waitFor(key: string, now: number): number {
    const recent = this.recent(key, now);
    return recent.length >= this.limit ? WINDOW_MS - (now - recent[0]) : 0;
  }

  add(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.map.delete(key);
    this.map.set(key, recent);
    while (this.map.size > MAX_KEYS) this.map.delete(this.map.keys().next().value!);
  }

  /** Takes one attempt back (it succeeded). */
  remove(key: string, at: number): void {
    const list = this.map.get(key);
    if (!list) return;
    const i = list.lastIndexOf(at);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.map.delete(key);
  }

  clear(key: string): void {
    this.map.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.map.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (!list.length) this.map.delete(key);
    return list;
  }
}

export class LoginLimiter {
  private readonly accounts = new Windows(ACCOUNT_LIMIT);
  private readonly clients = new Windows(CLIENT_LIMIT);

  /** Keys held (for the memory bound's test). */
  get size(): number {
    return this.accounts.size + this.clients.size;
  }

  /**
   * Counts an attempt now. Returns the minutes to wait when the account or the address is over its
   * limit (the attempt is then not counted), else a ticket to settle once the password is checked.
   */
  begin(client: string, account: string, now: number): { wait: number } | { ticket: { client: string; account: string; at: number } } {
    const wait = Math.max(this.accounts.waitFor(account, now), this.clients.waitFor(client, now));
    if (wait > 0) return { wait: Math.ceil(wait / 60_000) };
    this.accounts.add(account, now);
    this.clients.add(client, now);
    return { ticket: { client, account, at: now } };
  }

  /** The password was right: this attempt is not a failure, and the account's failures are forgiven. */
  succeeded(t: { client: string; account: string; at: number }): void {
    this.accounts.clear(t.account);
    this.clients.remove(t.client, t.at);
  }
}
