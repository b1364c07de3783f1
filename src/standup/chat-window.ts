import { HOUR_MS } from '../core/duration';

/**
 * How long after its cut-off a day's questions are still answered in chat (marked late). Older
 * prompts leave the chat, so a message days later is not mistaken for an answer.
 */
export const LATE_CHAT_MS = 24 * HOUR_MS;

export function openForChat(now: Date): { cutoffAfter: Date } {
  return { cutoffAfter: new Date(now.getTime() - LATE_CHAT_MS) };
}
