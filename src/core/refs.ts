/**
 * References the core stores but cannot read: an adapter encodes a conversation or message as a
 * string that starts with its platform name (`<platform>:…`), and only that adapter decodes the rest.
 * The prefix is all the core looks at, to route a send.
 */
export type ConversationRef = string;
export type MessageRef = string;

/** `<platform>:<the platform's id of the workspace>`, e.g. `console:local`. */
export type WorkspaceId = string;

export function platformOf(ref: string): string {
  const colon = ref.indexOf(':');
  return colon > 0 ? ref.slice(0, colon) : '';
}

/**
 * Whether a reference from a form could be a conversation of this workspace: on its platform and of
 * a sane length. Adapters give only picked conversations; this keeps a forged one from being tried.
 */
export function isConversationOf(ref: string, workspaceId: WorkspaceId): boolean {
  return ref.length <= 500 && platformOf(ref) !== '' && platformOf(ref) === platformOf(workspaceId);
}

/** Who did something: a person of a workspace, by the platform's own user id. */
export interface Actor {
  readonly workspaceId: WorkspaceId;
  readonly userId: string;
}

export function sameActor(a: Actor, b: Actor): boolean {
  return a.workspaceId === b.workspaceId && a.userId === b.userId;
}
