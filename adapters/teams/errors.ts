import { PlatformError, errorMessage, type PlatformErrorCode } from '../../src/core/errors';

/**
 * Bot Framework connector failures as the core's PlatformError. Microsoft asks bots to retry 429
 * (honouring Retry-After) and 412, 500, 502, 503, 504 with backoff; the durable scheduler does that,
 * so the SDK's own retries are switched off (see connector.ts).
 */
interface RestErrorLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

const RETRYABLE_STATUS = new Set([408, 412, 500, 502, 503, 504]);

export function toPlatformError(err: unknown, operation: string, now: Date): PlatformError {
  if (err instanceof PlatformError) return err;
  const rest = (typeof err === 'object' && err !== null ? err : {}) as RestErrorLike;
  const status = typeof rest.statusCode === 'number' ? rest.statusCode : undefined;
  const retryAfterMs = parseRetryAfter(rest.response?.headers?.get('retry-after'), now);
  const detail = errorMessage(err).slice(0, 300);
  const code = codeFor(status);
  const what =
    status === undefined ? `could not reach Teams (${rest.code ?? detail})` : `Teams answered ${status}${rest.code ? ` ${rest.code}` : ''}`;
  return new PlatformError(code, `${operation}: ${what}`, {
    ...(status === undefined ? (rest.code ? { platformCode: rest.code } : {}) : { platformCode: String(status) }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: err,
  });
}

function codeFor(status: number | undefined): PlatformErrorCode {
  if (status === undefined) return 'UNAVAILABLE';
  if (status === 429) return 'RATE_LIMITED';
  if (RETRYABLE_STATUS.has(status) || status >= 500) return 'UNAVAILABLE';
  if (status === 401) return 'AUTH';
  if (status === 403) return 'PERMISSION';
  if (status === 404) return 'NOT_FOUND';
  return 'INVALID';
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
