import type { AdapterContext, PlatformAdapter } from '../../src/adapter';
import type { Config } from '../../src/config';

/** The Slack adapter (issue 4). Placeholder until it lands. */
export async function createSlackAdapter(_config: NonNullable<Config['slack']>, _ctx: AdapterContext): Promise<PlatformAdapter> {
  throw new Error('The Slack adapter is not available in this version of Steady yet.');
}
