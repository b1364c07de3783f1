/** `ESC-12`: how people name an escalation. Numbers are per workspace and never reused. */
export function formatReference(number: number): string {
  return `ESC-${number}`;
}

const REFERENCE = /^(?:ESC-?|#)?(\d{1,9})$/i;

/** The number in `ESC-12`, `esc-12`, `#12` or `12`; undefined for anything else. */
export function parseReference(text: string): number | undefined {
  const m = REFERENCE.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}
