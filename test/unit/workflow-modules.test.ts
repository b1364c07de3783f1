import type { WorkflowApis } from '../../src/apis';
import type { CoreServices } from '../../src/core/services';
import { WORKFLOW_MODULES } from '../../src/steady';
import { type AnyWorkflowModule, type ApiName, buildWorkflowModules } from '../../src/workflow-modules';

/** The modules here build nothing from the services. */
const services = {} as CoreServices;

const onShift: WorkflowApis['handoffs'] = { onShift: async () => ['dave'], rotations: async () => [] };

/** A module that records when it was built and which APIs it was given. */
function recording(built: string[], name: ApiName, needs: ApiName[], later: ApiName[] = []): AnyWorkflowModule {
  return {
    name,
    needs,
    later,
    create(_services, apis, lateApis) {
      built.push(`${name}(${Object.keys(apis).join(',')}${later.length ? `; later ${Object.keys(lateApis).join(',')}` : ''})`);
      return { workflow: { name }, api: name === 'handoffs' ? onShift : ({} as WorkflowApis[ApiName]) };
    },
  };
}

describe('building workflows from their declarations', () => {
  test('each is built after the APIs it needs, whatever the order listed; workflows come back in the listed order', () => {
    const built: string[] = [];
    const { workflows } = buildWorkflowModules(services, [
      recording(built, 'handoffs', ['escalations', 'standups']),
      recording(built, 'standups', ['escalations']),
      recording(built, 'escalations', [], ['handoffs']),
    ]);
    expect(built).toEqual(['escalations(; later handoffs)', 'standups(escalations)', 'handoffs(escalations,standups)']);
    expect(workflows.map((w) => w.name)).toEqual(['handoffs', 'standups', 'escalations']);
  });

  test('a circle of needs stops start-up with the circle named', () => {
    const built: string[] = [];
    expect(() =>
      buildWorkflowModules(services, [
        recording(built, 'escalations', ['handoffs']),
        recording(built, 'standups', ['escalations']),
        recording(built, 'handoffs', ['standups']),
      ]),
    ).toThrow('workflows need each other in a circle: escalations → handoffs → standups → escalations');
    expect(built).toEqual([]);
  });

  test('a need no workflow offers is named at start-up, not at its first call', () => {
    expect(() => buildWorkflowModules(services, [recording([], 'escalations', [], ['handoffs'])])).toThrow(
      'the escalations workflow needs the handoffs API, which no workflow offers',
    );
    expect(() => buildWorkflowModules(services, [recording([], 'standups', []), recording([], 'standups', [])])).toThrow(
      'two workflows offer the standups API',
    );
  });

  test('a need read later reaches the API built after it; a given API stands in for a workflow left out', async () => {
    let readLater: (() => WorkflowApis['handoffs']) | undefined;
    const escalations: AnyWorkflowModule = {
      name: 'escalations',
      needs: [],
      later: ['handoffs'],
      create(_services, _apis, later) {
        readLater = later.handoffs;
        return { workflow: { name: 'escalations' }, api: {} as WorkflowApis['escalations'] };
      },
    };
    buildWorkflowModules(services, [escalations], { handoffs: onShift });
    expect(await readLater!().onShift('W', 'R', new Date())).toEqual(['dave']);
  });

  test("Steady's own modules: escalations read who is on shift late, which breaks the only circle", () => {
    const declared = WORKFLOW_MODULES.map((m) => ({ name: m.name, needs: [...m.needs], later: [...(m.later ?? [])] }));
    expect(declared).toEqual([
      { name: 'escalations', needs: [], later: ['handoffs'] },
      { name: 'standups', needs: ['escalations'], later: [] },
      { name: 'handoffs', needs: ['escalations', 'standups'], later: [] },
    ]);
  });
});
