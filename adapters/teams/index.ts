import type { AdapterContext, PlatformAdapter } from '../../src/adapter';
import type { Config } from '../../src/config';

/** The Microsoft Teams adapter (issue 5). Placeholder until it lands. */
export async function createTeamsAdapter(_config: NonNullable<Config['teams']>, _ctx: AdapterContext & { readonly host: string }): Promise<PlatformAdapter> {
  throw new Error('The Teams adapter is not available in this version of Steady yet.');
}
