import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support';

/**
 * The Dockerfile, read (there is no Docker engine here): what compiled-app.test.ts runs is what the
 * image runs, and the image's Node satisfies package.json "engines", which covers the APIs used.
 */
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const stages: string[][] = [];
for (const line of instructions) {
  if (line.startsWith('FROM ')) stages.push([line]);
  else stages.at(-1)?.push(line);
}
const runStage = stages.at(-1)!;
const engines: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node;

type Version = [number, number];
interface EngineRange {
  /** ^20.15: that major line only; >=22.2: that line and every later one. */
  readonly laterLines: boolean;
  readonly from: Version;
}
/** "^20.15 || >=22.2" as its ranges. */
function engineRanges(range: string): EngineRange[] {
  return range.split('||').map((part) => {
    const m = /^(\^|>=)(\d+)\.(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`unexpected engines range: ${part}`);
    return { laterLines: m[1] === '>=', from: [Number(m[2]), Number(m[3])] as Version };
  });
}
const allows = (r: EngineRange, major: number) => (r.laterLines ? major >= r.from[0] : major === r.from[0]);
const atLeast = (v: Version, min: Version) => v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);

/** Node APIs newer than Node 20.0 that Steady uses, with the first release of each line that has them. */
const NEWER_APIS: { readonly name: string; readonly used: RegExp; readonly since: Readonly<Record<number, Version>> }[] = [
  { name: 'process.loadEnvFile', used: /process\.loadEnvFile\(/, since: { 20: [20, 12], 22: [21, 7] } },
  { name: 'zlib.crc32', used: /import \{[^}]*\bcrc32\b[^}]*\} from 'node:zlib'/, since: { 20: [20, 15], 22: [22, 2] } },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the Dockerfile', () => {
  test('builds on a supported Node LTS that package.json "engines" allows', () => {
    const images = stages.map((stage) => stage[0]!);
    expect(images).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS deps', 'FROM ${NODE_IMAGE}']);
    const image = /^ARG NODE_IMAGE=node:(\d+)-[a-z]+-slim$/m.exec(dockerfile);
    expect(image).not.toBeNull();
    const major = Number(image![1]);
    // Node's LTS lines still supported at the end of 2026.
    expect([22, 24]).toContain(major);
    expect(engineRanges(engines).some((r) => allows(r, major))).toBe(true);
  });

  test('"engines" asks for every newer Node API the code uses, on each line it allows', () => {
    const code = ['src', 'adapters', 'db', 'scripts'].flatMap((dir) => sources(join(ROOT, dir))).map((file) => readFileSync(file, 'utf8'));
    const used = NEWER_APIS.filter((a) => code.some((text) => a.used.test(text)));
    expect(used.map((a) => a.name)).toEqual(['process.loadEnvFile', 'zlib.crc32']);
    for (const api of used) {
      for (const range of engineRanges(engines)) {
        const since = api.since[range.from[0]] ?? api.since[22]!;
        expect({ api: api.name, allowsFrom: range.from.join('.'), ok: atLeast(range.from, since) }).toEqual({
          api: api.name,
          allowsFrom: range.from.join('.'),
          ok: true,
        });
      }
    }
    // The Node running these tests is one "engines" allows.
    const running = process.versions.node.split('.').map(Number) as Version;
    expect(engineRanges(engines).some((r) => allows(r, running[0]) && atLeast(running, r.from))).toBe(true);
  });

  test('compiles in the build stage; the image runs the compiled code as a non-root user, with no compiler and no dev dependencies', () => {
    const [build, deps] = stages;
    expect(build).toContain('RUN npx tsc -p tsconfig.build.json');
    expect(deps).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
    expect(runStage).toEqual(
      expect.arrayContaining(['COPY --from=deps /app/node_modules ./node_modules', 'COPY --from=build /app/dist ./dist', 'USER node']),
    );
    expect(runStage.filter((line) => /\b(tsc|npm run|npm ci|ts-node)\b/.test(line))).toEqual([]);
    expect(runStage.at(-1)).toBe('CMD ["node", "dist/src/main.js"]');
    // Written by the node user: PGlite's data folder (DATA_DIR) when no DATABASE_URL is set.
    expect(runStage).toEqual(expect.arrayContaining(['RUN mkdir -p /app/data && chown node:node /app/data']));
    expect(runStage.indexOf('USER node')).toBeGreaterThan(runStage.findIndex((line) => line.startsWith('RUN ')));
  });

  test("has a HEALTHCHECK on /healthz made with Node's fetch (the slim image has no curl)", () => {
    const check = runStage.find((line) => line.startsWith('HEALTHCHECK '));
    expect(check).toMatch(/CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 3000\) \+ '\/healthz'\)/);
    expect(check).not.toMatch(/curl|wget/);
  });
});
