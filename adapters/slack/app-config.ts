/**
 * What the Slack app must be configured with, in one place: the manifest
 * (manifests/slack/manifest.yaml) is checked against it by a test.
 */

/** Slack posts Events API requests, slash commands and interactivity here. */
export const EVENTS_PATH = '/slack/events';

/** The slash commands the manifest declares. The adapter routes any command to the core alike. */
export const SLACK_COMMANDS = ['escalate', 'standup', 'handoff', 'steady'] as const;

/** Bot events the adapter listens to (the last two: Steady was removed, its tokens must go). */
export const BOT_EVENTS = ['app_home_opened', 'message.im', 'app_uninstalled', 'tokens_revoked'] as const;

/** OAuth distribution: where Slack sends the person back after they approve an install. */
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Each Web API method the adapter calls, with the bot scope it needs (auth.test and the views.*
 * methods need none). The manifest asks for exactly these scopes, plus `commands`.
 */
export const METHOD_SCOPES: Readonly<Record<string, string | null>> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
  'views.open': null,
  'views.publish': null,
};

/** Scopes the app needs besides those of its Web API calls. */
export const OTHER_SCOPES: Readonly<Record<string, string>> = {
  commands: 'slash commands',
  'im:history': 'the message.im event: answers people send the bot in its DM; conversations.history there',
  'groups:history': 'conversations.history in private channels, to find a post whose delivery ended in doubt',
};

export function requiredScopes(): string[] {
  const fromMethods = Object.values(METHOD_SCOPES).filter((s): s is string => s !== null);
  return [...new Set([...fromMethods, ...Object.keys(OTHER_SCOPES)])].sort();
}
