import { rows } from '../../support/database';
import { team } from '../../support/fake-teams-activities';
import { BERLIN_TEAM } from '../../support/teams-people';
import { useTeamsRig } from '../../support/use-teams-rig';

/**
 * In Teams, people come from the people picker (Azure AD ids, resolved through Teams or the members
 * Steady has met) and from mention entities; channels from the list of channels Steady is in. Card
 * data with anything else, or a mention typed as text, names nobody and stores nothing.
 */
const { alice } = BERLIN_TEAM;
const ops = team('Ops');

const setup = useTeamsRig({ start: '2026-11-30T09:00:00Z' });
beforeAll(async () => {
  await setup.rig.install(alice);
  await setup.rig.addToTeam(ops, alice, ['Incidents']);
  await setup.rig.say(alice, 'steady admins add @Alice Adams', undefined, { mentions: [alice] });
});

describe('people and channels in Teams come only from its pickers and mentions', () => {
  test('a policy card whose people and channel inputs hold typed text is shown again with the problems; no policy is saved', async () => {
    await setup.rig.say(alice, 'escalate policy create Ops');
    const form = setup.rig.last(alice);
    const refused = await setup.rig.submit(alice, form, { 'Level 1: people': '@10, nobody_here', 'Level 1: channel': '#2' });
    const shown = setup.rig.answerText(refused);
    expect(shown).toContain('Choose people from the list for Level 1: people.');
    expect(shown).toContain('Choose a channel from the list for Level 1: channel.');
    expect(await rows(setup.database.db, 'escalation_policies')).toEqual([]);
  });

  test('an owner typed as a mention look-alike is no mention: nobody is asked about, nobody is made an admin', async () => {
    await setup.rig.say(alice, 'steady admins add &lt;@29:nobody_here&gt;');
    expect(setup.rig.textsIn(alice).at(-1)).toBe('Name the person as a mention: /steady admins add @name.');
    expect((await rows(setup.database.db, 'workspace_admins')).map((a) => a.user_id)).toEqual([alice.id]);
  });
});
