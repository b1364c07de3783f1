import type { WorkflowApis } from '../apis';
import { recordIdState } from '../core/form-state';
import type { CoreServices } from '../core/services';
import { setSwapMessage } from '../storage/handoff/overrides-repository';
import type { Workflow } from '../core/workflow';
import type { WorkflowModule } from '../workflow-modules';
import { listRotations } from '../storage/handoff/rotations-repository';
import type { OnShiftApi } from './api';
import { HANDOFF_HELP, handoffCommand } from './commands/handoff';
import type { HandoffDeps } from './deps';
import { handoffJobs } from './jobs/kinds';
import { handoffHome } from './home';
import { ACTIONS } from './messages/note';
import { NOTE_FORM } from './forms/note';
import { confirmHandoff, openNoteForm, submitNote } from './notes';
import { ANSWER_FORM, ASK_FORM, openAnswerForm, openAskForm, submitAnswer, submitQuestion } from './questions';
import { dutyFromDb, loadRotationState } from './on-duty';
import { cancelOverride } from './override-list';
import { SWAP_REQUEST_RECORDER, answerSwap } from './swaps';
import { ROTATION_FORM } from './forms/rotation';
import { confirmDeleteRotation, submitRotation } from './rotation-handlers';

/** Handoffs list the outgoing person's escalations and blockers, and transfer escalations on confirmation. */
export const handoffModule: WorkflowModule<'handoffs', 'escalations' | 'standups'> = {
  name: 'handoffs',
  needs: ['escalations', 'standups'],
  create: (services, apis) => createHandoffs(services, apis),
};

/**
 * Shift handoffs: rotations with shifts in wall-clock time, overrides and swaps, and at
 * each shift change a handoff note reminded, pre-filled with open work, delivered, confirmed and
 * chased up to a supervisor. Other workflows ask it who is on shift (`OnShiftApi`).
 */
export function createHandoffs(
  services: CoreServices,
  apis: Pick<WorkflowApis, 'escalations' | 'standups'>,
): { workflow: Workflow; api: OnShiftApi } {
  const deps: HandoffDeps = { services, apis };
  services.outbox.registerRecorder(SWAP_REQUEST_RECORDER, (trx, ref, swapId) => setSwapMessage(trx, swapId, ref));
  const stateOf = (state: string | undefined): string => recordIdState(state);
  const workflow: Workflow = {
    name: 'handoff',
    help: HANDOFF_HELP,
    commands: { handoff: handoffCommand(deps) },
    readOnly: { handoff: ['', 'help', 'who', 'show', 'history', 'stats'] },
    actions: {
      [ACTIONS.write]: (ctx, press) => openNoteForm(deps, ctx, press.value),
      [ACTIONS.confirm]: (ctx, press) => confirmHandoff(deps, ctx, press.value),
      [ACTIONS.ask]: (ctx, press) => openAskForm(deps, ctx, press.value),
      [ACTIONS.answer]: (ctx, press) => openAnswerForm(deps, ctx, press.value),
      [ACTIONS.swapAccept]: (ctx, press) => answerSwap(deps, ctx, press.value, true),
      [ACTIONS.swapDecline]: (ctx, press) => answerSwap(deps, ctx, press.value, false),
      [ACTIONS.cancelOverride]: (ctx, press) => cancelOverride(deps, ctx, press.value),
      [ACTIONS.deleteRotation]: (ctx, press) => confirmDeleteRotation(deps, ctx, press.value),
    },
    forms: {
      [ROTATION_FORM]: (ctx, s) => submitRotation(deps, ctx, s.values, s.state),
      [NOTE_FORM]: (ctx, s) => submitNote(deps, ctx, stateOf(s.state), s.values),
      [ASK_FORM]: (ctx, s) => submitQuestion(deps, ctx, stateOf(s.state), s.values),
      [ANSWER_FORM]: (ctx, s) => submitAnswer(deps, ctx, stateOf(s.state), s.values),
    },
    jobs: handoffJobs(deps),
    home: (actor) => handoffHome(deps, actor),
  };
  const api: OnShiftApi = {
    async onShift(workspaceId, rotationId, at) {
      const state = await loadRotationState(services.db, rotationId);
      if (!state || state.rotation.workspaceId !== workspaceId || state.rotation.deletedAt || state.versions.length === 0) return [];
      const duty = await dutyFromDb(services.db, state, at);
      return duty ? [duty.userId] : [];
    },
    async rotations(workspaceId) {
      return (await listRotations(services.db, workspaceId)).map((r) => ({ id: r.id, name: r.name }));
    },
  };
  return { workflow, api };
}
