import { actions, button, context, divider, fields, header, message, section, type FieldBlock } from '../../../src/core/message';
import { bold, channel, code, italic, link, time, user } from '../../../src/core/rich-text';
import { actionIdOf, notificationText, renderBlocks } from '../../../adapters/slack/render/blocks';
import { renderHomeView } from '../../../adapters/slack/render/home';
import { LIMITS, truncate } from '../../../adapters/slack/render/limits';
import { mrkdwn } from '../../../adapters/slack/render/mrkdwn';

const at = new Date('2026-11-30T16:00:00Z');

describe('mrkdwn: rich text as Slack shows it', () => {
  test("people, channels and times are live; times are shown in each reader's zone with a named fallback", () => {
    expect(
      mrkdwn(['Owner: ', user('U0ALICE', 'alice'), ' in ', channel('slack:T1:C0OPS', 'ops'), ', due ', time(at, 'Europe/Berlin')]),
    ).toBe('Owner: <@U0ALICE> in <#C0OPS>, due <!date^1796054400^{date_short_pretty} {time}|Mon, 30 Nov 2026, 17:00 CET>');
    expect(mrkdwn([time(at, 'America/Chicago', 'date')])).toBe('<!date^1796054400^{date_short_pretty}|Mon, 30 Nov 2026>');
    expect(mrkdwn([time(at, 'America/Chicago', 'time')])).toBe('<!date^1796054400^{time}|10:00 CST>');
  });

  test('emphasis, code and links', () => {
    expect(
      mrkdwn([bold('Printer down'), ' ', italic('since 9:00'), ' ', code('lp0'), ' ', link('https://status.example.com/a|b', 'status')]),
    ).toBe('*Printer down* _since 9:00_ `lp0` <https://status.example.com/a%7Cb|status>');
    // Slack reads a marker only next to a non-space character, and not across lines.
    expect(mrkdwn([bold(' two\nlines ')])).toBe(' *two*\n*lines* ');
    expect(mrkdwn([link('javascript:alert(1)', 'click')])).toBe('click (javascript:alert(1))');
  });

  test("what people typed cannot ping a channel or break the markup; the core's mention tokens stay live", () => {
    expect(mrkdwn('Printer <!channel> & <http://evil|x> by <@U0BOB> in <#slack:T1:C0OPS>')).toBe(
      'Printer &lt;!channel&gt; &amp; &lt;http://evil|x&gt; by <@U0BOB> in <#C0OPS>',
    );
  });

  test('people and channels of another platform are named, not mentioned', () => {
    expect(mrkdwn([user('alice', 'Alice'), ' ', channel('console:#ops', 'ops'), ' ', channel('console:#x')])).toBe(
      '@Alice #ops the channel',
    );
  });
});

