/**
 * What a person sees of Block Kit, as plain lines: mentions as names, dates as their fallback,
 * links as their label, `*bold*` markers dropped, buttons as [Label]. Used to assert on what the
 * Slack adapter sent, the way visible-text.ts does for the neutral model.
 */
export interface Names {
  readonly user?: (id: string) => string | undefined;
  readonly channel?: (id: string) => string | undefined;
}

export function mrkdwnText(text: string, names: Names = {}): string {
  return text
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${names.user?.(id) ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || names.channel?.(id) || id}`)
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<([^|>]+)\|([^>]*)>/g, '$2')
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s.,;:!?)])/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function blockKitText(blocks: readonly any[], names: Names = {}): string {
  const lines: string[] = [];
  const text = (obj: any): string => (obj?.type === 'mrkdwn' ? mrkdwnText(String(obj.text), names) : String(obj?.text ?? ''));
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(text(block.text));
        break;
      case 'section':
        if (block.text) lines.push(text(block.text));
        for (const field of block.fields ?? []) lines.push(text(field).replace('\n', ': '));
        break;
      case 'context':
        lines.push(block.elements.map(text).join(' '));
        break;
      case 'actions':
        lines.push(block.elements.map((e: any) => `[${e.text?.text ?? e.type}]`).join(' '));
        break;
      case 'divider':
        lines.push('---');
        break;
      case 'input':
        lines.push(`${block.label.text}${block.optional ? ' (optional)' : ''}: <${block.element.type}>`);
        break;
      default:
        lines.push(`<${block.type}>`);
    }
  }
  return lines.join('\n');
}

/** The buttons of some blocks, with the block they are in. */
export function buttonsIn(
  blocks: readonly any[],
): { readonly blockId?: string; readonly actionId: string; readonly value: string; readonly label: string }[] {
  return blocks.flatMap((block) =>
    block.type === 'actions'
      ? block.elements
          .filter((e: any) => e.type === 'button')
          .map((e: any) => ({
            ...(block.block_id ? { blockId: block.block_id } : {}),
            actionId: e.action_id,
            value: e.value ?? '',
            label: e.text.text,
          }))
      : [],
  );
}
