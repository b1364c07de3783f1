/**
 * Lines of the form `<recipient><separator><text>`, grouped by recipient, each group in the order
 * it was sent. Jobs run concurrently, so what different people (or conversations) were sent at
 * the same moment arrives in no promised order; what one recipient was sent still does.
 */
export function byRecipient(lines: readonly string[], separator: string): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const line of lines) {
    const at = line.indexOf(separator);
    if (at < 0) throw new Error(`no "${separator}" in "${line}"`);
    const to = line.slice(0, at);
    groups[to] ??= [];
    groups[to].push(line.slice(at + separator.length));
  }
  return groups;
}
