/**
 * Names a renderer needs and the core's spans do not always carry: people's display names (for
 * mentions) and channel labels. Looked up before rendering, so renderers stay pure.
 */
export interface RenderNames {
  readonly users: ReadonlyMap<string, string>;
  readonly channels: ReadonlyMap<string, string>;
}

export const NO_NAMES: RenderNames = { users: new Map(), channels: new Map() };

/** A name safe inside `<at>…</at>`: Teams matches the text exactly, so no markup and no line breaks. */
export function mentionName(name: string): string {
  const clean = name
    .replace(/[<>\r\n]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean || 'someone';
}
