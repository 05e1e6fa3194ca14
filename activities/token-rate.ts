import type { Database } from '../db';

/** Tokens reserved in one tier's minute: adjusted to what the call really used once it answered. */
export interface TokenReservation {
  /** Puts the difference between the reservation and `used` right (never below nothing). */
  settle(used: number): Promise<void>;
}

/** The tier's minute is spent: try again after `retryAfterMs` (the next minute, on the database's clock). */
export interface TokensSpent {
  spent: true;
  retryAfterMs: number;
  limit: number;
}

/**
 * A tokens-per-minute budget per model tier, shared by every worker through Docket's database: a call
 * reserves its tokens in the current minute (on the database's clock, so workers' clocks do not matter)
 * and is refused when the minute cannot hold them. Minutes are fixed windows, as providers count them;
 * a call bigger than the whole budget still goes when its minute is otherwise empty, so it cannot wait
 * forever.
 */
export class TokenRateLimiter {
  constructor(private readonly db: Database) {}

  async reserve(tier: string, tokens: number, limit: number): Promise<TokenReservation | TokensSpent> {
    const { rows } = await this.db.query<{ window_start: Date; opened: boolean }>(
      `INSERT INTO model_token_windows (tier, window_start, tokens)
       VALUES ($1, date_trunc('minute', now()), $2)
       ON CONFLICT (tier, window_start) DO UPDATE SET tokens = model_token_windows.tokens + EXCLUDED.tokens
         WHERE model_token_windows.tokens + EXCLUDED.tokens <= $3 OR model_token_windows.tokens = 0
       RETURNING window_start, (xmax = 0) AS opened`,
      [tier, tokens, limit],
    );
    if (!rows[0]) {
      const { rows: clock } = await this.db.query<{ ms: string }>(
        `SELECT ceil(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now()) * 1000) AS ms`,
      );
      return { spent: true, retryAfterMs: Math.max(1, Number(clock[0].ms)), limit };
    }
    const windowStart = rows[0].window_start;
    // The first call of a minute clears out minutes long past.
    if (rows[0].opened) await this.prune();
    return {
      settle: async (used) => {
        if (used === tokens) return;
        await this.db.query(
          `UPDATE model_token_windows SET tokens = GREATEST(0, tokens + $3)
            WHERE tier = $1 AND window_start = $2`,
          [tier, windowStart, used - tokens],
        );
      },
    };
  }

  private async prune(): Promise<void> {
    await this.db.query(`DELETE FROM model_token_windows WHERE window_start < now() - interval '1 hour'`);
  }
}
