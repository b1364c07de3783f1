import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts a module in a child process, TypeScript or compiled: under jest the helpers are .ts files
 * that only ts-jest can load, and a child has no ts-jest, so a .ts module gets a require hook that
 * transpiles it. For what must run apart from the test process: a server whose CPU should not count
 * as the test's, or an instance to kill -9.
 */
export function forkModule(file: string, args: readonly string[] = [], options: ForkOptions = {}): ChildProcess {
  const execArgv = file.endsWith('.ts') ? ['--require', join(__dirname, 'ts-require-hook.js'), '--enable-source-maps'] : [];
  return fork(file, args, { ...options, execArgv: [...execArgv, ...(options.execArgv ?? [])] });
}
