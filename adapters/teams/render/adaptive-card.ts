import { TEAMS_LIMITS } from '../limits';

/**
 * The parts of the Adaptive Card schema Steady draws with. Loose on purpose: the card is JSON that
 * Teams reads, and its schema is Microsoft's.
 */
export interface CardElement {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface MentionEntity {
  readonly type: 'mention';
  /** Exactly as it appears in the text: `<at>Name</at>`. */
  readonly text: string;
  readonly mentioned: { readonly id: string; readonly name: string };
}

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly body: CardElement[];
  readonly fallbackText?: string;
  readonly msteams: { readonly width: 'Full'; readonly entities?: MentionEntity[] };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCard(
  body: CardElement[],
  options: { fallbackText?: string; mentions?: readonly MentionEntity[] } = {},
): AdaptiveCard {
  const mentions = uniqueMentions(options.mentions ?? []);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_LIMITS.cardVersion,
    body,
    ...(options.fallbackText ? { fallbackText: options.fallbackText } : {}),
    msteams: { width: 'Full', ...(mentions.length ? { entities: mentions } : {}) },
  };
}

export function uniqueMentions(mentions: readonly MentionEntity[]): MentionEntity[] {
  const seen = new Set<string>();
  return mentions.filter((m) => {
    const key = `${m.mentioned.id}\u0000${m.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: clip(text, TEAMS_LIMITS.maxTextBlockChars), wrap: true, ...options };
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Keeps a card under Teams' size limit: drops elements from the end (keeping the last row of
 * buttons, which is how people act on it) and says that it did.
 */
export function fitCard(card: AdaptiveCard, maxChars: number = TEAMS_LIMITS.maxCardChars): AdaptiveCard {
  if (JSON.stringify(card).length <= maxChars) return card;
  const body = [...card.body];
  const last = body[body.length - 1];
  const keep = last?.type === 'ActionSet' ? body.pop() : undefined;
  const marker = textBlock(TEAMS_LIMITS.truncatedMarker, { isSubtle: true, size: 'Small' });
  while (body.length > 1 && JSON.stringify({ ...card, body: [...body, marker, ...(keep ? [keep] : [])] }).length > maxChars) body.pop();
  return { ...card, body: [...body, marker, ...(keep ? [keep] : [])] };
}
