import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { PLATFORMS } from '../../adapters';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** adapters/<name>/: one folder per platform. */
function platformFolders(): string[] {
  return readdirSync(join(ROOT, 'adapters')).filter((name) => statSync(join(ROOT, 'adapters', name)).isDirectory());
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/** The platforms people chat on: the console is this process's own terminal (and `console` a word of JavaScript's). */
const CHAT_PLATFORMS = PLATFORMS.filter((platform) => !platform.terminal);

/** Every SDK package, as the descriptors declare them (names or prefixes). */
const SDK_PACKAGES = PLATFORMS.flatMap((platform) => platform.sdk ?? []);
const isSdk = (spec: string, packages: readonly string[] = SDK_PACKAGES) => packages.some((pkg) => spec.startsWith(pkg));

/** The real platforms' own words for their message formats and framework, which no package name gives. */
const PRODUCT_WORDS = /adaptive ?card|block ?kit|\bbolt\b/i;

/**
 * Whether a word names a platform or its SDK: the platform as a product (`Slack`, `Teams`) or as code
 * writes it (`'slack'`, `slackPlatform`, `teams_members`, `teams:`, `SLACK_BOT_TOKEN`), where `teams`
 * alone and lower-case is English for teams of people; an SDK package's name anywhere (`microsoft`,
 * `botbuilder`); or a product word.
 */
function namesAPlatform(word: string): boolean {
  const named = CHAT_PLATFORMS.some((platform) => {
    const name = platform.name;
    const product = name[0]!.toUpperCase() + name.slice(1);
    return word === name || new RegExp(`\\b${product}\\b|\\b${name}(?=[A-Z_:])|\\b${name.toUpperCase()}_`).test(word);
  });
  const packageWords = SDK_PACKAGES.map((pkg) => pkg.replace(/^@|[/-]+$/g, ''));
  return named || packageWords.some((pkg) => word.toLowerCase().includes(pkg)) || PRODUCT_WORDS.test(word);
}

/**
 * What the core says: its identifiers, strings and templates, and each line of its comments (a
 * comment describes an ability in the port's terms; which platform has it, and how, is said in
 * that platform's adapter).
 */
function wordsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const words: string[] = [];
  const comments = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) words.push(node.text);
    else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) words.push(node.text);
    // Every comment is trivia before some token: on the line the previous token ends, or on lines of its own.
    const start = node.getFullStart();
    for (const range of [...(ts.getTrailingCommentRanges(text, start) ?? []), ...(ts.getLeadingCommentRanges(text, start) ?? [])]) {
      if (comments.has(range.pos)) continue;
      comments.add(range.pos);
      for (const line of text.slice(range.pos, range.end).split('\n')) words.push(line.trim());
    }
    // Tokens too (a comment may sit before a closing brace); a doc comment was read above as text.
    for (const child of node.getChildren(source)) if (!ts.isJSDoc(child)) visit(child);
  };
  visit(source);
  return words;
}

describe('architecture boundary', () => {
  const core = sourceFiles(join(ROOT, 'src'));

  test('the core never imports a platform SDK or an adapter', () => {
    const offending = core.flatMap((file) =>
      importsOf(file)
        .filter((spec) => isSdk(spec) || /(^|\/)adapters(\/|$)/.test(spec))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    // The composition roots (npm start, npm run migrate) take the list of platforms, and only the list:
    // each descriptor loads its adapter when that platform is configured.
    const roots = ['src/main.ts imports ../adapters', 'src/migrate-command.ts imports ../adapters'];
    expect(offending.filter((line) => !roots.includes(line))).toEqual([]);
  });

  test('nothing in the core names a platform: each speaks for itself through its descriptor and the port', () => {
    const offending = core.flatMap((file) =>
      wordsOf(file)
        .filter(namesAPlatform)
        .map((word) => `${relative(ROOT, file)}: ${word.length > 80 ? `${word.slice(0, 77)}...` : word}`),
    );
    expect(offending).toEqual([]);
  });

  test('each platform is one folder with one descriptor, in the one list', () => {
    const listed = readFileSync(join(ROOT, 'adapters', 'index.ts'), 'utf8');
    for (const name of platformFolders()) {
      expect(sourceFiles(join(ROOT, 'adapters', name)).map((f) => relative(ROOT, f))).toContain(`adapters/${name}/platform.ts`);
      expect(listed).toContain(`from './${name}/platform'`);
    }
  });

  test('only src/scheduler imports node-cron', () => {
    const all = [...core, ...sourceFiles(join(ROOT, 'adapters'))];
    const offending = all
      .filter((file) => importsOf(file).includes('node-cron'))
      .map((file) => relative(ROOT, file))
      .filter((file) => !file.startsWith('src/scheduler/'));
    expect(offending).toEqual([]);
    expect(core.some((file) => importsOf(file).includes('node-cron'))).toBe(true);
  });

  test('each adapter keeps to its own platform SDK', () => {
    const adapters = join(ROOT, 'adapters');
    const offending = platformFolders().flatMap((adapter) => {
      const own = PLATFORMS.find((platform) => platform.name === adapter)?.sdk ?? [];
      return sourceFiles(join(adapters, adapter)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => isSdk(spec) && !isSdk(spec, own))
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      );
    });
    expect(offending).toEqual([]);
    // Each SDK the adapters use is declared, so the checks above know it.
    const used = platformFolders().flatMap((adapter) => sourceFiles(join(adapters, adapter)).flatMap(importsOf));
    for (const sdk of ['@slack/bolt', '@microsoft/teams-ai', 'botbuilder']) expect(used.filter((spec) => isSdk(spec))).toContain(sdk);
  });
});
