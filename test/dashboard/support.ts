import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { dashboardRouter } from '../../src/dashboard/router';
import type { CoreServices } from '../../src/core/services';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { insertEscalation } from '../../src/storage/escalation/escalations-repository';
import type { Db } from '../../db/schema';
import { makeAdmin, raise } from '../escalation/support';

export const PUBLIC_URL = 'https://steady.example.com';

export const TEAM = {
  alice: { displayName: 'Alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'Bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  dave: { displayName: 'Dave', timeZone: 'America/New_York' },
  erin: { displayName: 'Erin', timeZone: 'Europe/Berlin' },
};

export interface DashboardRigOptions {
  /** The Steady to serve, made on the rig's database; by default one with TEAM, whose links start with `publicUrl`. */
  readonly harness?: (database: TestDatabase) => Promise<Harness>;
  readonly publicUrl?: string;
  /** Services the dashboard is given in place of Steady's own. */
  readonly services?: Partial<CoreServices>;
  readonly exportRows?: number;
}

/** The dashboard mounted on these services as main.ts mounts it, served on a free loopback port. */
export function serveDashboard(
  db: Db,
  services: CoreServices,
  options: Pick<DashboardRigOptions, 'exportRows'> = {},
): Promise<RunningServer> {
  const app = createHttpApp({ db, log: silentLog });
  app.use('/dashboard', dashboardRouter(services, options.exportRows ? { exportRows: options.exportRows } : {}));
  return listen(app, '127.0.0.1', 0);
}

/**
 * Steady with a recording platform (people type commands in chat) and its HTTP server with the
 * dashboard mounted as main.ts mounts it; requests go over loopback with fetch, cookies by hand.
 * `DashboardRig.start` starts one in a test; `useDashboardRig` gives one to a file's tests.
 */
export class DashboardRig {
  private running?: { readonly h: Harness; readonly http: RunningServer };

  static async start(database: TestDatabase, options: DashboardRigOptions = {}): Promise<DashboardRig> {
    const rig = new DashboardRig();
    await rig.serve(database, options);
    return rig;
  }

  /** Makes Steady on this database and serves its dashboard. */
  async serve(database: TestDatabase, options: DashboardRigOptions = {}): Promise<void> {
    const h = options.harness
      ? await options.harness(database)
      : new Harness(database, { people: TEAM, steady: { publicUrl: options.publicUrl ?? PUBLIC_URL } });
    this.running = { h, http: await serveDashboard(database.db, { ...h.steady.services, ...options.services }, options) };
  }

  private get started(): { readonly h: Harness; readonly http: RunningServer } {
    if (!this.running) throw new Error('the dashboard rig is not started yet (useDashboardRig starts it in beforeAll)');
    return this.running;
  }

  get h(): Harness {
    return this.started.h;
  }

  /** The database Steady runs on. */
  get database(): TestDatabase {
    return this.started.h.database;
  }

  async close(): Promise<void> {
    await this.running?.http.close();
  }

  /** This server's address, for a browser (a link's path and query go after it). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.started.http.port}`;
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
    return fetch(`${this.baseUrl}${url.pathname}${url.search}`, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
  }

  post(path: string, cookie?: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: cookie ? { cookie } : {} });
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

/**
 * A DashboardRig for the tests of this file (or of the describe it is called in), on a database of its
 * own: opened, started and seeded in beforeAll; closed in afterAll. The rig answers once beforeAll ran.
 */
export function useDashboardRig(
  options: DashboardRigOptions & { readonly seed?: (rig: DashboardRig) => Promise<unknown> } = {},
): DashboardRig {
  const rig = new DashboardRig();
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
    await rig.serve(database, options);
    await options.seed?.(rig);
  });
  afterAll(async () => {
    await rig.close();
    await database?.close();
  });
  return rig;
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

/** ESC-1, open: alice raised "Printer down" (SEV2) for bob. */
export async function raisePrinterDown(rig: DashboardRig): Promise<void> {
  await raise(rig.h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob' });
}

/**
 * Alice, made an admin, raises ESC-1 (SEV1, in the caller's words) for bob, who acknowledges it and
 * resolves it an hour later; carol raises ESC-2, "Scanner slow" (SEV3), her own and still open.
 */
export async function raiseResolvedAndOpen(
  rig: DashboardRig,
  first: { readonly title: string; readonly impact?: string; readonly options?: string; readonly resolution: string },
): Promise<void> {
  const { h } = rig;
  const { resolution, ...words } = first;
  await makeAdmin(h, 'alice');
  await raise(h, 'alice', { ...words, severity: 'SEV1', owner: 'bob' });
  await h.as('bob').command('escalate', 'ack ESC-1');
  h.clock.advance(3_600_000);
  await h.as('bob').command('escalate', 'resolve ESC-1');
  await h.as('bob').submit({ resolution });
  await raise(h, 'carol', { title: 'Scanner slow', severity: 'SEV3', owner: 'carol' });
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
