import { escalationCard } from '../escalation/messages/card';
import { timelineLine } from '../escalation/messages/timeline';
import { SEVERITY_LABELS, isActive, type Escalation, type StoredEvent } from '../escalation/model';
import { formatInZone } from '../core/zoned-time';
import { html, type Html } from './html';
import { blocksHtml, richHtml, type Reader } from './rich-html';
import { SEVERITY_CHOICES, STATUSES, type Filters } from './filters';

/** Who is looking: shown in the header, and deciding what the pages say about what they see. */
export interface Viewer {
  readonly name: string;
  readonly isAdmin: boolean;
  readonly zone: string;
  readonly expiresAt: Date;
}

const NEW_LINK = 'type /steady dashboard in chat';

export function layout(title: string, body: Html, viewer?: Viewer): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Steady</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/static/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<span class="brand">Steady</span>
${viewer ? html`<nav aria-label="Dashboard"><a href="/dashboard">Overview</a><a href="/dashboard/escalations">Escalations</a><a href="/dashboard/standups">Stand-ups</a><a href="/dashboard/handoffs">Handoffs</a></nav>` : ''}
${
  viewer
    ? html`<span class="muted">Signed in as ${viewer.name}${viewer.isAdmin ? ' (workspace admin)' : ''} until <time datetime="${viewer.expiresAt.toISOString()}">${formatInZone(viewer.expiresAt, viewer.zone)}</time></span>
<form method="post" action="/dashboard/signout"><button type="submit">Sign out</button></form>`
    : ''
}
</header>
<main id="main">
${body}
</main>
<footer>Times are shown in ${viewer?.zone ?? 'UTC'}.</footer>
</body>
</html>
`;
}

const STATUS_LABELS: Readonly<Record<(typeof STATUSES)[number], string>> = {
  active: 'Open or acknowledged',
  open: 'Open (not acknowledged)',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
};

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

export interface EscalationsView {
  readonly filters: Partial<Filters>;
  readonly problem?: string;
  readonly items: readonly Escalation[];
  readonly total: number;
  readonly owners: readonly string[];
  readonly reader: Reader;
  readonly now: Date;
}

export function escalationsPage(viewer: Viewer, v: EscalationsView): Html {
  const f = v.filters;
  const name = (id: string) => v.reader.names.get(id) ?? id;
  const exportQuery = new URLSearchParams({ ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) }).toString();
  const exportSuffix = exportQuery ? `?${exportQuery}` : '';
  const rows = v.items.map(
    (e) => html`<tr>
<td><a href="/dashboard/escalations/${e.reference}">${e.reference}</a></td>
<td>${e.title}</td>
<td>${e.severity}</td>
<td>${e.status}</td>
<td>${name(e.ownerId)}</td>
<td><time datetime="${e.createdAt.toISOString()}">${formatInZone(e.createdAt, viewer.zone)}</time></td>
<td${isActive(e.status) && e.dueAt < v.now ? html` class="overdue"` : ''}><time datetime="${e.dueAt.toISOString()}">${formatInZone(e.dueAt, viewer.zone)}</time>${isActive(e.status) && e.dueAt < v.now ? ' (overdue)' : ''}</td>
</tr>`,
  );
  return layout(
    'Escalations',
    html`<h1>Escalations</h1>
