import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Message } from '../core/message';
import type { Platforms } from '../core/platform';

/**
 * Tells a person once about a problem they can fix (the bot cannot post in a channel they chose, a
 * participant has left): the key names the problem, and a problem already reported stays quiet.
 */
export class ProblemReports {
  constructor(
    private readonly db: Db,
    private readonly platforms: Platforms,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** True when this call reported it (the first time for this key). */
  async reportOnce(args: { key: string; workspaceId: string; userId: string; message: Message }): Promise<boolean> {
    const row = await this.db
      .insertInto('reported_problems')
      .values({ key: args.key, reported_at: this.clock.now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!row) return false;
    try {
      await this.platforms.for(args.workspaceId).postDirect(args.workspaceId, args.userId, args.message);
    } catch (err) {
      // Nobody else to tell: the log is where an operator will find it.
      this.log.error({ workspace: args.workspaceId, user: args.userId, problem: args.key, err: errorMessage(err) }, 'could not report a problem to the person responsible');
    }
    return true;
  }

  /** Forget a problem once it is fixed, so a recurrence is reported again. */
  async resolved(key: string): Promise<void> {
    await this.db.deleteFrom('reported_problems').where('key', '=', key).execute();
  }
}
