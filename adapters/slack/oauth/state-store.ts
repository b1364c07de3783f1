import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidStateError, type InstallURLOptions, type StateStore } from '@slack/oauth';
import type { Clock } from '../../../src/core/clock';

/** How long an install started at /slack/install may take to come back to /slack/oauth_redirect. */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * The OAuth `state`: when the install started (by Steady's clock) and a nonce, signed with
 * SLACK_STATE_SECRET. A state not signed by this secret, or older than ten minutes, is refused.
 * The installer also checks it against the cookie set at /slack/install, so a state cannot be
 * replayed from another browser. Nothing is stored: any instance can check any state.
 */
export class SignedStateStore implements StateStore {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  async generateStateParam(_options: InstallURLOptions): Promise<string> {
    const body = Buffer.from(JSON.stringify({ at: this.clock.now().getTime(), n: randomBytes(12).toString('base64url') })).toString(
      'base64url',
    );
    return `${body}.${this.sign(body)}`;
  }

  async verifyStateParam(_now: Date, state: string): Promise<InstallURLOptions> {
    const [body, signature] = state.split('.');
    if (!body || !signature || !sameText(signature, this.sign(body)))
      throw new InvalidStateError('The state was not issued by this Steady.');
    let at: unknown;
    try {
      at = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { at?: unknown }).at;
    } catch {
      throw new InvalidStateError('The state is unreadable.');
    }
    const age = this.clock.now().getTime() - Number(at);
    if (!Number.isFinite(age) || age < 0 || age > STATE_TTL_MS) throw new InvalidStateError('The state has expired.');
    return { scopes: [] };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
