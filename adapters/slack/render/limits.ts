/**
 * Block Kit's limits, in one place (https://docs.slack.dev/reference/block-kit). Renderers cut
 * visible text to fit, with a marker, rather than have Slack refuse the whole message; values the
 * bot reads back (button values, option values, ids) are never cut: one that does not fit is a bug.
 */
export const LIMITS = {
  /** Blocks in a message. */
  messageBlocks: 50,
  /** Blocks in a modal or the App Home tab. */
  viewBlocks: 100,
  /** Fields in one section block. */
  sectionFields: 10,
  /** A section's or context's text. */
  text: 3000,
  /** One field of a section. */
  fieldText: 2000,
  /** A header block's plain text. */
  headerText: 150,
  /** Elements of an actions block. */
  actionsElements: 25,
  /** Elements of a context block. */
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** A message's top-level `text` (the notification); Slack allows more, but shows far less. */
  notificationText: 3000,
  /** Modal title, submit and close labels. */
  viewTitle: 24,
  viewButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  /** plain_text_input's max_length. */
  textInput: 3000,
  /** Options of a static select (and multi select). */
  selectOptions: 100,
  /** Options of a checkboxes element. */
  checkboxOptions: 10,
  /** An option's label; the core keeps the labels it writes within it (src/handoff/forms/note.ts). */
  optionText: 75,
  optionValue: 150,
  /** The message of one field's error in response_action: errors. */
  fieldError: 2000,
} as const;

/** Put where text was cut, so a reader knows there was more. */
export const TRUNCATION_MARKER = '…';

/**
 * The text cut to `limit` characters with the marker at the end, never inside a surrogate pair, a
 * `<…>` token (mention, date, link) or an `&…;` entity: half of one would show as garbage.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit - TRUNCATION_MARKER.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  return `${cut}${TRUNCATION_MARKER}`;
}

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Thrown when a value the bot must read back does not fit: cutting it would break the button or form. */
export class BlockKitLimitError extends Error {
  override readonly name = 'BlockKitLimitError';
}

export function mustFit(what: string, value: string, limit: number): string {
  if (value.length > limit) throw new BlockKitLimitError(`${what} is ${value.length} characters; Slack allows ${limit}`);
  return value;
}
