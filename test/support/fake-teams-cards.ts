import { formatInZone } from '../../src/core/zoned-time';

/**
 * Reading what the bot sent to Teams as a person sees it: text messages without their HTML, cards
 * as lines (times shown in the reader's zone, as Teams' DATE()/TIME() do), inputs and buttons.
 */
export interface CardButton {
  readonly title: string;
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

export interface CardInput {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly value?: string;
  readonly choices?: { title: string; value: string }[];
  /** A people picker's data set (`graph.microsoft.com/users`). */
  readonly dataset?: string;
}

export function cardOf(activity: any): any | undefined {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** What a person sees of a message: lines of text, `[label: value]` for inputs, `[Button]` for buttons. */
export function visibleTeamsText(activity: any, zone = 'UTC'): string {
  const card = cardOf(activity);
  if (!card) return htmlToText(activity?.text ?? '');
  const lines: string[] = [];
  walk(card.body ?? [], zone, lines);
  return lines.join('\n');
}

export function buttonsOf(activity: any): CardButton[] {
  const out: CardButton[] = [];
  visit(cardOf(activity)?.body ?? [], (el) => {
    if (el.type === 'ActionSet') for (const a of el.actions ?? []) out.push({ title: a.title, verb: a.verb, data: a.data ?? {} });
  });
  return out;
}

export function inputsOf(activity: any): CardInput[] {
  const out: CardInput[] = [];
  visit(cardOf(activity)?.body ?? [], (el) => {
    if (typeof el.type === 'string' && el.type.startsWith('Input.')) {
      out.push({
        id: el.id,
        type: el.type,
        label: el.label ?? el.title ?? '',
        ...(el.value !== undefined ? { value: el.value } : {}),
        ...(el.choices ? { choices: el.choices } : {}),
        ...(el['choices.data'] ? { dataset: el['choices.data'].dataset } : {}),
      });
    }
  });
  return out;
}

/** Mentions the message carries (who Teams will notify). */
export function mentionedIds(activity: any): string[] {
  const entities = cardOf(activity)?.msteams?.entities ?? activity?.entities ?? [];
  return entities.filter((e: any) => e.type === 'mention').map((e: any) => e.mentioned.id);
}

export function expandCardTimes(text: string, zone: string): string {
  return text
    .replace(/\{\{DATE\(([^,)]+), SHORT\)\}\} \{\{TIME\(([^)]+)\)\}\}/g, (_m, at: string) => formatInZone(new Date(at), zone, 'datetime'))
    .replace(/\{\{DATE\(([^,)]+)(?:, [A-Z]+)?\)\}\}/g, (_m, at: string) => formatInZone(new Date(at), zone, 'date'))
    .replace(/\{\{TIME\(([^)]+)\)\}\}/g, (_m, at: string) => formatInZone(new Date(at), zone, 'time'));
}

/** Card markdown as read: formatting marks and escapes gone, mentions as @Name. */
export function markdownToText(text: string, zone: string): string {
  return expandCardTimes(text, zone)
    .replace(/<at>(.*?)<\/at>/g, '@$1')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .replace(/(^|[^\\])_(.*?[^\\])_/g, '$1$2')
    .replace(/\\([\\*_[\]`~])/g, '$1')
    .replace(/\u200b/g, '');
}

export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<at>(.*?)<\/at>/g, '@$1')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function walk(elements: any[], zone: string, lines: string[]): void {
  for (const el of elements) {
    switch (el.type) {
      case 'TextBlock':
        lines.push(markdownToText(el.text ?? '', zone));
        break;
      case 'ColumnSet': {
        const columns = (el.columns ?? []).map((c: any) => {
          const inner: string[] = [];
          walk(c.items ?? [], zone, inner);
          return inner.join(' ');
        });
        const labelled = el.columns?.length === 2 && el.columns[0].items?.length === 1 && el.columns[0].items[0].weight === 'Bolder';
        lines.push(labelled ? `${columns[0]}: ${columns[1]}` : columns.join(' | '));
        break;
      }
      case 'Container':
        walk(el.items ?? [], zone, lines);
        break;
      case 'ActionSet':
        lines.push((el.actions ?? []).map((a: any) => `[${a.title}]`).join(' '));
        break;
      default:
        if (typeof el.type === 'string' && el.type.startsWith('Input.')) {
          const label = el.label ?? el.title ?? el.id;
          const shown =
            el.choices && el.value !== undefined
              ? String(el.value)
                  .split(',')
                  .map((v: string) => el.choices.find((c: any) => c.value === v)?.title ?? v)
                  .join(', ')
              : el.value;
          lines.push(`[${label}${shown !== undefined && shown !== '' ? `: ${shown}` : ''}]`);
        }
    }
  }
}

function visit(elements: any[], fn: (el: any) => void): void {
  for (const el of elements) {
    fn(el);
    if (el.type === 'ColumnSet') for (const c of el.columns ?? []) visit(c.items ?? [], fn);
    if (el.type === 'Container') visit(el.items ?? [], fn);
  }
}
