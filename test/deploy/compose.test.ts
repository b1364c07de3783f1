import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { durationSeconds, envExampleNames, ROOT } from './support';

/**
 * docker-compose.yml as `docker compose` reads it: valid against the Compose Specification's JSON
 * schema (vendored, see schemas/README.md), every secret from .env, a stop grace above Steady's own,
 * migrations once before two replicas. There is no Docker engine here, so this is what can be checked.
 */
const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
// merge: compose resolves YAML merge keys (<<: *steady) before it validates.
const compose = parse(text, { merge: true });
const services = compose.services as Record<string, any>;
const SECRET_NAMES = /PASSWORD|SECRET|TOKEN|DATABASE_URL|KEY/i;

describe('docker-compose.yml', () => {
  test("is valid against the Compose Specification's JSON schema", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, 'schemas', 'compose-spec.json'), 'utf8'));
    // The schema names its meta-schema by an https address ajv does not know as draft-07's; it is draft-07.
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The check can fail: a misspelt key is refused.
    expect(validate({ services: { steady: { image: 'steady', stop_grace_perod: '35s' } } })).toBe(false);
  });

  test('holds no password or token: every secret comes from .env, and .env.example describes every variable it reads', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries((service.environment ?? {}) as Record<string, string>)) {
        // No password in the URL (${...} is compose's interpolation, whose ":-" is not one).
        if (key === 'DATABASE_URL') expect(value.replace(/\$\{[^}]*\}/g, 'x')).not.toMatch(/:\/\/[^@/]*:[^@/]*@/);
        else if (SECRET_NAMES.test(key))
          expect({ name, key, value }).toEqual({ name, key, value: expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]+\}$/) });
      }
    }
    expect(text).not.toMatch(/PASSWORD:\s*[a-z0-9]+\s*$/im);
    const interpolated = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    expect(interpolated).toContain('POSTGRES_PASSWORD');
    const described = envExampleNames();
    expect(interpolated.filter((name) => !described.has(name))).toEqual([]);
    // Steady's own settings and the platform credentials reach the containers from .env.
    for (const name of ['migrate', 'steady']) expect(services[name].env_file).toEqual([{ path: '.env', required: true }]);
  });

  test('gives Steady longer to stop than its own shutdown grace, with time left to close the adapters and the database', () => {
    const steady = services.steady;
    const grace = Number(steady.environment.SHUTDOWN_GRACE_SECONDS);
    expect(grace).toBeGreaterThan(0);
    expect(durationSeconds(steady.stop_grace_period)).toBeGreaterThanOrEqual(grace + 10);
  });

  test('runs migrations once from compiled code, then two replicas against one PostgreSQL, each with a health check', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/src/migrate-command.js']);
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });

    const steady = services.steady;
    expect(steady.deploy.replicas).toBe('${STEADY_REPLICAS:-2}');
    expect(steady.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(steady.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(steady.healthcheck.test.join(' ')).toContain('/readyz');
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    // One published port per replica: a single fixed host port would let only one of them start.
    expect(steady.ports).toEqual(['${STEADY_PORTS:-3000-3001}:3000']);
    expect(Object.keys(services).sort()).toEqual(['migrate', 'postgres', 'steady']);
  });
});