<form class="filters" method="get" action="/dashboard/escalations">
<label for="f-status">Status
<select id="f-status" name="status">${option('', 'Any', f.status)}${STATUSES.map((s) => option(s, STATUS_LABELS[s], f.status))}</select></label>
<label for="f-severity">Severity
<select id="f-severity" name="severity">${option('', 'Any', f.severity)}${SEVERITY_CHOICES.map((s) => option(s, SEVERITY_LABELS[s], f.severity))}</select></label>
<label for="f-owner">Owner
<select id="f-owner" name="owner">${option('', 'Anyone', f.owner)}${v.owners.map((o) => option(o, name(o), f.owner))}</select></label>
<label for="f-from">Raised from
<input id="f-from" name="from" type="date" value="${f.from ?? ''}"></label>
<label for="f-to">Raised until
<input id="f-to" name="to" type="date" value="${f.to ?? ''}"></label>
<button type="submit">Show</button>
</form>
${v.problem ? html`<p role="alert" class="overdue">${v.problem}</p>` : ''}
<p class="exports">Export these dates' escalations with their timelines${f.from || f.to ? '' : ' (the last 30 days)'}: <a href="/dashboard/export/escalations.csv${exportSuffix}">CSV</a> <a href="/dashboard/export/escalations.json${exportSuffix}">JSON</a></p>
<p>${v.total === 0 ? 'No escalation matches these filters.' : v.items.length < v.total ? `The newest ${v.items.length} of ${v.total} escalations; narrow the filters to see the others.` : `${v.total} ${v.total === 1 ? 'escalation' : 'escalations'}, newest first.`}</p>
${
  v.items.length
    ? html`<div class="table-wrap"><table>
<caption>Escalations</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Owner</th><th scope="col">Raised</th><th scope="col">Due</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`
    : ''
}`,
    viewer,
  );
}

/** Every field (the card's, in the chat's words, and the times) and the whole timeline. */
export function escalationPage(viewer: Viewer, e: Escalation, events: readonly StoredEvent[], reader: Reader, now: Date): Html {
  const lastUpdate = [...events].reverse().find((ev) => ev.kind === 'updated');
  const card = escalationCard(e, { zone: viewer.zone, now, ...(lastUpdate ? { lastUpdate } : {}) });
  const when = (label: string, at: Date | null, by?: string | null) =>
    at
      ? html`<dt>${label}</dt><dd><time datetime="${at.toISOString()}">${formatInZone(at, viewer.zone)}</time>${by ? ` by ${reader.names.get(by) ?? by}` : ''}</dd>`
      : '';
  return layout(
    e.reference,
    html`<p><a href="/dashboard/escalations">← All escalations</a></p>
<article>
${blocksHtml(card.blocks, reader)}
<h2>Times</h2>
<dl class="fields">
${when('Raised', e.createdAt)}
${when('Due', e.dueAt)}
${when('Overdue since', e.overdueAt)}
${when('First acknowledged', e.firstAcknowledgedAt)}
${when('Acknowledged', e.acknowledgedAt, e.acknowledgedBy)}
${when('Resolved', e.resolvedAt, e.resolvedBy)}
${when('Cancelled', e.cancelledAt, e.cancelledBy)}
${when('Last changed', e.updatedAt)}
</dl>
<h2>Timeline</h2>
<ol class="timeline">
${events.map((ev) => html`<li>${richHtml(timelineLine(ev, viewer.zone), reader)}</li>`)}
</ol>
</article>`,
    viewer,
  );
}

export type SignedOutReason = 'unknown' | 'expired' | 'revoked' | 'missing' | 'signed-out';

const SIGNED_OUT: Readonly<Record<SignedOutReason, string>> = {
  missing: 'You are not signed in to the dashboard.',
  unknown: 'This sign-in link or session is not valid.',
  expired: 'This sign-in link has expired: links sign you in for 12 hours.',
  revoked: 'This sign-in link has been revoked.',
  'signed-out': 'You are signed out.',
};

export function signedOutPage(why: SignedOutReason): Html {
  return layout(
    why === 'signed-out' ? 'Signed out' : 'Sign in',
    html`<h1>${why === 'signed-out' ? 'Signed out' : 'Not signed in'}</h1>
<p>${SIGNED_OUT[why]}</p>
<p>To get a new link, ${NEW_LINK}. It answers only you.</p>`,
  );
}

export function problemPage(title: string, text: string, viewer?: Viewer): Html {
  return layout(title, html`<h1>${title}</h1><p>${text}</p><p><a href="/dashboard">Back to the dashboard</a></p>`, viewer);
}
