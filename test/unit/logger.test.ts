import { createLogger } from '../../src/logger';

describe('logging', () => {
  test('JSON lines with the context of a child logger; credentials are censored wherever they appear', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    log
      .child({ workspace: 'slack:T1', user: 'U1', correlationId: 'c-1' })
      .info(
        { token: 'xoxb-123', config: { signingSecret: 'shh', password: 'pw' }, headers: { authorization: 'Bearer abc' } },
        'calling Slack',
      );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ workspace: 'slack:T1', user: 'U1', correlationId: 'c-1', msg: 'calling Slack', token: '[redacted]' });
    expect(entry.config).toEqual({ signingSecret: '[redacted]', password: '[redacted]' });
    expect(entry.headers).toEqual({ authorization: '[redacted]' });
    expect(lines[0]).not.toMatch(/xoxb-123|shh|Bearer abc/);
  });

  test("a platform's secret variables (its descriptor's secrets) are censored too", () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(line) },
      secretKeys: ['MicrosoftAppPassword'],
    });
    log.info({ env: { MicrosoftAppPassword: 'hunter2', MicrosoftAppId: 'app-1' } }, 'starting');
    expect(JSON.parse(lines[0]!).env).toEqual({ MicrosoftAppPassword: '[redacted]', MicrosoftAppId: 'app-1' });
  });
});
