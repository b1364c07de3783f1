import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { dashboardRouter } from '../../src/dashboard/router';
import type { CoreServices } from '../../src/core/services';
import { silentLog, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { insertEscalation } from '../../src/storage/escalation/escalations-repository';
import type { Db } from '../../db/schema';

export const PUBLIC_URL = 'https://steady.example.com';

export const TEAM = {
  alice: { displayName: 'Alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'Bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  dave: { displayName: 'Dave', timeZone: 'America/New_York' },
  erin: { displayName: 'Erin', timeZone: 'Europe/Berlin' },
};

/**
 * Steady with a recording platform (people type commands in chat) and its HTTP server with the
 * dashboard mounted as main.ts mounts it; requests go over loopback with fetch, cookies by hand.
 */
export class DashboardRig {
  private constructor(
    readonly h: Harness,
    private readonly http: RunningServer,
  ) {}

  static async start(
    database: TestDatabase,
    options: { publicUrl?: string; services?: Partial<CoreServices>; exportRows?: number } = {},
  ): Promise<DashboardRig> {
    const h = new Harness(database, { people: TEAM, steady: { publicUrl: options.publicUrl ?? PUBLIC_URL } });
    const app = createHttpApp({ db: database.db, log: silentLog });
    app.use(
      '/dashboard',
      dashboardRouter({ ...h.steady.services, ...options.services }, options.exportRows ? { exportRows: options.exportRows } : {}),
    );
    return new DashboardRig(h, await listen(app, '127.0.0.1', 0));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** This server's address, for a browser (a link's path and query go after it). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.http.port}`;
  }

  /** `/steady dashboard` as this person; the link they were shown. */
  async linkFor(userId: string): Promise<string> {
    await this.h.as(userId).command('steady', 'dashboard');
    const reply = this.h.repliesTo(userId).at(-1) ?? '';
    const url = /\((https?:\/\/[^\s)]+)\)/.exec(reply)?.[1];
    if (!url) throw new Error(`no link in: ${reply}`);
    return url;
  }

  /** A GET on this server of a path (or of a link's path and query), without following redirects. */
  get(pathOrUrl: string, cookie?: string): Promise<Response> {
    const url = new URL(pathOrUrl, 'http://x');
    return fetch(`http://127.0.0.1:${this.http.port}${url.pathname}${url.search}`, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
  }

  post(path: string, cookie?: string): Promise<Response> {
    return fetch(`http://127.0.0.1:${this.http.port}${path}`, { method: 'POST', redirect: 'manual', headers: cookie ? { cookie } : {} });
  }

  /** Follows a sign-in link; returns the session cookie (`name=value`) the answer set. */
  async signIn(link: string): Promise<string> {
    const res = await this.get(link);
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    return sessionCookie(res)!;
  }

  /** Signs a person in through chat and the link. */
  async session(userId: string): Promise<string> {
    return this.signIn(await this.linkFor(userId));
  }
}

export function sessionCookie(res: Response): string | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('steady_session='));
  return header?.split(';')[0];
}

/** The text of a page as a person reads it: tags dropped, entities decoded, spaces collapsed. */
export function pageText(markup: string): string {
  return markup
    .replace(/<\/?(a|strong|em|code|time|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A minimal RFC 4180 reader for the export (quoted fields with "" and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** ESC-1 of another workspace (test:W2), raised by zed at `raisedAt`, due at `dueAt`: what no session of this one may see. */
export async function otherWorkspaceEscalation(db: Db, times: { readonly raisedAt: Date; readonly dueAt: Date }): Promise<void> {
  await insertEscalation(db, {
    workspaceId: 'test:W2',
    number: 1,
    title: 'Other team’s boiler',
    impact: 'Cold',
    options: null,
    recommendation: null,
    severity: 'SEV1',
    ownerId: 'zed',
    raiserId: 'zed',
    createdBy: 'zed',
    conversation: 'test:C-other',
    dueAt: times.dueAt,
    policy: null,
    source: null,
    now: times.raisedAt,
  });
}
