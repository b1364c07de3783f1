import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { rows } from '../../support/database';
import { PERSONAL, messageActivity, person } from '../../support/fake-teams-activities';
import { useTeamsRig } from '../../support/use-teams-rig';
import { demoWorkflows, emptyDemoLog } from './demo-workflow';

/**
 * With Bot Framework authentication on, every token Steady cannot verify is answered 401 with an
 * empty body: no internal error text, no 500, nothing stored, nothing sent.
 */
const APP_ID = '00000000-0000-4000-8000-000000000001';
const PASSWORD = 'not-a-real-secret';

// botbuilder writes each refusal to console.error; expected here.
let consoleError: jest.SpyInstance;
beforeAll(() => {
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
const setup = useTeamsRig({ workflows: demoWorkflows(emptyDemoLog()), auth: { appId: APP_ID, password: PASSWORD } });
afterAll(() => {
  consoleError.mockRestore();
});

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  iss: 'https://api.botframework.com',
  aud: APP_ID,
  serviceurl: setup.rig.connector.url,
  nbf: nowS() - 60,
  exp: nowS() + 3600,
  ...over,
});

function rs256(payload: unknown): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })}.${b64(payload)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
}

function hs256(payload: unknown, secret: string): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const TOKENS: readonly (readonly [string, () => string])[] = [
  ['a self-signed RS256 token', () => rs256(claims())],
  ['alg=none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
  ['HS256 signed with the app password', () => hs256(claims(), PASSWORD)],
  ['an expired token', () => rs256(claims({ exp: nowS() - 3600, nbf: nowS() - 7200 }))],
  ['a token for another audience', () => rs256(claims({ aud: 'someone-else' }))],
  ['an issuer Steady does not trust', () => rs256(claims({ iss: 'https://evil.example.com' }))],
  ['a token that is no JWT', () => 'not.a.jwt'],
];

test.each(TOKENS)('%s gets 401 with no detail, and nothing is stored or sent', async (_what, token) => {
  const erin = person('erin');
  const calls = setup.rig.connector.calls.length;
  const answer = await setup.rig.send(messageActivity(setup.rig.serviceUrl, erin, PERSONAL, 'help'), {
    authorization: `Bearer ${token()}`,
  });
  expect(answer).toEqual({ status: 401, body: undefined });
  expect((await rows(setup.database.db, 'teams_members')).some((m) => m.user_id === erin.id)).toBe(false);
  expect((await rows(setup.database.db, 'people')).some((m) => m.user_id === erin.id)).toBe(false);
  expect(setup.rig.connector.calls.length).toBe(calls);
});
