import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { PackageError, buildTeamsPackage, repositoryRoot } from '../../../scripts/package-teams';

const ROOT = repositoryRoot(__dirname);
const MANIFEST = join(ROOT, 'manifests', 'teams', 'manifest.json');
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));

/** The JSON schema @microsoft/app-manifest bundles for the manifest's version: validation never goes online. */
function bundledSchemaFile(schemaUrl: string): string {
  const version = /\/teams\/(v[\d.]+)\/MicrosoftTeams\.schema\.json$/.exec(schemaUrl)?.[1];
  expect(version).toBeDefined();
  const file = join(
    ROOT,
    'node_modules',
    '@microsoft',
    'app-manifest',
    'build',
    'json-schemas',
    'teams',
    version!,
    'MicrosoftTeams.schema.json',
  );
  expect(existsSync(file)).toBe(true);
  return file;
}

/**
 * Problems @microsoft/app-manifest finds in a manifest, against the bundled schema. It runs in a
 * child Node process: the package loads ESM dependencies that Node requires natively but jest's
 * CommonJS runtime cannot.
 */
function schemaProblems(candidate: unknown): string[] {
  const code = `
    const { AppManifestUtils } = require('@microsoft/app-manifest');
    const fs = require('node:fs');
    const input = JSON.parse(fs.readFileSync(0, 'utf8'));
    const schema = JSON.parse(fs.readFileSync(input.schemaFile, 'utf8').replace(/\\\\a/g, '\\\\u0007').replace(/\\\\v/g, '\\\\u000b'));
    AppManifestUtils.validateAgainstSchema(input.manifest, schema).then((problems) => process.stdout.write(JSON.stringify(problems)));
  `;
  const schemaFile = bundledSchemaFile((candidate as { $schema: string }).$schema);
  const out = execFileSync(process.execPath, ['-e', code], {
    cwd: ROOT,
    input: JSON.stringify({ manifest: candidate, schemaFile }),
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

/** Reads a zip through its central directory, checking each entry's CRC. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(dataStart, dataStart + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data)).toBe(crc);
    entries.set(name, data);
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return entries;
}

function pngSize(png: Buffer): { width: number; height: number; colourType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25]! };
}

describe('Teams app manifest', () => {
  test('validates against its JSON schema, offline', () => {
    expect(schemaProblems(manifest)).toEqual([]);
  });

  test('a broken manifest is caught by the same check (the check can fail)', () => {
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] };
    expect(schemaProblems(broken).length).toBeGreaterThan(0);
  });

  test("the bot works in personal, team and group chat scopes and lists Steady's commands", () => {
    const bot = manifest.bots[0];
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    const titles = bot.commandLists.flatMap((list: { commands: { title: string }[] }) => list.commands.map((c) => c.title));
    for (const command of ['help', 'escalate', 'standup', 'handoff who', 'steady tz']) expect(titles).toContain(command);
  });

  test('both icons are PNG files of the sizes Teams asks for', () => {
    const folder = join(ROOT, 'manifests', 'teams');
    expect(pngSize(readFileSync(join(folder, manifest.icons.color)))).toEqual({ width: 192, height: 192, colourType: 6 });
    // The outline icon is white on transparent: it needs an alpha channel.
    expect(pngSize(readFileSync(join(folder, manifest.icons.outline)))).toEqual({ width: 32, height: 32, colourType: 6 });
  });
});

describe('npm run package:teams', () => {
  const env = { MicrosoftAppId: '1B7E2C3A-1234-4000-8000-123456789ABC', PUBLIC_HOST: 'https://steady.contoso.com/' };

  test('builds a zip of the manifest (with the app id and host) and both icons', () => {
    const built = buildTeamsPackage(env, ROOT);
    const entries = unzip(built.zip);
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const packaged = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(packaged).toEqual(
      expect.objectContaining({
        id: '1b7e2c3a-1234-4000-8000-123456789abc',
        version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
        validDomains: ['steady.contoso.com'],
        developer: expect.objectContaining({ websiteUrl: 'https://steady.contoso.com/', privacyUrl: 'https://steady.contoso.com/privacy' }),
      }),
    );
    expect(packaged.bots[0].botId).toBe('1b7e2c3a-1234-4000-8000-123456789abc');
    expect(entries.get('color.png')).toEqual(readFileSync(join(ROOT, 'manifests', 'teams', 'color.png')));
    expect(schemaProblems(packaged)).toEqual([]);
  });

  test('the zip is one that standard tools read', () => {
    let unzipTool = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      unzipTool = false;
    }
    if (!unzipTool) return; // the hand-written reader above checked it already
    const dir = mkdtempSync(join(tmpdir(), 'steady-teams-'));
    try {
      const file = join(dir, 'app.zip');
      writeFileSync(file, buildTeamsPackage(env, ROOT).zip);
      expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('missing or wrong settings are all named at once', () => {
    expect(() => buildTeamsPackage({ MicrosoftAppId: 'my-bot', PUBLIC_HOST: 'not a host' }, ROOT)).toThrow(PackageError);
    const error = (() => {
      try {
        buildTeamsPackage({}, ROOT);
        return undefined;
      } catch (err) {
        return err as PackageError;
      }
    })();
    expect(error?.problems).toEqual([expect.stringMatching(/^MicrosoftAppId must be/), expect.stringMatching(/^PUBLIC_HOST must be/)]);
  });
});
