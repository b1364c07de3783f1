import fc from 'fast-check';
import type { Form, FormValue } from '../../src/core/form';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness, initialValues } from '../support/harness';
import { GENERIC_FAILURE, LogCapture, hostileText, piece, rowCounts, seedWorkspace, settings } from './support';

/**
 * Every form of every workflow, submitted through the real dispatcher on the real database with
 * values and state no platform would send (a forged `private_metadata`, a card's data from any
 * client): the answer is a per-field error or a refusal, never the generic failure, and a rejected
 * submission stores nothing.
 */
const PEOPLE = {
  alice: { displayName: 'Alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'Bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  eve: { displayName: 'Eve', timeZone: 'Europe/Berlin' },
};

let database: TestDatabase;
let h: Harness;
const capture = new LogCapture();
const forms: Form[] = [];

/** Runs a command and keeps the form it opened. */
async function formOf(user: string, command: string, text: string): Promise<void> {
  const before = h.forms.get(user)?.length ?? 0;
  await h.as(user).command(command, text);
  const opened = h.forms.get(user) ?? [];
  if (opened.length > before) forms.push(opened[opened.length - 1]!);
}

beforeAll(async () => {
  database = await openTestDatabase();
  h = new Harness(database, { people: PEOPLE, steady: { log: capture.log } });
  await seedWorkspace(h);
  await formOf('alice', 'escalate', 'new Coffee machine');
  for (const verb of ['update', 'reassign', 'due', 'resolve', 'cancel']) await formOf('bob', 'escalate', `${verb} ESC-1`);
  await formOf('alice', 'escalate', 'policy create');
  await formOf('alice', 'standup', 'create');
  await formOf('alice', 'standup', 'edit Daily');
  await formOf('eve', 'handoff', 'rotation create');
  await formOf('eve', 'handoff', 'rotation edit Ops');
  const ids = new Set(forms.map((f) => f.formId));
  const all = h.steady.workflows.flatMap((w) => Object.keys(w.forms ?? {}));
  // Forms opened by buttons or prompts (stand-up answers, handoff notes): submitted with made-up fields.
  for (const formId of all.filter((id) => !ids.has(id)))
    forms.push({ formId, title: formId, fields: [{ id: 'text', label: 'Text', required: false, kind: 'text' }], state: '1' });
});

afterAll(async () => {
  await database?.close();
});

const anyValue: fc.Arbitrary<FormValue | undefined> = fc.oneof(
  hostileText,
  piece,
  fc.array(piece, { maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

const state = fc.option(
  fc.oneof(
    fc.constantFrom('', '{}', '[]', 'null', '-1', '0', '1.5', '99999999999999999999', '9223372036854775808', 'ESC-1', '{"id":1}'),
    hostileText,
  ),
  { nil: undefined },
);

const submission = fc.integer({ min: 0, max: 10_000 }).chain((n) => {
  const form = forms[n % forms.length]!;
  return fc.record({
    form: fc.constant(form),
    changed: fc.dictionary(fc.constantFrom(...form.fields.map((f) => f.id), 'extra'), anyValue, { maxKeys: 4 }),
    state: fc.oneof({ weight: 2, arbitrary: fc.constant(form.state) }, { weight: 1, arbitrary: state }),
    as: fc.constantFrom('alice', 'bob', 'eve'),
  });
});

test('no submitted values or state get the generic failure, a failure in the log, or a stored row when rejected', async () => {
  await fc.assert(
    fc.asyncProperty(submission, async (s) => {
      const logged = capture.records.length;
      const before = await rowCounts(database.db);
      const replies = h.repliesTo(s.as).length;
      const values = { ...initialValues(s.form), ...s.changed };
      const outcome = await h.as(s.as).submitTo(s.form.formId, values, s.state);
      const answers = h.repliesTo(s.as).slice(replies);
      expect(capture.failuresSince(logged).map((r) => r.err ?? r.msg)).toEqual([]);
      expect(answers.filter((a) => GENERIC_FAILURE.test(a))).toEqual([]);
      if (outcome?.status === 'invalid' || capture.refusedSince(logged)) expect(await rowCounts(database.db)).toEqual(before);
    }),
    settings(150),
  );
});
