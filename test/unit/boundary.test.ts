import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const PLATFORM_SDK = /^(@slack\/|@microsoft\/|botbuilder|botframework-)/;

describe('architecture boundary', () => {
  const core = sourceFiles(join(ROOT, 'src'));

  test('the core never imports a platform SDK or an adapter', () => {
    const offending = core.flatMap((file) =>
      importsOf(file)
        .filter((spec) => PLATFORM_SDK.test(spec) || /(^|\/)adapters\//.test(spec))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    // main.ts is the composition root: it may start the console; platform adapters are loaded lazily.
    expect(offending.filter((line) => !line.startsWith('src/main.ts imports ../adapters/'))).toEqual([]);
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
    const offending = readdirSync(adapters).flatMap((adapter) =>
      sourceFiles(join(adapters, adapter)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => PLATFORM_SDK.test(spec))
          .filter((spec) => !(adapter === 'slack' && spec.startsWith('@slack/')))
          .filter((spec) => !(adapter === 'teams' && /^(@microsoft\/|botbuilder|botframework-)/.test(spec)))
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      ),
    );
    expect(offending).toEqual([]);
  });
});
