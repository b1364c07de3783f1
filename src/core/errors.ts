import { plainText, type RichText } from './rich-text';

/**
 * Errors with codes. Platform failures are translated by each adapter into PlatformError, so the
 * core (and the scheduler's retry policy) never needs to know what the platform said.
 */
export type PlatformErrorCode = 'RATE_LIMITED' | 'AUTH' | 'NOT_FOUND' | 'PERMISSION' | 'UNAVAILABLE' | 'INVALID';

export class PlatformError extends Error {
  override readonly name = 'PlatformError';

  constructor(
    readonly code: PlatformErrorCode,
    message: string,
    readonly options: {
      /** The platform's own error string, e.g. `channel_not_found`. */
      readonly platformCode?: string;
      /** When the platform said to try again (Retry-After). */
      readonly retryAfterMs?: number;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Worth trying again later: rate limits and outages, not a missing channel or a bad token. */
  get retryable(): boolean {
    return this.code === 'RATE_LIMITED' || this.code === 'UNAVAILABLE';
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }

  get platformCode(): string | undefined {
    return this.options.platformCode;
  }
}

/**
 * Something a person did that Steady refuses, with what to tell them: what is wrong and how to put
 * it right. Rich text, so the people it names (who may do it instead) show as mentions. Thrown by
 * workflows; the dispatcher answers it privately, once, for every workflow.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(readonly text: RichText) {
    super(plainText(text));
  }

  /** The refusal as plain text: for logs and for records that keep text only. */
  get userMessage(): string {
    return this.message;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
