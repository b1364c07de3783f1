import { webApi } from '@slack/bolt';
import { PlatformError, errorMessage, type PlatformErrorCode } from '../../src/core/errors';

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

/** `method` names the call in the message (never its arguments: they may hold what people wrote). */
export function toPlatformError(err: unknown, method: string): PlatformError {
  if (err instanceof PlatformError) return err;
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new PlatformError('RATE_LIMITED', `Slack ${method}: rate limited for ${err.retryAfter} s`, {
      platformCode: 'ratelimited',
      retryAfterMs: err.retryAfter * 1000,
      cause: err,
    });
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const slackError = err.data.error;
    const code = BY_SLACK_ERROR[slackError] ?? 'INVALID';
    const retryAfter = err.data.response_metadata?.retryAfter;
    return new PlatformError(code, `Slack ${method}: ${slackError}`, {
      platformCode: slackError,
      ...(typeof retryAfter === 'number' ? { retryAfterMs: retryAfter * 1000 } : {}),
      cause: err,
    });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const code: PlatformErrorCode = err.statusCode >= 500 || err.statusCode === 408 ? 'UNAVAILABLE' : err.statusCode === 401 || err.statusCode === 403 ? 'AUTH' : 'INVALID';
    return new PlatformError(code, `Slack ${method}: HTTP ${err.statusCode}`, { platformCode: `http_${err.statusCode}`, cause: err });
  }
  if (err instanceof webApi.WebAPIRequestError) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is its cause.
    const reason = (err.original as { cause?: { code?: string; message?: string } }).cause;
    const detail = reason ? ` (${reason.code ?? reason.message ?? 'unknown'})` : '';
    return new PlatformError('UNAVAILABLE', `Slack ${method}: ${errorMessage(err.original)}${detail}`, { cause: err });
  }
  return new PlatformError('UNAVAILABLE', `Slack ${method}: ${errorMessage(err)}`, { cause: err });
}
