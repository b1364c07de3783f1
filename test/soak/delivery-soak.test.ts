import { runSoak } from '../../bench/soak';
import { onPostgres } from '../support/database';
import { pgClusterAvailable } from '../support/pg-cluster';

// The soak makes a PostgreSQL cluster of its own, whatever the suite runs on; it runs once, in the
// PostgreSQL pass (CI runs the suite twice). `npm run soak` is the full form: 10,000 prompts.
const soak = onPostgres && pgClusterAvailable() ? test : test.skip;

describe('the delivery promise under faults (short soak)', () => {
  soak(
    'three instances, a faulty Slack, kill -9 and a database restart mid-wave: every prompt arrives exactly once',
    async () => {
      const report = await runSoak({ participants: Number(process.env.SOAK_PARTICIPANTS ?? 400), postsPerSecond: 100 });
      expect(report.lost).toEqual([]);
      expect(report.duplicated).toEqual([]);
      // And each arrival is on record: the person's session says they were asked, with the message's reference.
      expect(report.unrecorded).toEqual([]);
      expect(report.delivered).toBe(report.participants);
      // The faults really happened: the run proves nothing if the fake never misbehaved.
      expect(report.faults.random429).toBeGreaterThan(0);
      expect(report.faults.serverErrorsAfter).toBeGreaterThan(0);
    },
    10 * 60_000,
  );
});
