import type { Block, Button, Message } from '../../../src/core/message';
import { TEAMS_LIMITS } from '../limits';
import { adaptiveCard, clip, fitCard, textBlock, type AdaptiveCard, type CardElement, type MentionEntity } from './adaptive-card';
import { cardText, escapeMarkdown } from './card-text';
import type { RenderNames } from './names';

/** What a card button sends back (Action.Execute data): routed to the workflow's action. */
export interface ButtonData {
  readonly steady: 'button';
  readonly actionId: string;
  readonly value: string;
}

export const BUTTON_VERB = 'steady.button';

/**
 * A core Message as an Adaptive Card: headers and sections as TextBlocks, fields as label/value
 * rows, buttons as Action.Execute rows where they stand, dividers as separators. Pure.
 */
export function messageCard(msg: Message, names: RenderNames, fallbackText: string): AdaptiveCard {
  const body: CardElement[] = [];
  const mentions: MentionEntity[] = [];
  let separate = false;
  const push = (elements: CardElement[]) => {
    elements.forEach((element, i) => {
      body.push(i === 0 && separate ? { ...element, separator: true, spacing: 'Medium' } : element);
    });
    if (elements.length) separate = false;
  };
  for (const block of msg.blocks) {
    if (block.type === 'divider') {
      separate = body.length > 0;
      continue;
    }
    push(renderBlock(block, names, mentions));
  }
  return fitCard(adaptiveCard(body, { fallbackText: clip(fallbackText, 1000), mentions }));
}

function renderBlock(block: Exclude<Block, { type: 'divider' }>, names: RenderNames, mentions: MentionEntity[]): CardElement[] {
  switch (block.type) {
    case 'header':
      return [textBlock(escapeMarkdown(block.text).replace(/\n/g, ' '), { size: 'Large', weight: 'Bolder' })];
    case 'section':
      return lines(block.text, names, mentions, {});
    case 'context':
      return lines(block.text, names, mentions, { size: 'Small', isSubtle: true });
    case 'fields':
      return block.fields.map((field) => ({
        type: 'ColumnSet',
        spacing: 'Small',
        columns: [
          { type: 'Column', width: 1, items: [textBlock(escapeMarkdown(field.label), { weight: 'Bolder' })] },
          { type: 'Column', width: 2, items: lines(field.value, names, mentions, {}) },
        ],
      }));
    case 'actions':
      return chunk(block.buttons, TEAMS_LIMITS.maxButtonsPerRow).map((row) => ({ type: 'ActionSet', actions: row.map(buttonAction) }));
  }
}

function lines(
  text: Parameters<typeof cardText>[0],
  names: RenderNames,
  mentions: MentionEntity[],
  options: Record<string, unknown>,
): CardElement[] {
  const rendered = cardText(text, names);
  mentions.push(...rendered.mentions);
  const out: CardElement[] = [];
  let gap = false;
  for (const line of rendered.lines) {
    if (!line.trim()) {
      gap = out.length > 0;
      continue;
    }
    out.push(textBlock(line, { ...options, ...(out.length ? { spacing: gap ? 'Medium' : 'None' } : {}) }));
    gap = false;
  }
  return out.length ? out : [textBlock(' ', options)];
}

export function buttonAction(button: Button): CardElement {
  const data: ButtonData = { steady: 'button', actionId: button.actionId, value: button.value };
  return {
    type: 'Action.Execute',
    title: clip(button.label, TEAMS_LIMITS.maxButtonTitleChars),
    verb: BUTTON_VERB,
    data,
    ...(button.style === 'primary' ? { style: 'positive' } : button.style === 'danger' ? { style: 'destructive' } : {}),
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
