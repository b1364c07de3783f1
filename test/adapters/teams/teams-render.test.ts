import type { Form } from '../../../src/core/form';
import { actions, button, context, divider, fields, header, message, section, textMessage } from '../../../src/core/message';
import { bold, channel, code, italic, link, time, user } from '../../../src/core/rich-text';
import { fitCard, adaptiveCard, textBlock } from '../../../adapters/teams/render/adaptive-card';
import { cardText, escapeMarkdown } from '../../../adapters/teams/render/card-text';
import { closedFormCard, formCard, initialRaw } from '../../../adapters/teams/render/form-card';
import { htmlText } from '../../../adapters/teams/render/html-text';
import { messageActivity } from '../../../adapters/teams/render/message-activity';
import { messageCard } from '../../../adapters/teams/render/message-card';
import { NO_NAMES, type RenderNames } from '../../../adapters/teams/render/names';
import { TEAMS_LIMITS } from '../../../adapters/teams/limits';

const names: RenderNames = { users: new Map([['29:bob', 'Bob Brown']]), channels: new Map([['teams:t:abc', 'Ops › #Incidents']]) };
const at = new Date('2026-12-01T09:00:00.000Z');

describe('card text (Adaptive Card TextBlock markdown)', () => {
  test("spans: bold, italic, mentions, channels, links, and times as DATE()/TIME() in the reader's zone", () => {
    expect(
      cardText(
        [
          bold('Due'),
          ' ',
          time(at, 'Europe/Berlin'),
          ' for ',
          user('29:bob'),
          ' in ',
          channel('teams:t:abc'),
          ', see ',
          link('https://example.com/x', 'docs'),
          ' ',
          italic('now'),
        ],
        names,
      ),
    ).toEqual({
      lines: [
        '**Due** {{DATE(2026-12-01T09:00:00Z, SHORT)}} {{TIME(2026-12-01T09:00:00Z)}} for <at>Bob Brown</at> in **Ops › #Incidents**, see [docs](https://example.com/x) _now_',
      ],
      mentions: [{ type: 'mention', text: '<at>Bob Brown</at>', mentioned: { id: '29:bob', name: 'Bob Brown' } }],
    });
    expect(cardText([time(at, 'UTC', 'date'), ' ', time(at, 'UTC', 'time')], NO_NAMES).lines).toEqual([
      '{{DATE(2026-12-01T09:00:00Z, SHORT)}} {{TIME(2026-12-01T09:00:00Z)}}',
    ]);
  });

  test("people's text is shown as typed: markdown, template braces and <at> tags are neutralised", () => {
    expect(escapeMarkdown('*not bold* _x_ [a](b) {{DATE(x)}} <at>Boss</at> back\\slash')).toBe(
      '\\*not bold\\* \\_x\\_ \\[a\\](b) {\u200b{DATE(x)}} <\u200bat>Boss<\u200b/at> back\\\\slash',
    );
    expect(cardText([code('rm -rf *')], NO_NAMES).lines).toEqual(['rm -rf \\*']);
  });

  test('lines stay lines, and formatting is closed on each', () => {
    expect(cardText(['one\ntwo ', bold('a\nb')], NO_NAMES).lines).toEqual(['one', 'two **a**', '**b**']);
  });

  test('a mention without a known name still notifies the person', () => {
    expect(cardText([user('29:zed')], NO_NAMES).mentions).toEqual([
      { type: 'mention', text: '<at>29:zed</at>', mentioned: { id: '29:zed', name: '29:zed' } },
    ]);
  });
});

describe('text messages (HTML)', () => {
  test('escapes exactly and names times in the given zone', () => {
    expect(htmlText(['a < b & ', bold('c'), '\n', code('x'), ' ', time(at, 'Europe/Berlin'), ' ', user('29:bob')], names)).toEqual({
      html: 'a &lt; b &amp; <b>c</b><br><code>x</code> Tue, 1 Dec 2026, 10:00 CET <at>Bob Brown</at>',
      mentions: [{ type: 'mention', text: '<at>Bob Brown</at>', mentioned: { id: '29:bob', name: 'Bob Brown' } }],
    });
  });
});

