import type { Message } from '../../src/core/message';
import { plainText } from '../../src/core/rich-text';

/** What a person sees of a message, as plain lines: every block, buttons as [Label]. */
export function visibleText(msg: Message): string {
  const lines: string[] = [];
  for (const block of msg.blocks) {
    switch (block.type) {
      case 'header':
        lines.push(block.text);
        break;
      case 'section':
      case 'context':
        lines.push(plainText(block.text));
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${f.label}: ${plainText(f.value)}`);
        break;
      case 'actions':
        lines.push(block.buttons.map((b) => `[${b.label}]`).join(' '));
        break;
      case 'divider':
        lines.push('---');
        break;
    }
  }
  return lines.join('\n');
}
