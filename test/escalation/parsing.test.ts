import { parseChannelToken, parseEscalate } from '../../src/escalation/commands/parse';
import { dueFromRule, parseDueRule, reminderLeadMs } from '../../src/escalation/due-rules';
import { parseWait, readPolicyForm } from '../../src/escalation/forms/policy';
import { parseReference } from '../../src/escalation/reference';

describe('reading /escalate', () => {
  test('subcommands, references and titles', () => {
    expect(parseEscalate('')).toEqual({ kind: 'raise', title: '' });
    expect(parseEscalate('Printer down')).toEqual({ kind: 'raise', title: 'Printer down' });
    expect(parseEscalate('new list of broken printers')).toEqual({ kind: 'raise', title: 'list of broken printers' });
    expect(parseEscalate('list')).toEqual({ kind: 'list', filter: 'all' });
    expect(parseEscalate('LIST Overdue')).toEqual({ kind: 'list', filter: 'overdue' });
    expect(parseEscalate('show esc-12')).toEqual({ kind: 'show', number: 12 });
    expect(parseEscalate('ack #7')).toEqual({ kind: 'work', action: 'acknowledge', number: 7, rest: '' });
    expect(parseEscalate('resolve ESC-3 Bought a new one')).toEqual({
      kind: 'work',
      action: 'resolve',
      number: 3,
      rest: 'Bought a new one',
    });
    expect(parseEscalate('due 3 +2h vendor')).toEqual({ kind: 'work', action: 'change-due', number: 3, rest: '+2h vendor' });
    expect(parseEscalate('stats 90d')).toEqual({ kind: 'stats', days: 90 });
    expect(parseEscalate('policy')).toEqual({ kind: 'policy', sub: 'list', rest: '' });
    expect(parseEscalate('policy edit "Night ops"')).toEqual({ kind: 'policy', sub: 'edit', rest: '"Night ops"' });
    expect(parseEscalate('admins add <@U1>')).toEqual({ kind: 'admins', rest: 'add <@U1>' });
    expect(parseEscalate('show me')).toMatchObject({ kind: 'usage' });
    expect(parseEscalate('stats 400d')).toMatchObject({ kind: 'usage' });
    expect(parseReference('ESC-0')).toBeUndefined();
    expect(parseReference('ESC-1234567890')).toBeUndefined();
    expect(parseChannelToken('<#C123|ops>')).toBe('C123');
    expect(parseChannelToken('#ops')).toBeUndefined();
  });
});

describe('due rules', () => {
  test('parsed from what admins type', () => {
    expect(parseDueRule('90m')).toEqual({ ok: true, rule: { kind: 'duration', minutes: 90 } });
    expect(parseDueRule('next business day')).toEqual({ ok: true, rule: { kind: 'business-days', days: 1, at: '17:00' } });
    expect(parseDueRule('3 business days 9:30')).toEqual({ ok: true, rule: { kind: 'business-days', days: 3, at: '09:30' } });
    expect(parseDueRule('2 working days at 12:00')).toEqual({ ok: true, rule: { kind: 'business-days', days: 2, at: '12:00' } });
    expect(parseDueRule('1 business day 25:00')).toMatchObject({ ok: false });
    expect(parseDueRule('30s')).toMatchObject({ ok: false });
    expect(parseDueRule('100d')).toEqual({ ok: false, error: 'A default due time can be at most 90 days away.' });
  });

  test("business days skip the weekend, counted in the owner's zone", () => {
    const rule = { kind: 'business-days', days: 1, at: '17:00' } as const;
    // Saturday morning in Tokyo is still Friday in New York.
    const saturdayTokyo = new Date('2026-12-05T01:00:00Z');
    expect(dueFromRule(rule, saturdayTokyo, 'Asia/Tokyo')).toEqual(new Date('2026-12-07T08:00:00Z')); // Monday 17:00 JST
    expect(dueFromRule(rule, saturdayTokyo, 'America/New_York')).toEqual(new Date('2026-12-07T22:00:00Z')); // Monday 17:00 EST
    expect(dueFromRule({ kind: 'business-days', days: 5, at: '09:00' }, new Date('2026-12-02T12:00:00Z'), 'UTC')).toEqual(
      new Date('2026-12-09T09:00:00Z'),
    );
  });

  test('the reminder lead is a quarter of the time given, at least 15 minutes', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(reminderLeadMs(new Date('2026-12-01T04:00:00Z'), now)).toBe(3_600_000);
    expect(reminderLeadMs(new Date('2026-12-01T00:30:00Z'), now)).toBe(15 * 60_000);
  });
});

describe('the policy form', () => {
  test('levels are read from their slots; empty slots are dropped', () => {
    expect(parseWait('15')).toBe(15);
    expect(parseWait('1h30m')).toBe(90);
    expect(parseWait('soon')).toBeUndefined();
    const { input, errors } = readPolicyForm({
      name: ' Ops ',
      repeat: '2',
      l1_users: ['a', 'a', 'b'],
      l1_wait: '',
      l2_users: [],
      l3_channel: 'test:C1',
      l3_wait: '2h',
    });
    expect(errors).toEqual({});
    expect(input).toEqual({
      name: 'Ops',
      repeat: 2,
      levels: [
        { slot: 1, users: ['a', 'b'], channel: null, rotationId: null, waitMinutes: 15, waitText: '15' },
        { slot: 3, users: [], channel: 'test:C1', rotationId: null, waitMinutes: 120, waitText: '2h' },
      ],
    });
    expect(readPolicyForm({ name: 'none', repeat: '12', l1_users: ['a'], l1_wait: '20000' }).errors).toEqual({
      name: '"none" is reserved; choose another name.',
      repeat: 'Choose how often to repeat: 0 to 9 times.',
      l1_wait: 'Level 1: wait at most 7d.',
    });
  });
});
