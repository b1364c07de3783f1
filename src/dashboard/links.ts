import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/schema';
import type { Actor } from '../core/refs';
import { DAY_MS } from '../core/duration';

/** A link signs its person in for this long; the session it starts ends with it. */
export const LINK_LIFETIME_MS = 12 * 3_600_000;

/**
 * Sign-in links are random tokens (32 bytes, base64url) stored as their SHA-256, rather than an HMAC
 * over workspace, person and expiry: each link and each person's links can be revoked by a row, and
 * there is no secret to configure, rotate or leak. The hash makes the table useless for signing in.
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Only something shaped like a token is looked up (43 base64url characters). */
export function looksLikeToken(text: string | undefined): text is string {
  return typeof text === 'string' && /^[A-Za-z0-9_-]{43}$/.test(text);
}

export interface IssuedLink {
  readonly token: string;
  readonly expiresAt: Date;
}

/** A link past its end is kept this long, so that using it says "expired" rather than "not valid". */
export const EXPIRED_KEPT_MS = 7 * DAY_MS;

export async function issueLink(db: Executor, actor: Actor, now: Date): Promise<IssuedLink> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS);
  // The person's links that ended long ago go as a new one is made: the table stays small without a job.
  await db
    .deleteFrom('dashboard_links')
    .where('workspace_id', '=', actor.workspaceId)
    .where('user_id', '=', actor.userId)
    .where('expires_at', '<', new Date(now.getTime() - EXPIRED_KEPT_MS))
    .execute();
  await db
    .insertInto('dashboard_links')
    .values({
      token_hash: hashToken(token),
      workspace_id: actor.workspaceId,
      user_id: actor.userId,
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}

/** Revokes every live link of the person; returns how many were live. */
export async function revokeLinks(db: Executor, actor: Actor, now: Date): Promise<number> {
  const result = await db
    .updateTable('dashboard_links')
    .set({ revoked_at: now })
    .where('workspace_id', '=', actor.workspaceId)
    .where('user_id', '=', actor.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type Session =
  | { readonly ok: true; readonly actor: Actor; readonly expiresAt: Date }
  | { readonly ok: false; readonly why: 'unknown' | 'expired' | 'revoked' };

/** Whose a token is, if it is a live link: the workspace always comes from here, never from a URL. */
export async function checkToken(db: Executor, token: string | undefined, now: Date): Promise<Session> {
  if (!looksLikeToken(token)) return { ok: false, why: 'unknown' };
  const row = await db.selectFrom('dashboard_links').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row) return { ok: false, why: 'unknown' };
  if (row.revoked_at) return { ok: false, why: 'revoked' };
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, why: 'expired' };
  return { ok: true, actor: { workspaceId: row.workspace_id, userId: row.user_id }, expiresAt: row.expires_at };
}
