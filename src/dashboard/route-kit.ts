import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Actor } from '../core/refs';
import type { CoreServices } from '../core/services';
import type { Html } from './html';
import type { Viewer } from './pages';
import type { Reader } from './rich-html';

/** What the dashboard's router lends the pages mounted on it: the signed-in person, its page writer, names. */
export interface RouteKit {
  readonly services: CoreServices;
  readonly log: Logger;
  /** An export holds at most this many rows; a longer period is refused, never cut off. */
  readonly exportRows: number;
  readonly signed: (res: Response) => { readonly actor: Actor; readonly viewer: Viewer };
  readonly page: (res: Response, status: number, body: Html) => void;
  readonly readerFor: (workspaceId: string, ids: readonly string[]) => Promise<Reader>;
}
