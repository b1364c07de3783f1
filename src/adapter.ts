import type { Readable, Writable } from 'node:stream';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from './core/clock';
import type { ChatPlatform } from './core/platform';
import type { Steady } from './steady';
import type { Migrations } from './storage/migrate';
import type { Db } from '../db/schema';

/** What the composition root gives an adapter. */
export interface AdapterContext {
  readonly steady: Steady;
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * A running platform adapter: the ChatPlatform the core sends through, and how it receives
 * (routes on the shared HTTP server, or a connection of its own such as a socket to the platform).
 */
export interface PlatformAdapter {
  readonly platform: ChatPlatform;
  /** Adds the adapter's endpoints to the shared HTTP server, before it listens. */
  mount?(app: Express): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** A chat in this process's terminal: Steady runs until it ends (see PlatformDescriptor.terminal). */
  readonly session?: { run(): Promise<void>; close(): void };
}

/** The environment as read: each set variable's trimmed value (a blank one counts as unset). */
export type RawEnv = Readonly<Record<string, string>>;

/** The core's settings a platform may need: where the server listens, and where people reach it. */
export interface CoreSettings {
  readonly host: string;
  readonly publicUrl?: string;
}

/** The process's own terminal, for a platform that chats there. */
export interface TerminalIo {
  readonly input: Readable;
  readonly output: Writable;
  /** The output is a terminal that shows colours. */
  readonly ansi: boolean;
  /** The input is not a terminal (a piped script): lines read are shown again. */
  readonly echo: boolean;
}

/** What `create` is given: the core, this platform's variables as its schema parsed them, and the core's settings. */
export interface PlatformContext<Env> extends AdapterContext {
  readonly env: Env;
  readonly core: CoreSettings;
  readonly terminal: TerminalIo;
}

/**
 * A platform as its adapter folder describes it, in one object (adapters/<name>/platform.ts): what
 * it reads from the environment, when it runs, how it starts, and the tables it keeps. The composition
 * root walks a list of these; the core never names one. README's "Adding a platform" walks through it.
 */
export interface PlatformDescriptor<Env> {
  /** The prefix of its references and workspace ids (`<name>:…`), as its ChatPlatform's name. */
  readonly name: string;
  /** Its variables. Each is optional, or has a default: a platform not configured is off, not an error. */
  readonly env: z.ZodType<Env>;
  /** Variables whose values are never shown in an error or a log. */
  readonly secrets: readonly string[];
  /**
   * The npm packages of the platform's SDK, as names or prefixes (`@chat/`, `chat-sdk`): only this
   * folder may import them, and the core may neither import nor name them (the boundary test reads them here).
   */
  readonly sdk?: readonly string[];
  /** Rules between variables (this one needs that one), checked on the raw values so they are reported with the others. */
  problems?(raw: RawEnv): readonly string[];
  /**
   * Whether it runs. A terminal platform decides last, and `running` names the others that run (the
   * console runs by default when nothing else does); for the others `running` is empty.
   */
  enabled(env: Env, running: readonly string[]): boolean;
  create(context: PlatformContext<Env>): Promise<PlatformAdapter>;
  /**
   * Its own tables' migrations, named in the one sequence the core's share (the next free number). Every
   * platform's are applied, configured or not (see migrationsOf).
   */
  readonly migrations?: Migrations;
  /**
   * Its tables that a request writes on its way (conversation references, profiles, forms shown)
   * rather than as its change: writing them does not mark a kept request applied (request-once.ts).
   */
  readonly incidentalTables?: readonly string[];
  /**
   * A platform that chats in this process's terminal (the console). While it runs, jobs run after
   * each line rather than in the background, logs are for a person, and Steady stops when the chat ends.
   */
  readonly terminal?: {
    /** The clock the core runs on (the console's is moved forward by /wait and kept in the database). */
    clock(db: Db): Promise<Clock>;
    /** Jobs run one at a time, in due order, so that the terminal reads in the order things happened. */
    readonly oneAtATime: boolean;
  };
}

/** A platform whose variables were read and checked: whether it runs, and how to start it. */
export interface ConfiguredPlatform {
  readonly name: string;
  readonly module: PlatformModule;
  enabled(running: readonly string[]): boolean;
  create(context: Omit<PlatformContext<unknown>, 'env'>): Promise<PlatformAdapter>;
}

/**
 * A descriptor with the type of its variables sealed inside, so that the descriptors of different
 * platforms go in one list: `read` parses the variables once and keeps them for `enabled` and `create`.
 */
export interface PlatformModule extends Omit<PlatformDescriptor<unknown>, 'env' | 'enabled' | 'create'> {
  read(
    raw: RawEnv,
  ): { readonly ok: true; readonly platform: ConfiguredPlatform } | { readonly ok: false; readonly issues: readonly z.core.$ZodIssue[] };
}

/** Seals a descriptor (each adapter folder exports one: `export const <name>Platform = platformModule({...})`). */
export function platformModule<Env>(descriptor: PlatformDescriptor<Env>): PlatformModule {
  const { env: schema, enabled, create, ...rest } = descriptor;
  const module: PlatformModule = {
    ...rest,
    read(raw) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, issues: parsed.error.issues };
      const env = parsed.data;
      return {
        ok: true,
        platform: {
          name: descriptor.name,
          module,
          enabled: (running) => enabled.call(descriptor, env, running),
          create: (context) => create.call(descriptor, { ...context, env }),
        },
      };
    },
  };
  return module;
}
