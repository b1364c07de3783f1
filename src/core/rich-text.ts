import { FORMER_MEMBER_NAME, isFormerMember } from './former-member';
import { formatInZone, type TimeStyle } from './zoned-time';

/**
 * Text the bot says, as spans a renderer can turn into its platform's markup or terminal text. People,
 * channels and times are spans rather than strings because each platform shows them its own way (a
 * mention, a date in the reader's own zone).
 */
export type Span =
  | string
  | { readonly kind: 'bold'; readonly text: string }
  | { readonly kind: 'italic'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'user'; readonly userId: string; readonly name?: string }
  | { readonly kind: 'channel'; readonly ref: string; readonly name?: string }
  | { readonly kind: 'time'; readonly at: Date; readonly zone: string; readonly style: TimeStyle }
  | { readonly kind: 'link'; readonly url: string; readonly label: string };

export type RichText = string | readonly Span[];

export const bold = (text: string): Span => ({ kind: 'bold', text });
export const italic = (text: string): Span => ({ kind: 'italic', text });
export const code = (text: string): Span => ({ kind: 'code', text });
export const link = (url: string, label: string): Span => ({ kind: 'link', url, label });

/** A person; someone forgotten (FORMER_MEMBER_ID) reads as "a former member" on every platform. */
export function user(userId: string, name?: string): Span {
  if (isFormerMember(userId)) return FORMER_MEMBER_NAME;
  return name === undefined ? { kind: 'user', userId } : { kind: 'user', userId, name };
}

export function channel(ref: string, name?: string): Span {
  return name === undefined ? { kind: 'channel', ref } : { kind: 'channel', ref, name };
}

/**
 * An instant. `zone` is the zone to name when the platform cannot show the reader's own
 * (usually the zone of the person the message is for).
 */
export function time(at: Date, zone: string, style: TimeStyle = 'datetime'): Span {
  return { kind: 'time', at, zone, style };
}

/** How people and channels appear in what people typed, once the adapter has read it (see command-text.ts). */
const TYPED_MENTION = /<@([^>\s|]+)>|<#([^>\s|]+)>/g;

/**
 * The spans of a text, with the mentions inside typed text (a title naming `<@U1>`) made into
 * person and channel spans, so every platform shows them as it shows the bot's own mentions.
 */
export function spansOf(text: RichText): readonly Span[] {
  const given = typeof text === 'string' ? [text] : text;
  const spans = given.some(isFormerSpan) ? given.map((s) => (isFormerSpan(s) ? FORMER_MEMBER_NAME : s)) : given;
  if (!spans.some((s) => typedTextOf(s)?.includes('<'))) return spans;
  return spans.flatMap(typedMentions);
}

function isFormerSpan(span: Span): boolean {
  return typeof span !== 'string' && span.kind === 'user' && isFormerMember(span.userId);
}

function typedTextOf(span: Span): string | undefined {
  if (typeof span === 'string') return span;
  return span.kind === 'bold' || span.kind === 'italic' ? span.text : undefined;
}

/** Splits a plain, bold or italic span around the mentions in it; the pieces keep their emphasis. */
function typedMentions(span: Span): Span[] {
  const text = typedTextOf(span);
  if (text === undefined) return [span];
  const emphasis = typeof span === 'string' ? undefined : span.kind === 'italic' ? italic : bold;
  const piece = (t: string): Span => (emphasis ? emphasis(t) : t);
  const out: Span[] = [];
  let last = 0;
  for (const m of text.matchAll(TYPED_MENTION)) {
    if (m.index > last) out.push(piece(text.slice(last, m.index)));
    out.push(m[1] ? user(m[1]) : channel(m[2]!));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(piece(text.slice(last)));
  return out;
}

/** The text with every span flattened: the fallback every platform can show. */
export function plainText(text: RichText): string {
  return spansOf(text).map(plainSpan).join('');
}

function plainSpan(span: Span): string {
  if (typeof span === 'string') return span;
  switch (span.kind) {
    case 'bold':
    case 'italic':
    case 'code':
      return span.text;
    case 'user':
      return `@${span.name ?? span.userId}`;
    case 'channel':
      return span.name ? `#${span.name.replace(/^#/, '')}` : 'the channel';
    case 'time':
      return formatInZone(span.at, span.zone, span.style);
    case 'link':
      return `${span.label} (${span.url})`;
  }
}

/** Joins several rich texts with a separator. */
export function joinRich(parts: readonly RichText[], separator: string): Span[] {
  const out: Span[] = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(separator);
    out.push(...spansOf(part));
  });
  return out;
}
