import { TeamsRig, type TeamsRigOptions } from './teams-rig';
import { useRig, type RigInUse, type UseRigOptions } from './use-rig';

export interface UseTeamsRigOptions extends Omit<TeamsRigOptions, 'database'>, UseRigOptions {}

/**
 * A Teams rig for a file's tests (see useRig), with a fake connector of its own unless `connector`
 * gives one (which its giver stops): the rig starts and stops the connector it made.
 */
export function useTeamsRig(options: UseTeamsRigOptions = {}): RigInUse<TeamsRig> {
  const { openDatabase: _database, timeout: _timeout, ...rigOptions } = options;
  return useRig(
    'Teams rig',
    (database) => TeamsRig.start({ ...rigOptions, database }),
    (rig) => rig.stop(),
    options,
  );
}
