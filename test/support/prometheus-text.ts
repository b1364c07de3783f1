/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/), for tests: it throws, naming the
 * line, on anything a Prometheus server would refuse or that the format forbids:
 * - `# HELP name text` and `# TYPE name type` at most once per family, TYPE before its samples;
 * - metric and label names of the allowed characters, label values quoted with only \\ \" \n escapes,
 *   no label twice in a sample;
 * - a value that is a float, NaN or ±Inf, and an optional integer timestamp;
 * - every sample belongs to a family declared with TYPE (a histogram's `_bucket` with `le`, `_sum`,
 *   `_count`; a summary's `quantile`, `_sum`, `_count`), and a family's samples are together;
 * - no series twice; a histogram's buckets never decrease, end with `le="+Inf"`, which equals `_count`.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestamp?: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string | undefined;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const helps = new Set<string>();
  // HELP may come before TYPE: kept here until the family is declared.
  const pendingHelp = new Map<string, string>();
  const seriesSeen = new Set<string>();
  const finished = new Set<string>();
  let current: MetricFamily | undefined;
  const lines = text.split('\n');
  if (text.length > 0 && !text.endsWith('\n')) throw new ExpositionError('the text must end with a line feed');
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new ExpositionError(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!meta) return; // A plain comment.
      const [, keyword, name, rest = ''] = meta;
      if (!METRIC_NAME.test(name!)) fail('bad metric name');
      if (keyword === 'HELP') {
        if (helps.has(name!)) fail('a second HELP for the family');
        helps.add(name!);
        checkEscapes(rest, /\\[^\\n]/, fail);
        const family = families.get(name!);
        if (family) families.set(name!, { ...family, help: unescapeHelp(rest) });
        else pendingHelp.set(name!, unescapeHelp(rest));
        return;
      }
      const type = rest.trim() as MetricType;
      if (!TYPES.has(type)) fail(`unknown type "${rest}"`);
      if (families.has(name!)) fail('a second TYPE for the family');
      if (current) finished.add(current.name);
      current = { name: name!, type, help: pendingHelp.get(name!), samples: [] };
      families.set(name!, current);
      return;
    }
    const sample = parseSample(line, fail);
    const family = familyOf(sample, families) ?? fail('a sample of no family declared with TYPE');
    if (finished.has(family.name) || (current && current.name !== family.name))
      fail(`a sample of ${family.name} apart from the others of its family`);
    checkShape(family, sample, fail);
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b)))}`;
    if (seriesSeen.has(series)) fail('the same series twice');
    seriesSeen.add(series);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkBuckets(family);
  return families;
}

function parseSample(line: string, fail: (why: string) => never): Sample {
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line) ?? fail('bad metric name');
  const name = head[1]!;
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    for (;;) {
      if (line[at] === '}') {
        at++;
        break;
      }
      const labelName = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at)) ?? fail('bad label');
      if (!LABEL_NAME.test(labelName[1]!) || labelName[1]!.startsWith('__')) fail('bad label name');
      if (labelName[1]! in labels) fail(`label ${labelName[1]} twice`);
      at += labelName[0].length;
      let value = '';
      for (;;) {
        const c = line[at];
        if (c === undefined) fail('unterminated label value');
        if (c === '"') break;
        if (c === '\\') {
          const next = line[at + 1];
          if (next === '\\' || next === '"') value += next;
          else if (next === 'n') value += '\n';
          else fail('bad escape in a label value');
          at += 2;
          continue;
        }
        value += c;
        at++;
      }
      at++;
      labels[labelName[1]!] = value;
      if (line[at] === ',') at++;
      else if (line[at] !== '}') fail('labels must be separated by commas');
    }
  }
  const rest = /^ +(\S+)(?: +(-?\d+))? *$/.exec(line.slice(at)) ?? fail('a sample needs a value');
  const value = parseValue(rest[1]!) ?? fail('bad value');
  return { name, labels, value, ...(rest[2] !== undefined ? { timestamp: Number(rest[2]) } : {}) };
}

/** As Prometheus reads a value (Go's ParseFloat): NaN and Inf in any case, as prom-client writes "Nan". */
function parseValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (/^\+?inf(inity)?$/.test(lower)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/.test(lower)) return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function familyOf(sample: Sample, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const own = families.get(sample.name);
  if (own) return own;
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(sample.name);
  if (!suffix) return undefined;
  const family = families.get(suffix[1]!);
  if (!family) return undefined;
  if (family.type === 'histogram') return family;
  if (family.type === 'summary' && suffix[2] !== 'bucket') return family;
  return undefined;
}

function checkShape(family: MetricFamily, sample: Sample, fail: (why: string) => never): void {
  const suffix = sample.name.slice(family.name.length);
  if (family.type === 'histogram') {
    if (suffix === '') fail('a histogram sample needs _bucket, _sum or _count');
    if (suffix === '_bucket' && parseValue(sample.labels.le ?? '') === undefined) fail('a bucket needs an le label with a number');
    if (suffix !== '_bucket' && 'le' in sample.labels) fail('only buckets have le');
  }
  if (family.type === 'summary' && suffix === '' && parseValue(sample.labels.quantile ?? '') === undefined)
    fail('a quantile needs a quantile label with a number');
  if ((family.type === 'counter' || family.type === 'histogram' || family.type === 'summary') && sample.value < 0)
    fail('counts are never negative');
}

function checkBuckets(family: MetricFamily): void {
  const bySeries = new Map<string, { buckets: { le: number; value: number }[]; count?: number }>();
  const key = (labels: Readonly<Record<string, string>>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  for (const s of family.samples) {
    const entry = bySeries.get(key(s.labels)) ?? { buckets: [] };
    bySeries.set(key(s.labels), entry);
    if (s.name.endsWith('_bucket')) entry.buckets.push({ le: parseValue(s.labels.le!)!, value: s.value });
    if (s.name.endsWith('_count')) entry.count = s.value;
  }
  for (const [labels, { buckets, count }] of bySeries) {
    const where = `${family.name}${labels}`;
    if (buckets.length === 0 || buckets.at(-1)!.le !== Number.POSITIVE_INFINITY)
      throw new ExpositionError(`${where}: the last bucket must be le="+Inf"`);
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]!.le <= buckets[i - 1]!.le) throw new ExpositionError(`${where}: buckets out of order`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new ExpositionError(`${where}: buckets must not decrease`);
    }
    if (count !== buckets.at(-1)!.value) throw new ExpositionError(`${where}: _count must equal the +Inf bucket`);
  }
}

function checkEscapes(text: string, bad: RegExp, fail: (why: string) => never): void {
  const stripped = text.replace(/\\\\/g, '');
  if (bad.test(stripped) || stripped.endsWith('\\')) fail('bad escape in HELP');
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** The value of one series, or undefined when absent: `sampleValue(families, 'steady_escalations_open', { severity: 'SEV2' })`. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) return sample.value;
    }
  }
  return undefined;
}

/** The sum over every series of `name` whose labels include `labels`. */
export function sumOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const family of families.values()) {
    for (const sample of family.samples)
      if (sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) total += sample.value;
  }
  return total;
}