describe('messages', () => {
  test('words only: a text message', () => {
    expect(messageActivity(message([section(['Hello ', user('29:bob')]), context('fine print')]), names)).toEqual({
      type: 'message',
      text: 'Hello <at>Bob Brown</at><br><br><i>fine print</i>',
      textFormat: 'xml',
      entities: [{ type: 'mention', text: '<at>Bob Brown</at>', mentioned: { id: '29:bob', name: 'Bob Brown' } }],
    });
  });

  test('a time, a header, fields or buttons: an Adaptive Card with a summary for notifications', () => {
    const activity = messageActivity(textMessage(['Due ', time(at, 'UTC')]), NO_NAMES);
    expect(activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(activity.summary).toBe('Due Tue, 1 Dec 2026, 09:00 UTC');
  });

  test('the card: header, fields as label/value rows, a divider as a separator, buttons as Action.Execute', () => {
    const card = messageCard(
      message([
        header('Printer *down*'),
        fields({ label: 'Owner', value: [user('29:bob')] }),
        divider,
        section('Pick one'),
        actions(button('Acknowledge', 'escalation.ack', '42', 'primary'), button('Drop', 'escalation.drop', '42', 'danger')),
      ]),
      names,
      'fallback',
    );
    expect(card).toEqual({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      fallbackText: 'fallback',
      msteams: {
        width: 'Full',
        entities: [{ type: 'mention', text: '<at>Bob Brown</at>', mentioned: { id: '29:bob', name: 'Bob Brown' } }],
      },
      body: [
        { type: 'TextBlock', text: 'Printer \\*down\\*', wrap: true, size: 'Large', weight: 'Bolder' },
        {
          type: 'ColumnSet',
          spacing: 'Small',
          columns: [
            { type: 'Column', width: 1, items: [{ type: 'TextBlock', text: 'Owner', wrap: true, weight: 'Bolder' }] },
            { type: 'Column', width: 2, items: [{ type: 'TextBlock', text: '<at>Bob Brown</at>', wrap: true }] },
          ],
        },
        { type: 'TextBlock', text: 'Pick one', wrap: true, separator: true, spacing: 'Medium' },
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.Execute',
              title: 'Acknowledge',
              verb: 'steady.button',
              data: { steady: 'button', actionId: 'escalation.ack', value: '42' },
              style: 'positive',
            },
            {
              type: 'Action.Execute',
              title: 'Drop',
              verb: 'steady.button',
              data: { steady: 'button', actionId: 'escalation.drop', value: '42' },
              style: 'destructive',
            },
          ],
        },
      ],
    });
  });

  test('more buttons than Teams shows in a row are split into rows', () => {
    const many = Array.from({ length: 7 }, (_, i) => button(`B${i}`, 'x.y', String(i)));
    const card = messageCard(message([actions(...many)]), NO_NAMES, 'x');
    expect(card.body.map((el) => (el.actions as unknown[]).length)).toEqual([
      TEAMS_LIMITS.maxButtonsPerRow,
      7 - TEAMS_LIMITS.maxButtonsPerRow,
    ]);
  });

  test('a card too large for Teams is shortened with a marker, keeping its last row of buttons', () => {
    const body = [...Array.from({ length: 40 }, (_, i) => textBlock(`${i} ${'x'.repeat(1000)}`)), { type: 'ActionSet', actions: [] }];
    const fitted = fitCard(adaptiveCard(body));
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(TEAMS_LIMITS.maxCardChars);
    expect(fitted.body.at(-2)).toEqual(expect.objectContaining({ text: TEAMS_LIMITS.truncatedMarker }));
    expect(fitted.body.at(-1)?.type).toBe('ActionSet');
  });
});

describe('form cards', () => {
  const form: Form = {
    formId: 'x.raise',
    title: 'Raise',
    state: 's1',
    fields: [
      { id: 'title', kind: 'text', label: 'Title', required: true, initial: 'Printer', maxLength: 80 },
      { id: 'owner', kind: 'user', label: 'Owner', required: true, initial: '29:bob' },
      { id: 'due', kind: 'datetime', label: 'Due', required: true, zone: 'Europe/Berlin', initial: at },
      {
        id: 'level',
        kind: 'select',
        label: 'Level',
        required: false,
        options: [
          { value: 'lo', label: 'Low' },
          { value: 'hi', label: 'High' },
        ],
        initial: 'hi',
      },
      { id: 'ok', kind: 'checkbox', label: 'Notify', required: false, initial: true },
    ],
  };
  const people = new Map([['29:bob', { name: 'Bob Brown', aadObjectId: 'b0b00000-0000-4000-8000-000000000000' }]]);

  test('initial values as the inputs show them: people by Azure AD id, a datetime as local date and time, choices by index', () => {
    expect(initialRaw(form, people)).toEqual({
      'f.title': 'Printer',
      'f.owner': 'b0b00000-0000-4000-8000-000000000000',
      'f.due.date': '2026-12-01',
      'f.due.time': '10:00',
      'f.level': '1',
      'f.ok': 'true',
    });
  });

  test('inputs with labels, a people picker, problems by their fields, Submit and Cancel', () => {
    const card = formCard(form, { key: 'k1', people, pickedNames: new Map(), channels: [], errors: { title: 'Too short.' } }, NO_NAMES);
    const body = card.body;
    expect(body[0]).toEqual(expect.objectContaining({ text: 'Raise', size: 'Large' }));
    expect(body[1]).toEqual(expect.objectContaining({ text: 'Please check the fields marked below.', color: 'Attention' }));
    expect(body[2]).toEqual({
      type: 'Input.Text',
      id: 'f.title',
      label: 'Title',
      isRequired: true,
      errorMessage: 'Title is required.',
      maxLength: 80,
      value: 'Printer',
    });
    expect(body[3]).toEqual(expect.objectContaining({ type: 'TextBlock', text: 'Too short.', color: 'Attention' }));
    expect(body[4]).toEqual({
      type: 'Input.ChoiceSet',
      id: 'f.owner',
      label: 'Owner',
      isRequired: true,
      errorMessage: 'Owner is required.',
      placeholder: 'Type a name',
      choices: [{ title: 'Bob Brown', value: 'b0b00000-0000-4000-8000-000000000000' }],
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      value: 'b0b00000-0000-4000-8000-000000000000',
    });
    expect(body.at(-1)).toEqual({
      type: 'ActionSet',
      spacing: 'Medium',
      actions: [
        { type: 'Action.Execute', title: 'Submit', verb: 'steady.form', style: 'positive', data: { steady: 'form', form: 'k1' } },
        {
          type: 'Action.Execute',
          title: 'Cancel',
          verb: 'steady.form-cancel',
          associatedInputs: 'none',
          data: { steady: 'form-cancel', form: 'k1' },
        },
      ],
    });
  });

  test('a closed form says who sent it and has no inputs left', () => {
    const card = closedFormCard(form, 'done', { id: '29:al', name: 'Al' });
    expect(card.body.map((el) => el.text)).toEqual(['Raise', '✓ Submitted by <at>Al</at>']);
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Al</at>', mentioned: { id: '29:al', name: 'Al' } }]);
  });
});
