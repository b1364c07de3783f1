import type { types } from '@slack/bolt';
import type { Message } from '../../../src/core/message';
import { LIMITS } from './limits';
import { renderBlocks } from './blocks';
import { dateToken } from './mrkdwn';

/**
 * A person's home (the core's neutral message) as the App Home tab, with a line saying when it was
 * drawn: the tab is redrawn when it is opened, and after each button pressed in it.
 */
export function renderHomeView(home: Message, drawn: { readonly updatedAt: Date; readonly zone: string }): types.HomeView {
  const blocks = renderBlocks(home, LIMITS.viewBlocks - 1);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Updated ${dateToken(drawn.updatedAt, drawn.zone, 'time')}` }] });
  return { type: 'home', blocks };
}
