import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * `npm run package:teams`: the Teams app package (a zip of manifest.json and the two icons) for
 * uploading to Teams or the Teams admin center. The app id (MicrosoftAppId, the Azure Bot's app
 * registration) and the public host Teams reaches Steady at (PUBLIC_HOST) come from the environment
 * or .env. The zip is written by hand (deflate + CRC-32 from node:zlib): a package needs no more.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(:\d{1,5})?$/i;

export interface PackageSettings {
  readonly appId: string;
  readonly host: string;
  readonly version: string;
  readonly privacyUrl?: string;
  readonly termsUrl?: string;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(['The Teams app package cannot be built:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
}

/** Reads and checks the settings, naming every bad variable at once. */
export function packageSettings(env: Readonly<Record<string, string | undefined>>, version: string): PackageSettings {
  const problems: string[] = [];
  const appId = env.MicrosoftAppId?.trim() ?? '';
  if (!GUID.test(appId))
    problems.push("MicrosoftAppId must be the Azure Bot's Microsoft App ID, a GUID like 1b7e2c3a-0000-4000-8000-123456789abc");
  const host = (env.PUBLIC_HOST?.trim() ?? '').replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!HOSTNAME.test(host))
    problems.push(`PUBLIC_HOST must be the host name Teams reaches Steady at, such as steady.example.com${host ? ` (got "${host}")` : ''}`);
  for (const name of ['TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL'] as const) {
    const value = env[name]?.trim();
    if (value && !/^https:\/\/\S+$/i.test(value)) problems.push(`${name} must be an https URL`);
  }
  if (problems.length) throw new PackageError(problems);
  return {
    appId: appId.toLowerCase(),
    host: host.toLowerCase(),
    version,
    ...(env.TEAMS_PRIVACY_URL?.trim() ? { privacyUrl: env.TEAMS_PRIVACY_URL.trim() } : {}),
    ...(env.TEAMS_TERMS_URL?.trim() ? { termsUrl: env.TEAMS_TERMS_URL.trim() } : {}),
  };
}

/**
 * The template manifest with this installation's app id, host and version. Teams requires a website,
 * privacy and terms page for an app: by default the ones Steady serves on PUBLIC_HOST
 * (src/http/legal-pages.ts), unless TEAMS_PRIVACY_URL and TEAMS_TERMS_URL name the organisation's own.
 */
export function teamsManifest(template: Record<string, any>, settings: PackageSettings): Record<string, any> {
  const site = `https://${settings.host}`;
  return {
    ...template,
    version: settings.version,
    id: settings.appId,
    developer: {
      ...template.developer,
      websiteUrl: `${site}/`,
      privacyUrl: settings.privacyUrl ?? `${site}/privacy`,
      termsOfUseUrl: settings.termsUrl ?? `${site}/terms`,
    },
    bots: (template.bots as Record<string, unknown>[]).map((bot) => ({ ...bot, botId: settings.appId })),
    validDomains: [settings.host.replace(/:\d+$/, '')],
  };
}

/** A zip archive (deflate), with fixed timestamps so the same input gives the same bytes. */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const dosTime = 0; // 00:00:00
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1; // 2026-01-01
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The repository root: where package.json is, above this file (scripts/ or dist/scripts/). */
export function repositoryRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Builds the package; returns the zip and the manifest in it. */
export function buildTeamsPackage(
  env: Readonly<Record<string, string | undefined>>,
  root: string = repositoryRoot(),
): { zip: Buffer; manifest: Record<string, any> } {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const settings = packageSettings(env, version);
  const folder = join(root, 'manifests', 'teams');
  const template = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Record<string, any>;
  const manifest = teamsManifest(template, settings);
  const icons = template.icons as { color: string; outline: string };
  return {
    manifest,
    zip: zip([
      { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
      { name: icons.color, data: readFileSync(join(folder, icons.color)) },
      { name: icons.outline, data: readFileSync(join(folder, icons.outline)) },
    ]),
  };
}

/** Checks the manifest against its JSON schema when @microsoft/app-manifest (a dev dependency) is installed. */
async function schemaProblems(manifest: Record<string, any>): Promise<string[] | undefined> {
  let utils: { validateAgainstSchema(m: unknown, schema?: unknown): Promise<string[]> };
  try {
    utils = (require('@microsoft/app-manifest') as { AppManifestUtils: typeof utils }).AppManifestUtils;
  } catch {
    return undefined;
  }
  return utils.validateAgainstSchema(manifest);
}

async function main(): Promise<number> {
  const root = repositoryRoot();
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  let built: ReturnType<typeof buildTeamsPackage>;
  try {
    built = buildTeamsPackage(process.env, root);
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    process.stderr.write(`${err.message}\nSet them in the environment (or .env) and run npm run package:teams again.\n`);
    return 2;
  }
  const problems = await schemaProblems(built.manifest);
  if (problems?.length) {
    process.stderr.write(`The Teams manifest does not match its schema:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  const out = resolve(process.argv[2] ?? join(root, 'dist', 'steady-teams-app.zip'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, built.zip);
  process.stdout.write(
    `Teams app package: ${out}\n` +
      `  app id ${built.manifest.id}, host ${built.manifest.validDomains[0]}, version ${built.manifest.version}${problems ? ', manifest checked against its schema' : ''}\n` +
      `Upload it in Teams (Apps > Manage your apps > Upload an app) or in the Teams admin center.\n`,
  );
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`Packaging failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
