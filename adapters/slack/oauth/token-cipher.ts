import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Tokens at rest: AES-256-GCM with a key from the environment (SLACK_TOKEN_ENCRYPTION_KEY, 32
 * bytes in base64). A sealed value names the key that sealed it (`v1.<key id>.<iv>.<tag>.<data>`,
 * the id being the first 8 hex digits of the key's SHA-256), so keys can rotate: the new key seals,
 * old keys (SLACK_TOKEN_ENCRYPTION_OLD_KEYS) still open, and `needsResealing` finds what to seal
 * again. The installation id is the additional data: a value copied to another row does not open.
 */
export class TokenCipher {
  private readonly current: { readonly id: string; readonly key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, oldKeys: readonly Buffer[] = []) {
    if (currentKey.length !== 32) throw new Error('the token encryption key must be 32 bytes');
    this.current = { id: keyId(currentKey), key: currentKey };
    for (const key of [currentKey, ...oldKeys]) this.keys.set(keyId(key), key);
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.current.id, b64(iv), b64(cipher.getAuthTag()), b64(data)].join('.');
  }

  open(sealed: string, boundTo: string): string {
    const [version, id, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !id || iv === undefined || tag === undefined || data === undefined)
      throw new Error('a stored Slack token is not in a format Steady knows');
    const key = this.keys.get(id);
    if (!key)
      throw new Error(
        `a stored Slack token was sealed with key ${id}, which is neither SLACK_TOKEN_ENCRYPTION_KEY nor one of SLACK_TOKEN_ENCRYPTION_OLD_KEYS`,
      );
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch (err) {
      throw new Error(
        `a stored Slack token for ${boundTo} does not open with key ${id}: it was changed or belongs to another installation`,
        { cause: err },
      );
    }
  }

  /** Sealed with a key other than the current one. */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A key as SLACK_TOKEN_ENCRYPTION_KEY holds it, or undefined if it is not 32 bytes of base64. */
export function parseKey(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  return key.length === 32 ? key : undefined;
}

function b64(data: Buffer): string {
  return data.toString('base64url');
}
