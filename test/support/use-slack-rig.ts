import { SlackRig, type SlackRigOptions } from './slack-rig';
import { useRig, type RigInUse, type UseRigOptions } from './use-rig';

export interface UseSlackRigOptions extends Omit<SlackRigOptions, 'database'>, UseRigOptions {
  /** Channel names by channel id, as Slack gives them in commands and shows them in mentions. */
  readonly channels?: Readonly<Record<string, string>>;
}

/** A Slack rig for a file's tests (see useRig), with its channels named. */
export function useSlackRig(options: UseSlackRigOptions = {}): RigInUse<SlackRig> {
  const { channels = {}, openDatabase: _database, timeout: _timeout, ...rigOptions } = options;
  return useRig(
    'Slack rig',
    async (database) => {
      const rig = await SlackRig.start({ ...rigOptions, database });
      for (const [id, name] of Object.entries(channels)) rig.slack.channelNames.set(id, name);
      return rig;
    },
    (rig) => rig.close(),
    options,
  );
}
