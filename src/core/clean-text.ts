import type { FormValues } from './form';
import type { InboundEvent } from './inbound';

/**
 * Text from people and platforms as PostgreSQL will store it. PostgreSQL refuses U+0000 in text and
 * jsonb, and jsonb refuses a lone UTF-16 surrogate (half of an emoji, cut by a client). Neither is
 * something a person meant to type, so both are removed rather than the whole message refused:
 * `a\u0000b` is read as `ab`. Every adapter cleans what it reads before the core sees it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this finds (PostgreSQL text refuses it)
const REFUSED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(REFUSED, '');
}

/**
 * Every string in a parsed JSON value (a request body, a card's data), keys included, cleaned;
 * other values kept. Nesting deeper than `maxDepth` is cut off (it comes from no real client).
 */
export function cleanDeep(value: unknown, maxDepth = 32): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') return value;
  if (maxDepth <= 0) return null;
  if (Array.isArray(value)) return value.map((item) => cleanDeep(item, maxDepth - 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a key "__proto__" from JSON stays a plain key, never the object's prototype.
    Object.defineProperty(out, cleanText(key), {
      value: cleanDeep(item, maxDepth - 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** An inbound event with every string in it cleaned: what each adapter hands the dispatcher. */
export function cleanInboundEvent(event: InboundEvent): InboundEvent {
  switch (event.type) {
    case 'command':
      return { ...event, command: cleanText(event.command), text: cleanText(event.text) };
    case 'button':
      return { ...event, actionId: cleanText(event.actionId), value: cleanText(event.value) };
    case 'direct-message':
      return { ...event, text: cleanText(event.text) };
    case 'form':
      return {
        ...event,
        formId: cleanText(event.formId),
        values: cleanDeep(event.values) as FormValues,
        ...(event.state === undefined ? {} : { state: cleanText(event.state) }),
      };
  }
}
