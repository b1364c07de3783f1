import { PlatformError, type PlatformErrorCode } from '../../src/core/errors';

/**
 * Slack Web API failures as the core's PlatformError, so the scheduler knows what to retry (rate
 * limits, outages) and what to give up on at once (a channel that is gone, a missing scope).
 * https://docs.slack.dev/reference/methods lists each method's error strings.
 */
const BY_SLACK_ERROR: Readonly<Record<string, PlatformErrorCode>> = {
  ratelimited: 'RATE_LIMITED',
  rate_limited: 'RATE_LIMITED',
  message_limit_exceeded: 'RATE_LIMITED',

  channel_not_found: 'NOT_FOUND',
  user_not_found: 'NOT_FOUND',
  users_not_found: 'NOT_FOUND',
  account_inactive: 'NOT_FOUND',
  message_not_found: 'NOT_FOUND',
  thread_not_found: 'NOT_FOUND',
  is_archived: 'NOT_FOUND',
  team_not_found: 'NOT_FOUND',

  not_in_channel: 'PERMISSION',
  missing_scope: 'PERMISSION',
  restricted_action: 'PERMISSION',
  restricted_action_read_only_channel: 'PERMISSION',
  restricted_action_thread_only_channel: 'PERMISSION',
  restricted_action_non_threadable_channel: 'PERMISSION',
  cant_update_message: 'PERMISSION',
  edit_window_closed: 'PERMISSION',
  cannot_dm_bot: 'PERMISSION',
  user_disabled: 'PERMISSION',
  ekm_access_denied: 'PERMISSION',
  team_access_not_granted: 'PERMISSION',
  access_denied: 'PERMISSION',
  no_permission: 'PERMISSION',
  not_allowed_token_type: 'PERMISSION',

  invalid_auth: 'AUTH',
  not_authed: 'AUTH',
  token_revoked: 'AUTH',
  token_expired: 'AUTH',
  app_uninstalled: 'AUTH',

  internal_error: 'UNAVAILABLE',
  fatal_error: 'UNAVAILABLE',
  service_unavailable: 'UNAVAILABLE',
  request_timeout: 'UNAVAILABLE',
};

/**
 * Slack answered `ok: false`: its error string says what is wrong. `method` names the call in the
 * message (never its arguments: they may hold what people wrote).
 */
export function slackFailure(method: string, answer: unknown): PlatformError {
  const parsed = (typeof answer === 'object' && answer !== null ? answer : {}) as {
    error?: unknown;
    response_metadata?: { retryAfter?: unknown };
  };
  const slackError = typeof parsed.error === 'string' && parsed.error ? parsed.error : 'unknown_error';
  const code = BY_SLACK_ERROR[slackError] ?? 'INVALID';
  const retryAfter = parsed.response_metadata?.retryAfter;
  return new PlatformError(code, `Slack ${method}: ${slackError}`, {
    platformCode: slackError,
    ...(typeof retryAfter === 'number' ? { retryAfterMs: retryAfter * 1000 } : {}),
  });
}

/** Slack answered with an HTTP status other than 200 (a 429 is read before this). */
export function httpFailure(method: string, status: number): PlatformError {
  const code: PlatformErrorCode = status >= 500 || status === 408 ? 'UNAVAILABLE' : status === 401 || status === 403 ? 'AUTH' : 'INVALID';
  return new PlatformError(code, `Slack ${method}: HTTP ${status}`, { platformCode: `http_${status}` });
}