describe('Block Kit for a message', () => {
  test('each neutral block becomes the Slack block a person expects', () => {
    const blocks = renderBlocks(
      message([
        header('Escalation: Printer down'),
        section(['Raised by ', user('U0ALICE')]),
        fields({ label: 'Owner', value: [user('U0BOB')] }, { label: 'Due', value: [time(at, 'UTC')] }),
        context('Updated just now'),
        divider,
        actions(button('Acknowledge', 'escalation.ack', '42', 'primary'), button('Resolve', 'escalation.resolve', '42')),
      ]),
    );
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Escalation: Printer down', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Raised by <@U0ALICE>' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Owner*\n<@U0BOB>' },
          { type: 'mrkdwn', text: '*Due*\n<!date^1796054400^{date_short_pretty} {time}|Mon, 30 Nov 2026, 16:00 UTC>' },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Updated just now' }] },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'escalation.ack',
            text: { type: 'plain_text', text: 'Acknowledge', emoji: true },
            value: '42',
            style: 'primary',
          },
          { type: 'button', action_id: 'escalation.resolve', text: { type: 'plain_text', text: 'Resolve', emoji: true }, value: '42' },
        ],
      },
    ]);
  });

  test("the same action on several items gets unique action ids that read back as the workflow's", () => {
    const blocks = renderBlocks(
      message([
        actions(button('Ack', 'escalation.ack', '1')),
        actions(button('Ack', 'escalation.ack', '2'), button('Ack', 'escalation.ack', '3')),
      ]),
    );
    const ids = blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => (e as { action_id: string }).action_id) : []));
    expect(ids).toEqual(['escalation.ack', 'escalation.ack~2', 'escalation.ack~3']);
    expect(ids.map(actionIdOf)).toEqual(['escalation.ack', 'escalation.ack', 'escalation.ack']);
  });

  test('fields beyond ten and buttons beyond twenty-five spill into further blocks', () => {
    const many: FieldBlock[] = Array.from({ length: 23 }, (_, i) => ({ label: `F${i + 1}`, value: String(i + 1) }));
    const blocks = renderBlocks(
      message([fields(...many), actions(...Array.from({ length: 30 }, (_, i) => button(`B${i + 1}`, 'x.y', String(i))))]),
    );
    expect(blocks.map((b) => (b.type === 'section' ? b.fields!.length : b.type === 'actions' ? b.elements.length : 0))).toEqual([
      10, 10, 3, 25, 5,
    ]);
  });

  test("long text is cut to Slack's limits with a marker, never inside a mention or an entity", () => {
    const long = `${'x'.repeat(2995)} <@U0ALICE> and more`;
    const [sectionBlock] = renderBlocks(message([section(long)]));
    const text = (sectionBlock as { text: { text: string } }).text.text;
    // 2,995 x's and a space fit; the mention that would be cut in half is left out whole.
    expect(text.length).toBe(2997);
    expect(text.slice(-3)).toBe('x …');
    expect(truncate(`${'a'.repeat(10)}&amp;b`, 14)).toBe('aaaaaaaaaa…');
    expect(truncate('😀😀😀', 4)).toBe('😀…');

    const [headerBlock] = renderBlocks(message([header('H'.repeat(200))]));
    expect((headerBlock as { text: { text: string } }).text.text).toBe(`${'H'.repeat(149)}…`);
    const [actionsBlock] = renderBlocks(message([actions(button('L'.repeat(80), 'a.b', 'v'))]));
    expect((actionsBlock as { elements: { text: { text: string } }[] }).elements[0]!.text.text).toBe(`${'L'.repeat(74)}…`);
  });

  test('more blocks than a message holds: the rest is left out with a line that says so', () => {
    const blocks = renderBlocks(message(Array.from({ length: 60 }, (_, i) => section(`item ${i + 1}`))));
    expect(blocks).toHaveLength(LIMITS.messageBlocks);
    expect(blocks[48]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'item 49' } });
    expect(blocks[49]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… 11 more parts not shown: Slack shows at most 50 in one message.' }],
    });
  });

  test('a button value that does not fit is refused rather than cut (the workflow reads it back)', () => {
    expect(() => renderBlocks(message([actions(button('Go', 'a.b', 'v'.repeat(2001)))]))).toThrow('Slack allows 2000');
  });

  test('empty sections are left out instead of being refused by Slack', () => {
    expect(renderBlocks(message([section(''), header('  '), section('ok')]))).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'ok' } },
    ]);
  });

  test('the notification text is the fallback, escaped, or the blocks in mrkdwn', () => {
    expect(notificationText(message([section('ignored')], 'New escalation <3'))).toBe('New escalation &lt;3');
    expect(
      notificationText(
        message([
          header('Stand-up'),
          section(['Hi ', user('U0ALICE')]),
          fields({ label: 'Team', value: 'Ops' }),
          actions(button('Go', 'a.b', '1')),
        ]),
      ),
    ).toBe('Stand-up\nHi <@U0ALICE>\nTeam: Ops');
  });
});

describe('App Home', () => {
  test('the home view is the neutral home in Block Kit, with when it was drawn', () => {
    const view = renderHomeView(message([section('Nothing needs you right now.')]), { updatedAt: at, zone: 'Europe/Berlin' });
    expect(view).toEqual({
      type: 'home',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Nothing needs you right now.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Updated <!date^1796054400^{time}|17:00 CET>' }] },
      ],
    });
  });

  test('a home holds up to a hundred blocks', () => {
    const view = renderHomeView(message(Array.from({ length: 120 }, (_, i) => section(`item ${i}`))), { updatedAt: at, zone: 'UTC' });
    expect(view.blocks).toHaveLength(100);
  });
});
