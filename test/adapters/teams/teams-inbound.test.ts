import type { Form } from '../../../src/core/form';
import { PlatformError } from '../../../src/core/errors';
import { toPlatformError, parseRetryAfter } from '../../../adapters/teams/errors';
import { intentOf } from '../../../src/core/typed-command';
import { readFormInputs } from '../../../adapters/teams/inbound/form-inputs';
import { commandText } from '../../../adapters/teams/inbound/message-text';
import {
  conversationRef,
  messageRef,
  parseConversationRef,
  parseMessageRef,
  tenantOf,
  threadConversationId,
  workspaceIdOf,
} from '../../../adapters/teams/refs';

const now = new Date('2026-11-30T08:00:00Z');

describe('references', () => {
  const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  test('a conversation is the same reference however its thread suffix reads', () => {
    const plain = conversationRef({ tenantId, conversationId: '19:abc@thread.tacv2' });
    expect(conversationRef({ tenantId, conversationId: '19:abc@thread.tacv2;messageid=17' })).toBe(plain);
    expect(plain.startsWith(`teams:${tenantId}:`)).toBe(true);
    expect(parseConversationRef(plain)).toEqual({ tenantId, conversationId: '19:abc@thread.tacv2' });
  });

  test('a thread root has one reference, a reply in its thread keeps the root', () => {
    const root = messageRef({ tenantId, conversationId: '19:abc@thread.tacv2', activityId: '17' });
    expect(messageRef({ tenantId, conversationId: '19:abc@thread.tacv2', threadRootId: '17', activityId: '17' })).toBe(root);
    const reply = parseMessageRef(messageRef({ tenantId, conversationId: '19:abc@thread.tacv2', threadRootId: '17', activityId: '18' }))!;
    expect(reply).toEqual({ tenantId, conversationId: '19:abc@thread.tacv2', threadRootId: '17', activityId: '18' });
    expect(threadConversationId(reply)).toBe('19:abc@thread.tacv2;messageid=17');
  });

  test('workspaces are tenants; anything else is refused', () => {
    expect(tenantOf(workspaceIdOf(tenantId))).toBe(tenantId);
    expect(tenantOf('slack:T1')).toBeUndefined();
    expect(parseConversationRef('teams:t:not base64!')).toBeUndefined();
    expect(parseMessageRef(conversationRef({ tenantId, conversationId: 'a:1' }))).toBeUndefined();
  });
});

describe('message text', () => {
  const bot = '28:bot';
  const mentions = [
    { type: 'mention' as const, text: '<at>Steady</at>', mentioned: { id: bot, name: 'Steady' } },
    { type: 'mention' as const, text: '<at>Bob Brown</at>', mentioned: { id: '29:bob', name: 'Bob Brown' } },
  ];

  test("the bot's mention is removed, others become <@id>, Teams' HTML is undone", () => {
    expect(commandText('<at>Steady</at> escalate <at>Bob Brown</at>&nbsp;printer &amp; scanner &lt;3', mentions, bot)).toBe(
      'escalate <@29:bob> printer & scanner <3',
    );
    expect(commandText('<p>standup</p><p>line two</p>', [], bot)).toBe('standup\nline two');
    // Typed, not picked: a look-alike of the mention syntax names nobody.
    expect(commandText('escalate reassign ESC-1 &lt;@29:nobody&gt; &lt;#teams:x&gt; <at>Bob Brown</at>', mentions, bot)).toBe(
      'escalate reassign ESC-1 <\u200b@29:nobody> <\u200b#teams:x> <@29:bob>',
    );
    const tag = { type: 'mention' as const, text: '<at>Ops team</at>', mentioned: { id: '19:ops@thread.tacv2', name: 'Ops team' } };
    expect(commandText('escalate reassign ESC-1 <at>Ops team</at>', [tag], bot)).toBe('escalate reassign ESC-1 Ops team');
  });
});

