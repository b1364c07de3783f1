import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTestDatabase } from '../support/database';
import { runConsole } from '../support/console-script';

/**
 * Every console example in README.md runs as shown. A block after `<!-- console-script: <file> -->`
 * is a script from `examples/` (the block and the file must be the same); it is piped through the
 * console at several times of day, since a reader runs it whenever they like, and what the README
 * promises must be seen each time. A block after `<!-- console-transcript … -->` shows a session:
 * its `/` lines are typed, and everything else in it must be what the console shows.
 */
const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Block {
  readonly marker: string | undefined;
  readonly body: string;
  /** The README's line where the block starts, for messages. */
  readonly line: number;
}

function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    const previous = lines
      .slice(0, i)
      .reverse()
      .find((l) => l.trim() !== '');
    const marker = /^<!-- (console-(?:script|transcript)[^>]*?) -->$/.exec(previous?.trim() ?? '')?.[1];
    blocks.push({
      marker,
      body: `${lines
        .slice(i + 1, end)
        .map((l) => l.slice(fence[1]!.length))
        .join('\n')}\n`,
      line: i + 1,
    });
    i = end;
  }
  return blocks;
}

const blocks = fencedBlocks(README);
const looksLikeConsole = (b: Block) => /^(\/|\$ npm start)/.test(b.body);
const scripts = blocks
  .filter((b) => b.marker?.startsWith('console-script:'))
  .map((b) => ({ ...b, file: b.marker!.slice('console-script:'.length).trim() }));
const transcripts = blocks.filter((b) => b.marker?.startsWith('console-transcript'));

/** What the README says each script shows, beyond "nothing went wrong". */
const PROMISED: Readonly<Record<string, readonly (string | RegExp)[]>> = {
  'examples/handoff.txt': [
    'Created the rotation Ops: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @alice, @bob · notes to #ops · supervisor @eve.',
    /\[DM with @alice\] Steady:\n {2}Handoff due: Ops\n {2}Your shift ends at \d\d:\d\d CET\. Write your handoff note for @bob, who takes over [^\n]+\.\n {2}\[1\] Write handoff\n/,
    '@alice> 1\n── Handoff: Ops ── (/cancel to stop)',
    /Saved\. Your Ops handoff note goes to @bob and #ops at \d\d:\d\d CET\./,
    /\[#ops\] Steady:\n {2}Handoff · Ops\n {2}From @alice to @bob · shift change [^\n]+\n {2}Status: Watch\n/,
    /\[DM with @bob\] Steady:\n {2}Handoff · Ops\n[\s\S]*? {2}\[2\] Confirm {3}\[3\] Ask a question\n/,
    /@bob> 2\n\[#ops · only @bob sees this\] Steady:\n {2}Handoff confirmed at \d\d:\d\d CET\. You are on shift for Ops\./,
    /Ops \(Europe\/Berlin\)\n {2}Now: @bob, until /,
  ],
};

/** Never in a session that runs as the README says. */
const TROUBLE = ['Please fix:', 'There is no button', "I don't know", 'Something went wrong', 'is over', 'Not added', 'Usage:'];

/** A Sunday morning, a Monday afternoon just before a shift change, a Monday night. */
const STARTS = ['2026-11-29T09:01:00Z', '2026-11-30T13:50:00Z', '2026-11-30T22:10:00Z'];

describe('README.md', () => {
  test('every picture and file it links to inside the repository is there', () => {
    const local = [...README.matchAll(/\]\(((?:docs|manifests|deploy|examples|test|db|src|adapters)\/[^)#\s]+)\)/g)].map((m) => m[1]!);
    expect(local.length).toBeGreaterThan(0);
    expect(local.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  test('every console example is marked as a script or a transcript, and every script in examples/ is shown', () => {
    expect(
      blocks
        .filter(looksLikeConsole)
        .filter((b) => !b.marker)
        .map((b) => `README.md:${b.line}`),
    ).toEqual([]);
    expect(scripts.map((s) => s.file).sort()).toEqual(
      readdirSync(join(ROOT, 'examples'))
        .map((f) => `examples/${f}`)
        .sort(),
    );
    expect(transcripts.length).toBeGreaterThan(0);
  });

  test.each(scripts.map((s) => [s.file, s] as const))('%s is what the README shows', (file, block) => {
    expect(block.body).toBe(readFileSync(join(ROOT, file), 'utf8'));
    expect(PROMISED[file]).toBeDefined();
  });

  test.each(scripts.flatMap((s) => STARTS.map((start) => [s.file, start] as const)))(
    '%s runs as the README says, started at %s',
    async (file, start) => {
      const lines = readFileSync(join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n');
      const database = await openTestDatabase();
      try {
        const out = await runConsole(database, lines, { start, echo: true });
        for (const trouble of TROUBLE) expect(out).not.toContain(trouble);
        for (const promise of PROMISED[file]!) {
          if (typeof promise === 'string') expect(out).toContain(promise);
          else expect(out).toMatch(promise);
        }
      } finally {
        await database.close();
      }
    },
  );

  test.each(transcripts.map((t) => [`README.md:${t.line}`, t] as const))(
    'the transcript at %s is what the console shows',
    async (_where, block) => {
      const lines = block.body.replace(/\n$/, '').split('\n');
      expect(lines[0]).toBe('$ npm start');
      const typed = lines.filter((l) => l.startsWith('/'));
      // The time it shows is when the transcript was taken: the console starts then.
      const shownAt = /It is \w{3}, (\d{1,2}) (\w{3}) (\d{4}), (\d\d:\d\d) CET/.exec(block.body);
      const start = shownAt
        ? new Date(`${shownAt[1]} ${shownAt[2]} ${shownAt[3]} ${shownAt[4]} GMT+0100`).toISOString()
        : '2026-11-29T09:00:00Z';
      const database = await openTestDatabase();
      try {
        const out = await runConsole(database, typed, { start });
        const shown = out.split('\n').filter((l) => l.trim() !== '');
        expect(shown).toEqual(lines.slice(1).filter((l) => !l.startsWith('/')));
      } finally {
        await database.close();
      }
    },
  );
});
