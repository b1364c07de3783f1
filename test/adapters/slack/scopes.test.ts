import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { BOT_EVENTS, METHOD_SCOPES } from '../../../adapters/slack/app-config';

/**
 * The manifest asks for exactly the bot scopes that the Web API methods the adapter calls, the
 * events it listens to and its slash commands need: an unused scope (a workspace admin asked to
 * grant more than Steady uses) or a missing one (a call that fails with missing_scope) fails here.
 * The methods are read from the adapter's source, not from a list kept by hand; the scopes each
 * needs are Slack's (https://api.slack.com/methods), written down once in this test.
 */
const SCOPES_OF_METHOD: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'oauth.v2.access': [],
  'apps.uninstall': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  'conversations.open': ['im:write'],
  // Steady reads history in public and private channels and in its direct conversations.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'users.info': ['users:read'],
  'users.list': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'team.info': ['team:read'],
  'views.open': [],
  'views.update': [],
  'views.push': [],
  'views.publish': [],
  'reactions.add': ['reactions:write'],
};

const SCOPES_OF_EVENT: Readonly<Record<string, readonly string[]>> = {
  app_home_opened: [],
  'message.im': ['im:history'],
  app_uninstalled: [],
  tokens_revoked: [],
};

/** The first part of every Slack Web API method name. */
const FAMILIES =
  'admin|api|apps|assistant|auth|bookmarks|bots|calls|canvases|chat|conversations|dialog|dnd|emoji|files|functions|migration|oauth|openid|pins|reactions|reminders|rtm|search|stars|team|tooling|usergroups|users|views|workflows';
const QUOTED_METHOD = new RegExp(`['"\`]((?:${FAMILIES})(?:\\.[a-zA-Z0-9]+)+)['"\`]`, 'g');
const CLIENT_CALL = new RegExp(`\\bclient\\.((?:${FAMILIES})(?:\\.[a-zA-Z0-9]+)+)\\(`, 'g');

const root = join(__dirname, '..', '..', '..');
const adapterDir = join(root, 'adapters', 'slack');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every Web API method named in the adapter's code, with the files that name it. */
function calledMethods(): Map<string, string[]> {
  const methods = new Map<string, string[]>();
  for (const file of sourceFiles(adapterDir)) {
    // app-config.ts is the adapter's own description of its calls, checked below, not a call.
    if (file.endsWith('app-config.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const pattern of [QUOTED_METHOD, CLIENT_CALL]) {
      for (const match of text.matchAll(pattern)) methods.set(match[1]!, [...(methods.get(match[1]!) ?? []), relative(root, file)]);
    }
  }
  return methods;
}

const manifest = parse(readFileSync(join(root, 'manifests', 'slack', 'manifest.yaml'), 'utf8'));

describe("the Slack manifest's scopes and the calls the adapter makes", () => {
  const methods = calledMethods();

  test("the adapter's calls are found in its code (the scan works)", () => {
    expect([...methods.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'users.info', 'conversations.open', 'auth.test']));
  });

  test('every method the adapter calls has its scopes written down in this test', () => {
    const unknown = [...methods]
      .filter(([method]) => !(method in SCOPES_OF_METHOD))
      .map(([method, files]) => `${method} (${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  test('the manifest asks for exactly the scopes of those methods, the events and the commands', () => {
    const events: readonly string[] = manifest.settings.event_subscriptions.bot_events;
    expect(events.filter((e) => !(e in SCOPES_OF_EVENT))).toEqual([]);
    const needed = new Set<string>(['commands']);
    for (const method of methods.keys()) for (const scope of SCOPES_OF_METHOD[method] ?? []) needed.add(scope);
    for (const event of events) for (const scope of SCOPES_OF_EVENT[event] ?? []) needed.add(scope);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  test("the adapter's own table of calls (adapters/slack/app-config.ts) lists the same methods and events", () => {
    expect(Object.keys(METHOD_SCOPES).sort()).toEqual([...methods.keys()].sort());
    expect([...BOT_EVENTS].sort()).toEqual([...manifest.settings.event_subscriptions.bot_events].sort());
  });
});
