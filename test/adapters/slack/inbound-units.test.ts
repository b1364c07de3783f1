import { PlatformError } from '../../../src/core/errors';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { httpFailure, slackFailure } from '../../../adapters/slack/errors';
import { SlackApi } from '../../../adapters/slack/slack-api';
import { silentLog } from '../../support/database';
import { buttonPressKeys, DOUBLE_CLICK_WINDOW_MS } from '../../../adapters/slack/inbound/idempotency';
import { coreText } from '../../../adapters/slack/inbound/text';
import {
  conversationRef,
  messageRef,
  parseConversation,
  parseMessage,
  teamOf,
  threadRootOf,
  workspaceId,
} from '../../../adapters/slack/refs';

describe('what people type, as the core reads it', () => {
  test('mentions lose their labels, channels become references, links their address, escapes are undone', () => {
    expect(coreText('transfer <@U0BOB|bob> to <#C0OPS|ops> see <https://x.example/a?b=1&amp;c=2|the doc> &lt;3 &amp; more', 'T1')).toBe(
      'transfer <@U0BOB> to <#slack:T1:C0OPS> see https://x.example/a?b=1&c=2 <3 & more',
    );
    expect(coreText('<@U0BOB>', 'T1')).toBe('<@U0BOB>');
  });

  test("only Slack's own mentions of real ids name people and channels; typed look-alikes stay text", () => {
    // People typing "<@nobody_here>" reach Steady escaped; a mention of an id no picker makes is no mention either.
    expect(coreText('reassign ESC-1 &lt;@nobody_here&gt; <@nobody|bob> <@10> <#yesterday|yesterday> &lt;#console:#2&gt;', 'T1')).toBe(
      'reassign ESC-1 <\u200b@nobody_here> @bob @10 #yesterday <\u200b#console:#2>',
    );
    expect(coreText('<@W0GRID> <#G0PRIVATE|secret> <#D0BOB>', 'T1')).toBe('<@W0GRID> <#slack:T1:G0PRIVATE> <#slack:T1:D0BOB>');
  });

  test('broadcasts and user groups are kept as words, never as live pings', () => {
    expect(coreText('<!here> <!channel> <!subteam^S0OPS|@oncall> <mailto:a@b.example|a@b.example>', 'T1')).toBe(
      '@here @channel @oncall a@b.example',
    );
  });
});

describe('references', () => {
  test('workspace, conversation and message references read back; a reply remembers its thread', () => {
    expect(workspaceId('T1')).toBe('slack:T1');
    expect(teamOf('slack:T1')).toBe('T1');
    expect(parseConversation(conversationRef('T1', 'C0OPS'))).toEqual({ teamId: 'T1', channelId: 'C0OPS' });
    const top = messageRef({ teamId: 'T1', channelId: 'C0OPS', ts: '1764489600.000100' });
    expect(top).toBe('slack:T1:C0OPS:1764489600.000100');
    const reply = messageRef({ teamId: 'T1', channelId: 'C0OPS', ts: '1764489601.000200', threadTs: '1764489600.000100' });
    expect(reply).toBe('slack:T1:C0OPS:1764489601.000200:1764489600.000100');
    expect(threadRootOf(parseMessage(reply))).toBe('1764489600.000100');
    expect(threadRootOf(parseMessage(top))).toBe('1764489600.000100');
  });

  test('references of other platforms or malformed ones are refused', () => {
    expect(() => parseConversation('console:#ops')).toThrow('not a Slack conversation');
    expect(() => parseMessage('slack:T1:C1:notats')).toThrow('not a Slack message');
    expect(() => teamOf('teams:abc')).toThrow('not a Slack workspace');
  });
});

describe('Slack Web API errors as PlatformError', () => {
  test.each([
    ['channel_not_found', 'NOT_FOUND'],
    ['user_not_found', 'NOT_FOUND'],
    ['account_inactive', 'NOT_FOUND'],
    ['not_in_channel', 'PERMISSION'],
    ['missing_scope', 'PERMISSION'],
    ['invalid_auth', 'AUTH'],
    ['token_revoked', 'AUTH'],
    ['internal_error', 'UNAVAILABLE'],
    ['invalid_blocks', 'INVALID'],
    ['something_new', 'INVALID'],
  ])('%s is %s', (error, code) => {
    const translated = slackFailure('chat.postMessage', { ok: false, error });
    expect(translated).toBeInstanceOf(PlatformError);
    expect([translated.code, translated.platformCode, translated.message]).toEqual([code, error, `Slack chat.postMessage: ${error}`]);
    expect(translated.retryable).toBe(code === 'UNAVAILABLE');
  });

  test('a 429 says when to come back; 5xx and unreachable are outages; both are retryable', async () => {
    const ratelimitedString = slackFailure('users.info', { ok: false, error: 'ratelimited', response_metadata: { retryAfter: 12 } });
    expect([ratelimitedString.code, ratelimitedString.retryAfterMs]).toEqual(['RATE_LIMITED', 12_000]);
    const down = httpFailure('chat.update', 503);
    expect([down.code, down.retryable]).toEqual(['UNAVAILABLE', true]);
    expect(httpFailure('chat.update', 401).code).toBe('AUTH');
    // A server that answers 429 with Retry-After, and one that is not there at all.
    const server = createServer((_req, res) => res.writeHead(429, { 'retry-after': '30' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const failure = (method: string) =>
      new SlackApi({ apiUrl: `http://127.0.0.1:${port}/api/`, log: silentLog }).call('xoxb-1', method, {}, z.unknown()).then(
        () => undefined,
        (err: unknown) => err as PlatformError,
      );
    const limited = (await failure('chat.postMessage'))!;
    expect([limited.code, limited.retryAfterMs, limited.retryable]).toEqual(['RATE_LIMITED', 30_000, true]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const network = (await failure('users.info'))!;
    expect([network.code, network.retryable]).toEqual(['UNAVAILABLE', true]);
    expect(network.message).toMatch(/^Slack users\.info: .*ECONNREFUSED/);
  });
});

describe('button presses: a double click is one press', () => {
  const keys = (actionTsMs: number) =>
    buttonPressKeys({
      teamId: 'T1',
      userId: 'U1',
      container: '1764489600.000100',
      actionId: 'escalation.ack',
      value: '42',
      actionTs: (actionTsMs / 1000).toFixed(6),
    });
  const shareAKey = (a: number, b: number) => keys(a).some((k) => keys(b).includes(k));

  test('presses less than half a window apart always share a key, wherever they fall', () => {
    const half = DOUBLE_CLICK_WINDOW_MS / 2;
    for (let start = 1_764_489_600_000; start < 1_764_489_600_000 + 2 * DOUBLE_CLICK_WINDOW_MS; start += 37) {
      expect(shareAKey(start, start + half - 1)).toBe(true);
    }
  });

  test('presses a whole window apart never do, and other buttons, values or people never do', () => {
    const t = 1_764_489_600_123;
    expect(shareAKey(t, t + DOUBLE_CLICK_WINDOW_MS)).toBe(false);
    const other = buttonPressKeys({
      teamId: 'T1',
      userId: 'U2',
      container: '1764489600.000100',
      actionId: 'escalation.ack',
      value: '42',
      actionTs: (t / 1000).toFixed(6),
    });
    expect(other.some((k) => keys(t).includes(k))).toBe(false);
  });
});
