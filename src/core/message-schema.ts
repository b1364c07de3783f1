import { z } from 'zod';
import type { Block, Message } from './message';
import type { RichText, Span } from './rich-text';

/**
 * Rich text and messages as stored in a job's payload (JSON): checked when read back, with times revived as
 * instants, so a message decided in one transaction can be sent by another process later.
 */
const span: z.ZodType<Span> = z.union([
  z.string(),
  z.object({ kind: z.enum(['bold', 'italic', 'code']), text: z.string() }),
  z.object({ kind: z.literal('user'), userId: z.string(), name: z.string().optional() }),
  z.object({ kind: z.literal('channel'), ref: z.string(), name: z.string().optional() }),
  z.object({ kind: z.literal('time'), at: z.coerce.date(), zone: z.string(), style: z.enum(['datetime', 'time', 'date']) }),
  z.object({ kind: z.literal('link'), url: z.string(), label: z.string() }),
]) as z.ZodType<Span>;

export const richTextSchema: z.ZodType<RichText> = z.union([z.string(), z.array(span)]);

const button = z.object({
  actionId: z.string(),
  value: z.string(),
  label: z.string(),
  style: z.enum(['primary', 'danger']).optional(),
});

const block: z.ZodType<Block> = z.union([
  z.object({ type: z.literal('header'), text: z.string() }),
  z.object({ type: z.enum(['section', 'context']), text: richTextSchema }),
  z.object({ type: z.literal('fields'), fields: z.array(z.object({ label: z.string(), value: richTextSchema })) }),
  z.object({ type: z.literal('actions'), buttons: z.array(button) }),
  z.object({ type: z.literal('divider') }),
]) as z.ZodType<Block>;

/** A whole message as stored in a job's payload, checked and revived the same way. */
export const messageSchema: z.ZodType<Message> = z.object({
  blocks: z.array(block),
  fallback: z.string().optional(),
}) as z.ZodType<Message>;
