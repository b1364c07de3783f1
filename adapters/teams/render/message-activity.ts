import { fallbackText, type Message } from '../../../src/core/message';
import { spansOf, type RichText } from '../../../src/core/rich-text';
import { TEAMS_LIMITS } from '../limits';
import { ADAPTIVE_CARD_CONTENT_TYPE, clip, type AdaptiveCard, type MentionEntity, uniqueMentions } from './adaptive-card';
import { htmlText } from './html-text';
import { messageCard } from './message-card';
import type { RenderNames } from './names';

/** The message part of a Bot Framework activity, as the connector takes it. */
export interface OutgoingActivity {
  readonly type: 'message';
  readonly text?: string;
  readonly textFormat?: 'xml';
  readonly summary?: string;
  readonly attachments?: readonly { readonly contentType: string; readonly content: AdaptiveCard }[];
  readonly entities?: readonly MentionEntity[];
}

/**
 * A core Message as what Teams shows best: a plain text message when it is only words (it reads
 * like a person's reply), an Adaptive Card when it has a header, fields, buttons, dividers or times
 * (a card shows times in each reader's own zone).
 */
export function messageActivity(msg: Message, names: RenderNames): OutgoingActivity {
  const summary = clip(fallbackText(msg).replace(/\s+/g, ' ').trim(), TEAMS_LIMITS.maxSummaryChars);
  if (needsCard(msg)) return cardActivity(messageCard(msg, names, fallbackText(msg)), summary);
  const parts: string[] = [];
  const mentions: MentionEntity[] = [];
  for (const block of msg.blocks) {
    if (block.type !== 'section' && block.type !== 'context') continue;
    const rendered = htmlText(block.text, names);
    mentions.push(...rendered.mentions);
    parts.push(block.type === 'context' ? `<i>${rendered.html}</i>` : rendered.html);
  }
  const unique = uniqueMentions(mentions);
  return {
    type: 'message',
    text: clip(parts.join('<br><br>'), TEAMS_LIMITS.maxTextMessageChars),
    textFormat: 'xml',
    ...(unique.length ? { entities: unique } : {}),
  };
}

export function cardActivity(card: AdaptiveCard, summary: string): OutgoingActivity {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

function needsCard(msg: Message): boolean {
  return msg.blocks.some((block) => {
    if (block.type === 'section' || block.type === 'context') return hasTime(block.text);
    return true;
  });
}

function hasTime(text: RichText): boolean {
  return spansOf(text).some((span) => typeof span !== 'string' && span.kind === 'time');
}
