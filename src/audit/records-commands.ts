import type { CoreServices } from '../core/services';
import type { ActionHandler, HandlerContext } from '../core/workflow';
import type { AnyJobKind } from '../scheduler/job';
import { AUDIT_HELP, auditCommand } from './audit-command';
import { FORGET_ACTION, createForget } from './forget';
import { RETENTION_HELP, createRetention } from './retention';

export const RECORDS_HELP = [
  ...AUDIT_HELP,
  '/steady forget @person: erase what Steady keeps about someone who left; escalations keep "a former member" (workspace admins)',
  ...RETENTION_HELP,
];

/** What Steady keeps and for how long: `/steady audit`, `/steady forget`, `/steady retention`. */
export interface RecordsCommands {
  command(ctx: HandlerContext, word: 'audit' | 'forget' | 'retention', rest: string): Promise<void>;
  readonly actions: Readonly<Record<string, ActionHandler>>;
  readonly jobs: readonly AnyJobKind[];
}

export function recordsCommands(services: CoreServices): RecordsCommands {
  const audit = auditCommand(services);
  const forget = createForget(services);
  const retention = createRetention(services);

  return {
    command: (ctx, word, rest) =>
      word === 'audit' ? audit(ctx, rest) : word === 'forget' ? forget.command(ctx, rest) : retention.command(ctx, rest),
    actions: { [FORGET_ACTION]: (ctx, press) => forget.press(ctx, press.value) },
    jobs: retention.jobs,
  };
}
