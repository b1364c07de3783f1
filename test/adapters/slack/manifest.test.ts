import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BOT_EVENTS, EVENTS_PATH, OAUTH_REDIRECT_PATH, SLACK_COMMANDS, requiredScopes } from '../../../adapters/slack/app-config';
import { FakeClock } from '../../../src/core/clock';
import { Platforms } from '../../../src/core/platform';
import { createSteady } from '../../../src/steady';
import { silentLog } from '../../support/database';
import type { Db } from '../../../db/schema';

const manifestPath = join(__dirname, '..', '..', '..', 'manifests', 'slack', 'manifest.yaml');
const manifest = parse(readFileSync(manifestPath, 'utf8'));
const URL = `https://YOUR-HOST${EVENTS_PATH}`;

describe('the Slack app manifest', () => {
  test('declares the commands the adapter serves, all at /slack/events, with mentions escaped', () => {
    const commands = manifest.features.slash_commands as { command: string; url: string; should_escape: boolean; description: string }[];
    expect(commands.map((c) => c.command)).toEqual(SLACK_COMMANDS.map((c) => `/${c}`));
    for (const c of commands) {
      expect(c.url).toBe(URL);
      expect(c.should_escape).toBe(true);
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
  });

  test('every command a workflow answers is declared (nothing a workflow offers is unreachable)', () => {
    // Building the workflows only wires them; nothing is asked of the database.
    const steady = createSteady({ db: {} as Db, clock: new FakeClock('2026-11-30T08:00:00Z'), log: silentLog, platforms: new Platforms() });
    const declared: readonly string[] = SLACK_COMMANDS;
    expect(steady.dispatcher.commandNames().filter((name) => !declared.includes(name))).toEqual([]);
  });

  test("asks for exactly the scopes the adapter's calls and events need", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredScopes());
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  test('subscribes to the bot events the adapter listens to, and sends events and interactivity to /slack/events', () => {
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: URL, bot_events: [...BOT_EVENTS] });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: URL });
  });

  test('sends OAuth installs back to /slack/oauth_redirect, and may be installed org-wide in Enterprise Grid', () => {
    expect(manifest.oauth_config.redirect_urls).toEqual([`https://YOUR-HOST${OAUTH_REDIRECT_PATH}`]);
    expect(manifest.settings.org_deploy_enabled).toBe(true);
  });

  test('has the App Home tab and the messages tab, and Socket Mode off', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.features.bot_user.display_name).toBe('Steady');
  });

  test("fits Slack's rules for the app's texts", () => {
    const info = manifest.display_information;
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description.length).toBeLessThanOrEqual(140);
    expect(info.long_description.length).toBeGreaterThanOrEqual(175);
    expect(info.long_description.length).toBeLessThanOrEqual(4000);
    expect(info.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  });
});