describe('command or direct message', () => {
  const commands = ['escalate', 'steady', 'standup'];
  test('commands, with or without a slash; help and home are general', () => {
    expect(intentOf('Escalate printer down', { commands, personal: true })).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'escalate', text: 'printer down' },
    });
    expect(intentOf('/standup list', { commands, personal: false })).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'standup', text: 'list' },
    });
    expect(intentOf('help', { commands, personal: false })).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'steady', text: 'help' },
    });
    expect(intentOf('', { commands, personal: false })).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'steady', text: 'help' },
    });
    expect(intentOf('home', { commands: ['escalate'], personal: true })).toEqual({ kind: 'home' });
  });

  test('anything else is a direct message in a 1:1 chat, and an unknown command in a channel', () => {
    expect(intentOf('Shipped the fix', { commands, personal: true })).toEqual({
      kind: 'event',
      event: { type: 'direct-message', text: 'Shipped the fix' },
    });
    expect(intentOf('dance now', { commands, personal: false })).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'dance', text: 'now' },
    });
  });

  test('while a stand-up waits for an answer in the 1:1 chat, a command word starts an answer; a slash still runs the command', () => {
    const awaiting = { commands, personal: true, awaitingReply: true };
    expect(intentOf('Escalate the VPN delay to IT', awaiting)).toEqual({
      kind: 'event',
      event: { type: 'direct-message', text: 'Escalate the VPN delay to IT' },
    });
    expect(intentOf('standup notes, then review', awaiting)).toEqual({
      kind: 'event',
      event: { type: 'direct-message', text: 'standup notes, then review' },
    });
    expect(intentOf('/escalate Printer down', awaiting)).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'escalate', text: 'Printer down' },
    });
    expect(intentOf('help', awaiting)).toEqual({ kind: 'event', event: { type: 'command', command: 'steady', text: 'help' } });
    expect(intentOf('escalate Printer down', { ...awaiting, personal: false })).toEqual({
      kind: 'event',
      event: { type: 'command', command: 'escalate', text: 'Printer down' },
    });
  });
});

describe('form inputs', () => {
  const form: Form = {
    formId: 'x',
    title: 'X',
    fields: [
      { id: 'title', kind: 'text', label: 'Title', required: true, maxLength: 5 },
      { id: 'due', kind: 'datetime', label: 'Due', required: false, zone: 'America/New_York' },
      { id: 'who', kind: 'users', label: 'Who', required: false },
      { id: 'level', kind: 'select', label: 'Level', required: false, options: [{ value: 'lo', label: 'Low' }] },
      {
        id: 'tags',
        kind: 'multiselect',
        label: 'Tags',
        required: false,
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
      },
      { id: 'where', kind: 'channel', label: 'Where', required: false },
      { id: 'at', kind: 'time', label: 'At', required: false },
      { id: 'ok', kind: 'checkbox', label: 'OK', required: false },
    ],
  };

  test('normalised as the core documents each kind; a datetime is read in its zone', () => {
    const read = readFormInputs(
      form,
      {
        'f.title': ' Jam ',
        'f.due.date': '2026-03-08',
        'f.due.time': '02:30',
        'f.who': 'b0b00000-0000-4000-8000-000000000000,29:al',
        'f.level': '0',
        'f.tags': '1,0',
        'f.where': 'teams:t:c1',
        'f.at': '09:30:00',
        'f.ok': 'true',
      },
      new Set(['teams:t:c1']),
    );
    expect(read.errors).toEqual({});
    // 02:30 does not exist in New York on 2026-03-08 (spring forward): it means 03:00 EDT.
    expect(read.values).toEqual({
      title: 'Jam',
      due: '2026-03-08T07:00:00.000Z',
      level: 'lo',
      tags: ['b', 'a'],
      where: 'teams:t:c1',
      at: '09:30',
      ok: true,
    });
    expect(read.people.get('who')).toEqual(['b0b00000-0000-4000-8000-000000000000', '29:al']);
  });

  test('problems are reported by field, with what to do', () => {
    const read = readFormInputs(
      form,
      { 'f.title': 'Too long', 'f.due.date': '2026-03-08', 'f.who': 'robert', 'f.level': '7', 'f.where': 'teams:t:other' },
      new Set(['teams:t:c1']),
    );
    expect(read.errors).toEqual({
      title: 'Title can be at most 5 characters (it has 8).',
      due: 'Give both a date and a time for Due.',
      who: 'Choose people from the list for Who.',
      level: 'Choose one of the options for Level.',
      where: 'Choose a channel from the list for Where.',
    });
    expect(readFormInputs(form, {}, new Set()).errors).toEqual({ title: 'Title is required.' });
  });
});

describe('connector failures', () => {
  const rest = (statusCode: number | undefined, headers: Record<string, string> = {}, code?: string) => ({
    statusCode,
    code,
    message: 'boom',
    response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });

  test.each([
    [429, 'RATE_LIMITED'],
    [412, 'UNAVAILABLE'],
    [500, 'UNAVAILABLE'],
    [502, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
    [504, 'UNAVAILABLE'],
    [403, 'PERMISSION'],
    [404, 'NOT_FOUND'],
    [401, 'AUTH'],
    [400, 'INVALID'],
  ])('%i is %s', (status, code) => {
    const error = toPlatformError(rest(status), 'send a message', now);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.code).toBe(code);
  });

  test('a network failure is UNAVAILABLE; Retry-After (seconds or a date) is kept', () => {
    expect(toPlatformError(rest(undefined, {}, 'ECONNREFUSED'), 'send', now)).toEqual(
      expect.objectContaining({ code: 'UNAVAILABLE', retryable: true }),
    );
    expect(toPlatformError(rest(429, { 'retry-after': '7' }), 'send', now).retryAfterMs).toBe(7000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 08:01:00 GMT', now)).toBe(60_000);
  });
});
