import { splitFirstWord } from '../../core/command-text';
import type { WorkAction } from '../permissions';
import { parseReference } from '../reference';
import type { ListKind } from '../messages/views';

/** What `/escalate …` asks for, read from the text after the command. */
export type EscalateCommand =
  | { readonly kind: 'raise'; readonly title: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'list'; readonly filter: ListKind }
  | { readonly kind: 'show'; readonly number: number }
  | { readonly kind: 'work'; readonly action: WorkAction; readonly number: number; readonly rest: string }
  | { readonly kind: 'stats'; readonly days: number }
  | { readonly kind: 'policy'; readonly sub: 'list' | 'create' | 'edit' | 'delete' | 'default'; readonly rest: string }
  | { readonly kind: 'settings'; readonly rest: string }
  /** The former name of `/steady admins`, still understood. */
  | { readonly kind: 'admins'; readonly rest: string }
  | { readonly kind: 'usage'; readonly message: string };

const WORK_VERBS: Readonly<Record<string, WorkAction>> = {
  ack: 'acknowledge',
  acknowledge: 'acknowledge',
  update: 'update',
  reassign: 'reassign',
  due: 'change-due',
  resolve: 'resolve',
  cancel: 'cancel',
  reopen: 'reopen',
};

const WORK_USAGE: Readonly<Record<WorkAction, string>> = {
  acknowledge: '/escalate ack ESC-12',
  update: '/escalate update ESC-12 <what happened>',
  reassign: '/escalate reassign ESC-12 @name [reason]',
  'change-due': '/escalate due ESC-12 <+4h or YYYY-MM-DD HH:MM> <reason>',
  resolve: '/escalate resolve ESC-12 <decision>',
  cancel: '/escalate cancel ESC-12 <reason>',
  reopen: '/escalate reopen ESC-12 <reason>',
};

const raiseInstead = (verb: string, rest: string) => `To raise an escalation titled "${verb} ${rest}", use /escalate new ${verb} ${rest}.`;

export function parseEscalate(text: string): EscalateCommand {
  const { word, rest } = splitFirstWord(text);
  switch (word) {
    case '':
      return { kind: 'raise', title: '' };
    case 'new':
    case 'raise':
      return { kind: 'raise', title: rest };
    case 'help':
      return { kind: 'help' };
    case 'list': {
      const filter = (rest.toLowerCase() || 'all') as ListKind;
      if (filter === 'mine' || filter === 'all' || filter === 'overdue') return { kind: 'list', filter };
      return {
        kind: 'usage',
        message: `Use /escalate list mine, /escalate list all or /escalate list overdue. ${raiseInstead(word, rest)}`,
      };
    }
    case 'show': {
      const number = parseReference(rest);
      if (number !== undefined) return { kind: 'show', number };
      return { kind: 'usage', message: `Say which escalation: /escalate show ESC-12. ${rest ? raiseInstead(word, rest) : ''}`.trim() };
    }
    case 'stats': {
      const m = /^(\d{1,3})\s*d(?:ays?)?$/i.exec(rest);
      if (!rest) return { kind: 'stats', days: 30 };
      if (m && Number(m[1]) >= 1 && Number(m[1]) <= 365) return { kind: 'stats', days: Number(m[1]) };
      return { kind: 'usage', message: `Use /escalate stats 7d, 30d or 90d (any number of days up to 365). ${raiseInstead(word, rest)}` };
    }
    case 'policy':
    case 'policies': {
      const sub = splitFirstWord(rest);
      const name = sub.word || 'list';
      if (name === 'list' || name === 'create' || name === 'edit' || name === 'delete' || name === 'default')
        return { kind: 'policy', sub: name, rest: sub.rest };
      return { kind: 'usage', message: 'Use /escalate policy list, create [name], edit <name>, delete <name> or default <name|none>.' };
    }
    case 'settings':
      return { kind: 'settings', rest };
    case 'admins':
    case 'admin':
      return { kind: 'admins', rest };
  }
  const action = WORK_VERBS[word];
  if (action) {
    const target = splitFirstWord(rest);
    const number = parseReference(target.word);
    if (number !== undefined) return { kind: 'work', action, number, rest: target.rest };
    return { kind: 'usage', message: `Say which escalation: ${WORK_USAGE[action]}. ${rest ? raiseInstead(word, rest) : ''}`.trim() };
  }
  return { kind: 'raise', title: text.trim() };
}

export function workUsage(action: WorkAction): string {
  return WORK_USAGE[action];
}

/** `<#ref>` or `<#ref|name>` as adapters pass channel mentions; undefined otherwise. */
export function parseChannelToken(token: string): string | undefined {
  return /^<#([^>|\s]+)(?:\|[^>]*)?>$/.exec(token.trim())?.[1];
}
