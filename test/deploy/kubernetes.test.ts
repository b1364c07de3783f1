import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { ROOT, envExampleNames } from './support';

/**
 * deploy/kubernetes/ as `kubectl apply -k` would send it: each object valid against the Kubernetes
 * API's schema (shipped by the kubernetes-models package, offline), and wired as the README says.
 */
const DIR = join(ROOT, 'deploy', 'kubernetes');
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

const kustomization = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS();
const objects = (kustomization.resources as string[]).flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => ({ file, object: doc.toJS() as any })),
);
const one = (kind: string) => {
  const found = objects.filter((o) => o.object.kind === kind).map((o) => o.object);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the Kubernetes example (deploy/kubernetes/)', () => {
  test('every file is in the kustomization, and every object is valid against the Kubernetes schema', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    for (const { file, object } of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect({ file, kind: `${object.apiVersion}/${object.kind}`, known: Boolean(Model) }).toEqual({
        file,
        kind: expect.any(String),
        known: true,
      });
      expect(() => new Model!(object).validate()).not.toThrow();
    }
    // The check can fail: a probe with no port is refused.
    const broken = structuredClone(one('Deployment'));
    delete broken.spec.template.spec.containers[0].readinessProbe.httpGet.port;
    expect(() => new Deployment(broken).validate()).toThrow(/port/);
  });

  test('the Deployment runs several replicas, ready on /readyz and alive on /healthz, as a non-root user', () => {
    const deployment = one('Deployment');
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.command).toEqual(['node', 'dist/src/main.js']);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(one('Service').spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(one('PodDisruptionBudget').spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  test('a stop waits for the preStop pause and the shutdown grace, with time left to close', () => {
    const pod = one('Deployment').spec.template.spec;
    const pause = Number(pod.containers[0].lifecycle.preStop.exec.command[1]);
    const grace = Number(one('ConfigMap').data.SHUTDOWN_GRACE_SECONDS);
    expect(pod.containers[0].lifecycle.preStop.exec.command[0]).toBe('sleep');
    expect(grace).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(pause + grace + 10);
  });

  test('secrets come from the Secret (example values only); settings from the ConfigMap, each one Steady reads', () => {
    const secret = one('Secret');
    const config = one('ConfigMap');
    for (const spec of [one('Deployment').spec.template.spec, one('Job').spec.template.spec]) {
      expect(spec.containers[0].envFrom).toEqual([
        { configMapRef: { name: config.metadata.name } },
        { secretRef: { name: secret.metadata.name } },
      ]);
      expect(spec.containers[0].env).toBeUndefined();
    }
    for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) {
      expect({ key, example: /CHANGE-ME|^0{8}-/.test(value) }).toEqual({ key, example: true });
    }
    expect(Object.keys(secret.stringData)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'MicrosoftAppPassword']),
    );
    expect(Object.keys(config.data).filter((key) => /PASSWORD|SECRET|TOKEN|DATABASE_URL/.test(key))).toEqual([]);
    const known = envExampleNames();
    expect([...Object.keys(config.data), ...Object.keys(secret.stringData)].filter((key) => !known.has(key))).toEqual([]);
  });

  test("a Job applies the migrations from the image's compiled code, with the Deployment's image and settings", () => {
    const job = one('Job');
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['node', 'dist/src/migrate-command.js']);
    expect(container.image).toBe(one('Deployment').spec.template.spec.containers[0].image);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
  });
});
