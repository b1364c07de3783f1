import { z } from 'zod';
import type { Db } from '../../db/schema';
import { OffsetClock, systemClock, type Clock } from '../../src/core/clock';
import { ensureWorkspace, findWorkspace, updateWorkspaceSettings } from '../../src/storage/people-repository';
import { CONSOLE_WORKSPACE } from './console-platform';

const SETTING = 'consoleClockOffsetMs';
const storedOffset = z.number().int().nonnegative();

/**
 * The console's clock: the system clock moved forward by every /wait. How far is kept with the data
 * (a setting of the console's workspace, so in DATA_DIR or in the PostgreSQL database alike): after
 * a restart the clock is where the data left it, not back before due times already passed and
 * timeline entries already written.
 */
export class ConsoleClock extends OffsetClock {
  private constructor(
    private readonly db: Db,
    offsetMs: number,
    base: Clock,
  ) {
    super(base, offsetMs);
  }

  static async open(db: Db, base: Clock = systemClock): Promise<ConsoleClock> {
    const workspace = await findWorkspace(db, CONSOLE_WORKSPACE);
    const stored = storedOffset.safeParse(workspace?.settings[SETTING]);
    return new ConsoleClock(db, stored.success ? stored.data : 0, base);
  }

  /**
   * Keeps `at` as the console's time. A /wait keeps where it is going before it moves, so that a
   * restart after a failure half-way never resumes before work that already ran at a later time;
   * then where it stopped.
   */
  async keep(at: Date = this.now()): Promise<void> {
    const offset = Math.max(0, at.getTime() - this.baseNow().getTime());
    await this.db.transaction().execute(async (trx) => {
      await ensureWorkspace(trx, CONSOLE_WORKSPACE, 'console', this.now());
      await updateWorkspaceSettings(trx, CONSOLE_WORKSPACE, { [SETTING]: offset });
    });
  }
}
