import type { WorkflowApis } from './apis';
import type { CoreServices } from './core/services';
import type { Workflow } from './core/workflow';

export type ApiName = keyof WorkflowApis;

/** APIs read when they are called, not when the module is built (see `WorkflowModule.later`). */
export type LaterApis<Names extends ApiName> = { readonly [Name in Names]: () => WorkflowApis[Name] };

/** What a module's `create` returns: its entry points for the dispatcher, and its API for other workflows. */
export interface BuiltWorkflow<Name extends ApiName> {
  readonly workflow: Workflow;
  readonly api: WorkflowApis[Name];
}

/**
 * A workflow as `steady.ts` builds it: the name of the API it offers, the other workflows' APIs it
 * needs, and how it is made from the core's services and those APIs. Modules are built in the order
 * their needs give, whatever order they are listed in.
 */
export interface WorkflowModule<Name extends ApiName = ApiName, Needs extends ApiName = never, Later extends ApiName = never> {
  readonly name: Name;
  /** APIs this workflow may call while it is built (e.g. to register a listener): built before it. */
  readonly needs: readonly Needs[];
  /**
   * APIs called only while running (a job, a command), never while building: given as accessors
   * read at call time, so two workflows can call each other without a circle in the build order.
   */
  readonly later?: readonly Later[];
  create(services: CoreServices, apis: Pick<WorkflowApis, Needs>, later: LaterApis<Later>): BuiltWorkflow<Name>;
}

export type AnyWorkflowModule = WorkflowModule<ApiName, ApiName, ApiName>;

/**
 * Builds the modules, each after the ones it needs. `given` are APIs not built here (tests give
 * fakes for the workflows they leave out). The workflows come back in the order listed (which is
 * the order of help lines and of the home view); a circle of needs or a need nobody offers stops
 * start-up with an error naming it.
 */
export function buildWorkflowModules(
  services: CoreServices,
  modules: readonly AnyWorkflowModule[],
  given: Partial<WorkflowApis> = {},
): { workflows: Workflow[]; apis: Partial<WorkflowApis> } {
  const apis: Partial<Record<ApiName, WorkflowApis[ApiName]>> = { ...given };
  const offered = new Set<ApiName>([...(Object.keys(given) as ApiName[]), ...modules.map((m) => m.name)]);
  for (const module of modules) {
    for (const name of [...module.needs, ...(module.later ?? [])])
      if (!offered.has(name)) throw new Error(`the ${module.name} workflow needs the ${name} API, which no workflow offers`);
  }
  const built = new Map<AnyWorkflowModule, Workflow>();
  for (const module of buildOrder(modules, given)) {
    const needed = Object.fromEntries(module.needs.map((name) => [name, apis[name]])) as Pick<WorkflowApis, ApiName>;
    const later = Object.fromEntries((module.later ?? []).map((name) => [name, () => apis[name]])) as LaterApis<ApiName>;
    const { workflow, api } = module.create(services, needed, later);
    apis[module.name] = api;
    built.set(module, workflow);
  }
  return { workflows: modules.map((m) => built.get(m)!), apis: apis as Partial<WorkflowApis> };
}

/** The modules, each after those it needs (depth first, in listed order among equals). */
function buildOrder(modules: readonly AnyWorkflowModule[], given: Partial<WorkflowApis>): AnyWorkflowModule[] {
  const byName = new Map<ApiName, AnyWorkflowModule>();
  for (const module of modules) {
    if (byName.has(module.name) || module.name in given) throw new Error(`two workflows offer the ${module.name} API`);
    byName.set(module.name, module);
  }
  const order: AnyWorkflowModule[] = [];
  const done = new Set<ApiName>();
  const visit = (module: AnyWorkflowModule, path: readonly ApiName[]): void => {
    if (done.has(module.name)) return;
    if (path.includes(module.name)) {
      const circle = [...path.slice(path.indexOf(module.name)), module.name].join(' → ');
      throw new Error(`workflows need each other in a circle: ${circle} (move one of these needs to \`later\`)`);
    }
    for (const name of module.needs) {
      const needed = byName.get(name);
      if (needed) visit(needed, [...path, module.name]);
    }
    done.add(module.name);
    order.push(module);
  };
  for (const module of modules) visit(module, []);
  return order;
}
