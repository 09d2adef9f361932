// Types of `lpconfig/testing`: the in-process emulator (its native half is the `lpconfig-emulator` package).
import type { ClientOptions, Credentials } from './index';

/** What a matching request gets instead of the normal answer. */
export type FaultAction =
  | { type: 'status'; status: number; body?: string; retryAfter?: string }
  | { type: 'latency'; ms: number }
  | { type: 'reset' }
  | { type: 'malformedBody' };

/** A fault rule: requests whose path matches `path` (`*` is a wildcard). */
export interface FaultRule {
  /** Glob over the request path, e.g. `'*\/users'` or `'*\/agentGroups/*'`. */
  path: string;
  /** Only this HTTP method (default: all). */
  method?: string;
  /** Only the next `times` matching requests (default: forever). */
  times?: number;
  action: FaultAction;
}

export interface EmulatorOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** A TOML or JSON seed file instead of the demo seed. */
  seedFile?: string;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** Login session lifetime (default 8 h). */
  sessionTtlMs?: number;
}

/** One request the emulator saw. Headers are verbatim (this is a test tool). */
export interface LoggedRequest {
  method: string;
  path: string;
  query: string | null;
  headers: Record<string, string>;
  body: string;
  /** Status answered; 0 when the connection was reset instead. */
  status: number;
}

/** The Rust emulator (a local LiveEngage) running inside this process. */
export declare class Emulator {
  private constructor();
  /** Starts an emulator with the demo seed (account `demo`). */
  static start(options?: EmulatorOptions): Promise<Emulator>;
  /** `http://127.0.0.1:PORT`: the client's `csdsUrl`. */
  readonly url: string;
  /** The seeded account id. */
  readonly account: string;
  /** Seeded credentials, ready for `new Client({ credentials })`. */
  credentials(type?: 'password' | 'apiKey' | 'appKeyLogin'): Credentials;
  /** The seeded credential values as a plain object (secrets included: a test tool). */
  seedCredentials(type?: 'password' | 'apiKey' | 'appKeyLogin'): Record<string, string>;
  /** `{ account, csdsUrl, credentials }` for this emulator, `extra` winning. */
  clientOptions(extra?: Partial<ClientOptions>): ClientOptions;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  requestLog(): LoggedRequest[];
  clearRequestLog(): void;
  /** Ends every login session: their bearers get 401 from then on. */
  expireSessions(): void;
  /** How many login sessions are open. */
  sessionCount(): number;
  /** Stops the emulator; safe to call twice. */
  stop(): Promise<void>;
}
