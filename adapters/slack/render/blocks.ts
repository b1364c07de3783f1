import type { types } from '@slack/bolt';
import type { Block, Button, FieldBlock, Message } from '../../../src/core/message';
import { plainText } from '../../../src/core/rich-text';
import { LIMITS, chunks, mustFit, truncate } from './limits';
import { escapeMrkdwn, mrkdwn } from './mrkdwn';

export type SlackBlock = types.KnownBlock;

/**
 * A neutral message as Block Kit: pure, so tests can compare what a person would see.
 * Fields and buttons beyond one block's limit spill into the next block; blocks beyond the
 * message's limit are cut, with a line saying how many were left out.
 */
export function renderBlocks(msg: Message, maxBlocks: number = LIMITS.messageBlocks): SlackBlock[] {
  const ids = new ActionIds();
  const blocks = msg.blocks.flatMap((block) => renderBlock(block, ids));
  if (blocks.length <= maxBlocks) return blocks;
  const kept = blocks.slice(0, maxBlocks - 1);
  const left = blocks.length - kept.length;
  kept.push(contextBlock(`… ${left} more ${left === 1 ? 'part' : 'parts'} not shown: Slack shows at most ${maxBlocks} in one message.`));
  return kept;
}

/** The top-level `text` of a message: what notifications and screen readers show. */
export function notificationText(msg: Message): string {
  if (msg.fallback) return truncate(escapeMrkdwn(msg.fallback), LIMITS.notificationText);
  const lines: string[] = [];
  for (const block of msg.blocks) {
    switch (block.type) {
      case 'header':
        lines.push(escapeMrkdwn(block.text));
        break;
      case 'section':
      case 'context':
        lines.push(mrkdwn(block.text));
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${escapeMrkdwn(f.label)}: ${mrkdwn(f.value)}`);
        break;
      case 'actions':
      case 'divider':
        break;
    }
  }
  return truncate(lines.filter((l) => l.trim()).join('\n') || ' ', LIMITS.notificationText);
}

function renderBlock(block: Block, ids: ActionIds): SlackBlock[] {
  switch (block.type) {
    case 'header': {
      const text = block.text.trim();
      return text ? [{ type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } }] : [];
    }
    case 'section': {
      const text = mrkdwn(block.text);
      return text.trim() ? [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.text) } }] : [];
    }
    case 'context': {
      const text = mrkdwn(block.text);
      return text.trim() ? [contextBlock(text)] : [];
    }
    case 'fields':
      return chunks(block.fields, LIMITS.sectionFields).map((run) => ({
        type: 'section',
        fields: run.map((field) => ({ type: 'mrkdwn' as const, text: fieldText(field) })),
      }));
    case 'actions':
      return chunks(block.buttons, LIMITS.actionsElements).map((run) => ({
        type: 'actions',
        elements: run.map((button) => renderButton(button, ids)),
      }));
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function contextBlock(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.text) }] };
}

function fieldText(field: FieldBlock): string {
  const value = mrkdwn(field.value);
  return truncate(`*${escapeMrkdwn(field.label)}*\n${value.trim() ? value : '—'}`, LIMITS.fieldText);
}

function renderButton(button: Button, ids: ActionIds): types.Button {
  return {
    type: 'button',
    action_id: ids.next(button.actionId),
    text: { type: 'plain_text', text: truncate(plainText(button.label) || '…', LIMITS.buttonText), emoji: true },
    value: mustFit(`the value of button "${button.label}"`, button.value, LIMITS.buttonValue),
    ...(button.style ? { style: button.style } : {}),
  };
}

/**
 * Slack wants each action_id once per message, but a list can carry one "Acknowledge" per item:
 * repeats get a `~2`, `~3`… suffix that `actionIdOf` takes off again.
 */
class ActionIds {
  private readonly seen = new Map<string, number>();

  next(actionId: string): string {
    const count = (this.seen.get(actionId) ?? 0) + 1;
    this.seen.set(actionId, count);
    return mustFit('an action id', count === 1 ? actionId : `${actionId}~${count}`, LIMITS.actionId);
  }
}

/** The workflow's action id of a pressed Slack button. */
export function actionIdOf(slackActionId: string): string {
  return slackActionId.replace(/~\d+$/, '');
}
