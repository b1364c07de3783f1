import pino from 'pino';
import type { Db } from '../../db/schema';
import { SingleTokenInstallation } from '../../adapters/slack/installations';
import { conversationRef } from '../../adapters/slack/refs';
import { SlackApi } from '../../adapters/slack/slack-api';
import { SlackPlatform } from '../../adapters/slack/slack-platform';
import { systemClock } from '../../src/core/clock';
import type { FormValues } from '../../src/core/form';
import type { Interaction } from '../../src/core/inbound';
import { Platforms } from '../../src/core/platform';
import { createSteady } from '../../src/steady';
import { TEAM } from './standup-wave';

const silent = pino({ level: 'silent' });

/**
 * Open escalations for the command benches to list and update, raised as a person raises them
 * (`/escalate new …`, then the form), through Steady's core and its real Slack platform talking to
 * the fake Slack Web API: each card is posted in a channel of its own, so the thread an update is
 * posted under exists at the fake. Runs in the bench's process and is gone before the load starts.
 */
export async function raiseEscalations(
  db: Db,
  apiUrl: string,
  token: string,
  args: { count: number; raiser: string; owner: string },
): Promise<void> {
  const api = new SlackApi({ apiUrl, log: silent });
  const installations = await SingleTokenInstallation.verify({ api, db, clock: systemClock, log: silent, token });
  const platforms = new Platforms();
  platforms.register(new SlackPlatform({ api, installations, clock: systemClock, log: silent }));
  const steady = createSteady({ db, clock: systemClock, log: silent, platforms });
  for (let i = 1; i <= args.count; i++) {
    const opened: { formId?: string; state?: string } = {};
    const interaction: Interaction = {
      actor: { workspaceId: `slack:${TEAM}`, userId: args.raiser },
      conversation: conversationRef(TEAM, `C0ESC${i}`),
      correlationId: `setup-${i}`,
      replyPrivately: async () => undefined,
      openForm: async (form) => {
        opened.formId = form.formId;
        if (form.state !== undefined) opened.state = form.state;
      },
    };
    await steady.dispatcher.handle({ type: 'command', command: 'escalate', text: `new Bench escalation ${i}` }, interaction);
    if (!opened.formId) throw new Error('/escalate new opened no form');
    const values: FormValues = {
      title: `Bench escalation ${i}`,
      impact: 'Measured by the command-path bench',
      severity: 'SEV3',
      owner: args.owner,
    };
    const outcome = await steady.dispatcher.handle(
      { type: 'form', formId: opened.formId, values, ...(opened.state === undefined ? {} : { state: opened.state }) },
      interaction,
    );
    if (outcome?.status !== 'done') throw new Error(`raising an escalation was refused: ${JSON.stringify(outcome)}`);
  }
}
