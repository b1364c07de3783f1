import type { ServerResponse } from 'node:http';
import { ErrorCode, type CodedError, type Installation } from '@slack/oauth';

/** The pages a person installing Steady sees in the browser: plain HTML, nothing from outside. */

export const INSTALL_PATH = '/slack/install';
export { OAUTH_REDIRECT_PATH as REDIRECT_PATH } from '../app-config';

export function installPage(url: string): string {
  return page(
    'Install Steady in Slack',
    `<p>Steady asks for the bot permissions listed on Slack's next page, and for nothing on your behalf.</p>
<p><a class="button" href="${escapeHtml(url)}">Add to Slack</a></p>
<p class="small">For an Enterprise Grid organisation, an org admin can install Steady for the whole organisation from the same link.</p>`,
  );
}

export function successPage(res: ServerResponse, installation: Installation): void {
  const where = installation.isEnterpriseInstall
    ? `the organisation ${installation.enterprise?.name ?? installation.enterprise?.id ?? ''}`
    : `the workspace ${installation.team?.name ?? installation.team?.id ?? ''}`;
  send(
    res,
    200,
    page(
      'Steady is installed',
      `<p>Steady is installed in ${escapeHtml(where)}.</p><p>In Slack, type <code>/steady help</code> to begin. You can close this page.</p>`,
    ),
  );
}

export function failurePage(res: ServerResponse, error: CodedError): void {
  if (error.code === ErrorCode.InvalidStateError || error.code === ErrorCode.MissingStateError) {
    send(
      res,
      400,
      page(
        'This install link is not valid',
        `<p>The install was not started here in this browser, or it was started more than ten minutes ago. Nothing was stored.</p>
<p><a href="${INSTALL_PATH}">Start the install again</a>.</p>`,
      ),
    );
    return;
  }
  if (error.code === ErrorCode.AuthorizationError || error.code === ErrorCode.MissingCodeError) {
    send(
      res,
      400,
      page(
        'Steady was not installed',
        `<p>The install was cancelled in Slack, so nothing was stored.</p><p><a href="${INSTALL_PATH}">Start the install again</a> when you are ready.</p>`,
      ),
    );
    return;
  }
  send(
    res,
    502,
    page(
      'Steady was not installed',
      `<p>Slack did not complete the install, so nothing was stored. <a href="${INSTALL_PATH}">Try again</a>; if it keeps failing, the person who runs Steady will find the reason in its log.</p>`,
    ),
  );
}

function send(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
.button{display:inline-block;padding:.6rem 1.2rem;background:#4a154b;color:#fff;border-radius:.3rem;text-decoration:none}.small{color:#555;font-size:.9rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
