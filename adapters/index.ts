import type { PlatformModule } from '../src/adapter';
import { migrationsOf } from '../src/storage/migrate';
import { consolePlatform } from './console/platform';
import { slackPlatform } from './slack/platform';
import { teamsPlatform } from './teams/platform';

/**
 * Every platform Steady can run, one line each: the composition root (src/main.ts) walks this list
 * and names none of them. A new platform is a folder beside these and a line here (README, "Adding a
 * platform"). The terminal one (the console) decides last whether it runs, so its place is free.
 */
export const PLATFORMS: readonly PlatformModule[] = [slackPlatform, teamsPlatform, consolePlatform];

/** The core's migrations and every platform's, in the order they apply. */
export const MIGRATIONS = migrationsOf(PLATFORMS);
