import fc from 'fast-check';
import { PERSONAL, cardActionActivity, cardSubmitActivity, messageActivity, person } from '../support/fake-teams-activities';
import { ALICE, BERLIN_TEAM, BOB, peopleOf } from '../support/slack-people';
import { TeamsRig } from '../support/teams-rig';
import { useSlackRig } from '../support/use-slack-rig';
import { GENERIC_FAILURE, hostileText, piece, settings } from './support';

/**
 * Generated requests through the real apps on the real database: signed Slack commands, button
 * presses and modal submissions to /slack/events, and Teams messages and card clicks to
 * /api/messages. None may get a 5xx, keep Slack waiting, or show the person the generic failure.
 * Run counts are small (each is a full HTTP round trip); FUZZ_RUNS raises them.
 */
const slack = useSlackRig({ start: '2026-11-30T09:00:00Z', users: peopleOf(BERLIN_TEAM, ALICE, BOB) });
let teams: TeamsRig;
beforeAll(async () => {
  await slack.rig.as(ALICE).command('/escalate', 'Printer down');
  await slack.rig.as(ALICE).submit({ impact: 'The whole floor cannot print', severity: 'SEV2', owner: BOB });
  teams = await TeamsRig.start({ database: slack.database });
  slack.closeFirst(() => teams.stop());
});

const shownTo = (user: string) => [...slack.rig.privateTo(user), ...slack.rig.dmsTo(user)];

test('Slack: no generated command, press or submission gets a 5xx, a late answer or the generic failure', async () => {
  const request = fc.oneof(
    fc.record({
      kind: fc.constant('command' as const),
      command: fc.constantFrom('/escalate', '/standup', '/handoff', '/steady'),
      text: hostileText,
    }),
    fc.record({
      kind: fc.constant('press' as const),
      actionId: fc.oneof(piece, fc.constantFrom('escalation.ack', 'escalation.update', 'escalation.view')),
      value: fc.oneof(piece, fc.constantFrom('1', '99999999999999999999', '')),
    }),
    fc.record({
      kind: fc.constant('submit' as const),
      verb: fc.constantFrom('update', 'due', 'resolve', 'reassign'),
      metadata: fc.option(fc.oneof(piece, fc.constantFrom('', '{}', '{"state":"1"}', '{"state":"-1"}')), { nil: undefined }),
      text: hostileText,
      seconds: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(2 ** 53, 1e308)),
    }),
  );
  await fc.assert(
    fc.asyncProperty(request, fc.constantFrom(ALICE, BOB), async (r, user) => {
      const seen = shownTo(user).length;
      const started = Date.now();
      let status: number;
      if (r.kind === 'command') {
        status = (await slack.rig.as(user).command(r.command, r.text)).status;
      } else if (r.kind === 'press') {
        const action = { action_id: r.actionId, block_id: 'b1', value: r.value, type: 'button', action_ts: (Date.now() / 1000).toFixed(6) };
        status = (
          await slack.rig.interactive({
            type: 'block_actions',
            user: { id: user, team_id: slack.rig.teamId },
            team: { id: slack.rig.teamId },
            trigger_id: slack.rig.nextTriggerId(user),
            container: { type: 'message', message_ts: '1764489599.000001', channel_id: 'C0GENERAL' },
            actions: [action],
          })
        ).status;
      } else {
        await slack.rig.as(user).command('/escalate', `${r.verb} ESC-1`);
        const modal = slack.rig.lastModal(user);
        if (!modal) return;
        const fields = (modal.view.blocks as { type: string; block_id: string; element: { type: string } }[]).filter(
          (b) => b.type === 'input',
        );
        const rawState = Object.fromEntries(
          fields.map((b) => [
            b.block_id,
            b.element.type === 'datetimepicker'
              ? { type: 'datetimepicker', selected_date_time: r.seconds }
              : b.element.type === 'plain_text_input'
                ? { type: 'plain_text_input', value: r.text }
                : { type: b.element.type },
          ]),
        );
        const answer = await slack.rig
          .as(user)
          .submit({}, modal, { rawState, ...(r.metadata === undefined ? {} : { privateMetadata: r.metadata }) });
        status = answer.status;
        if (answer.body !== undefined) expect(answer.body.response_action).toBe('errors');
      }
      expect(status).toBeLessThan(500);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(
        shownTo(user)
          .slice(seen)
          .filter((t) => GENERIC_FAILURE.test(t)),
      ).toEqual([]);
    }),
    settings(40),
  );
});

test('Teams: no generated message or card click gets a 5xx or the generic failure', async () => {
  const dana = person('dana');
  await teams.install(dana);
  const request = fc.oneof(
    fc.record({
      kind: fc.constant('say' as const),
      text: fc
        .tuple(fc.constantFrom('escalate', 'standup', 'handoff', 'steady', '/escalate', 'help', ''), hostileText)
        .map(([w, t]) => `${w} ${t}`),
    }),
    fc.record({
      kind: fc.constant('execute' as const),
      verb: fc.oneof(piece, fc.constantFrom('steady.button', 'steady.form')),
      data: fc.dictionary(piece, fc.oneof(hostileText, piece, fc.integer(), fc.constant(null)), { maxKeys: 4 }),
    }),
    fc.record({
      kind: fc.constant('submit' as const),
      data: fc.oneof(
        fc.dictionary(piece, fc.oneof(hostileText, fc.double()), { maxKeys: 4 }),
        fc.record({ steady: fc.constantFrom('button', 'form', 'form-cancel', 'x'), form: piece, actionId: piece, value: hostileText }),
      ),
    }),
  );
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const seen = teams.textsIn(dana).length;
      const activity =
        r.kind === 'say'
          ? messageActivity(teams.serviceUrl, dana, PERSONAL, r.text)
          : r.kind === 'execute'
            ? cardActionActivity(teams.serviceUrl, dana, PERSONAL, 'card-1', { verb: r.verb, data: r.data })
            : cardSubmitActivity(teams.serviceUrl, dana, PERSONAL, 'card-1', r.data as Record<string, unknown>);
      const answer = await teams.send(activity);
      expect(answer.status).toBeLessThan(500);
      expect(
        teams
          .textsIn(dana)
          .slice(seen)
          .filter((t) => GENERIC_FAILURE.test(t)),
      ).toEqual([]);
    }),
    settings(40),
  );
});
