import { createMetrics } from '../../src/metrics/registry';
import { ExpositionError, parsePrometheusText, sampleValue } from '../support/prometheus-text';

/** The test's own parser is strict: it reads what prom-client writes and refuses what Prometheus would. */
describe('the Prometheus text-format reader used by the /metrics tests', () => {
  test('reads families, help, labels with escapes, histograms and special values', () => {
    const families = parsePrometheusText(
      [
        '# HELP jobs_total Jobs run, by "kind".\\nSecond line \\\\ done.',
        '# TYPE jobs_total counter',
        'jobs_total{kind="a\\"b",outcome="done"} 3',
        'jobs_total{kind="c\\\\d\\ne",outcome="failed"} 1 1700000000000',
        '# a plain comment',
        '# TYPE lag_seconds histogram',
        'lag_seconds_bucket{le="0.5"} 1',
        'lag_seconds_bucket{le="+Inf"} 2',
        'lag_seconds_sum 3.5e0',
        'lag_seconds_count 2',
        '# TYPE temperature gauge',
        'temperature -Inf',
        'temperature{place="x"} NaN',
        '',
      ].join('\n'),
    );
    expect(families.get('jobs_total')).toMatchObject({ type: 'counter', help: 'Jobs run, by "kind".\nSecond line \\ done.' });
    expect(sampleValue(families, 'jobs_total', { kind: 'a"b' })).toBe(3);
    expect(families.get('jobs_total')!.samples[1]).toEqual({
      name: 'jobs_total',
      labels: { kind: 'c\\d\ne', outcome: 'failed' },
      value: 1,
      timestamp: 1700000000000,
    });
    expect(sampleValue(families, 'lag_seconds_count')).toBe(2);
    expect(sampleValue(families, 'temperature')).toBe(Number.NEGATIVE_INFINITY);
  });

  test.each([
    ['a sample of no declared family', 'stray 1\n'],
    ['a second TYPE', '# TYPE a gauge\na 1\n# TYPE a gauge\n'],
    ['a second HELP', '# HELP a x\n# HELP a y\n# TYPE a gauge\na 1\n'],
    ['an unknown type', '# TYPE a meter\n'],
    ['a bad metric name', '# TYPE 1a gauge\n'],
    ['a bad label name', '# TYPE a gauge\na{1x="y"} 1\n'],
    ['a reserved label name', '# TYPE a gauge\na{__name__="y"} 1\n'],
    ['an unquoted label value', '# TYPE a gauge\na{x=y} 1\n'],
    ['a bad escape', '# TYPE a gauge\na{x="\\t"} 1\n'],
    ['an unterminated label value', '# TYPE a gauge\na{x="y} 1\n'],
    ['a label twice', '# TYPE a gauge\na{x="1",x="2"} 1\n'],
    ['labels without a comma', '# TYPE a gauge\na{x="1" y="2"} 1\n'],
    ['no value', '# TYPE a gauge\na{x="1"}\n'],
    ['a bad value', '# TYPE a gauge\na 1,5\n'],
    ['the same series twice', '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'],
    ['a family split in two', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="2"} 1\n'],
    ['a negative counter', '# TYPE a counter\na -1\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['a decreasing bucket', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['a count apart from +Inf', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n'],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\n'],
    ['a bare histogram sample', '# TYPE h histogram\nh 1\n'],
    ['no final line feed', '# TYPE a gauge\na 1'],
  ])('refuses %s', (_why, text) => {
    expect(() => parsePrometheusText(text)).toThrow(ExpositionError);
  });

  test("reads everything prom-client writes for Steady's registry, process metrics included", async () => {
    const metrics = createMetrics();
    metrics.recorder.jobs.started('probe.post', 1500);
    metrics.recorder.jobs.ended('probe.post', 'done');
    metrics.recorder.platformCalls.called({
      platform: 'slack',
      method: 'chat.postMessage',
      outcome: 'rate_limited',
      seconds: 0.02,
      retryAfterMs: 30_000,
    });
    metrics.observeRequest({ method: 'GET', route: '/healthz', status: 200, seconds: 0.001 });
    const families = parsePrometheusText(await metrics.render(undefined));
    expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(sampleValue(families, 'steady_job_lag_seconds_bucket', { kind: 'probe.post', le: '2' })).toBe(1);
    expect(sampleValue(families, 'steady_job_lag_seconds_bucket', { kind: 'probe.post', le: '1' })).toBe(0);
    expect(sampleValue(families, 'steady_platform_retry_after_seconds_sum', { platform: 'slack' })).toBe(30);
    expect(sampleValue(families, 'steady_metrics_database_up')).toBe(0);
  });
});
