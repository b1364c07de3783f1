/**
 * The website, privacy and terms pages a platform may require an app to link to. An adapter's app package
 * points at these pages on PUBLIC_HOST unless its settings name the organisation's own. They say
 * what a self-hosted Steady keeps and who is answerable for it: whoever runs it.
 */
export const HOME_PAGE = page('Steady', [
  '<h1>Steady</h1>',
  '<p>A chat bot that keeps a team&#39;s day moving: stand-ups at each member&#39;s own time, escalations driven to a decision, and shift handoffs. This server runs it for your organisation, in the chat platform your organisation connected.</p>',
  '<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p>',
]);

export const PRIVACY_PAGE = page('Steady: privacy', [
  '<h1>Privacy</h1>',
  '<p>Steady is a chat bot for stand-ups, escalations and shift handoffs that your organisation runs on its own server. The Steady project receives nothing from it.</p>',
  '<h2>What Steady keeps</h2>',
  '<ul>',
  '<li>For each person it meets: the chat platform&#39;s user id, display name and time zone.</li>',
  '<li>What people give it: stand-up answers, escalations with their updates and timelines, handoff notes, and the settings of stand-ups, rotations and escalation policies.</li>',
  '<li>References to the conversations and messages it posts, so that it can update them and send reminders.</li>',
  '</ul>',
  '<p>It is kept in your organisation&#39;s database and used only to run these workflows. Messages go only to the chat platforms your organisation connected. Logs hold ids, never what people wrote.</p>',
  '<h2>Questions and deletion</h2>',
  '<p>Your organisation decides how long data is kept. Ask whoever runs Steady for you (usually the team that added it to your workspace) to see or delete what it holds about you.</p>',
]);

export const TERMS_PAGE = page('Steady: terms of use', [
  '<h1>Terms of use</h1>',
  '<p>Steady is open-source software under the <a href="https://www.apache.org/licenses/LICENSE-2.0">Apache License 2.0</a>, provided as is, without warranties or conditions of any kind.</p>',
  '<p>This copy is run by your organisation. Using it is governed by your organisation&#39;s own policies for its chat workspace; ask whoever runs Steady for you about them.</p>',
]);

function page(title: string, body: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    // An empty icon: without one the browser asks for /favicon.ico, which Steady does not serve.
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">',
    `<title>${title}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style>',
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
