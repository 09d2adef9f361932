// Type declarations of the `lpconfig` package (hand-written; checked by
// `tsc --strict --noEmit` against examples/usage.ts in CI).
//
// Ids and revisions are JavaScript `number`s. LivePerson ids fit in 53 bits in
// practice; an id above `Number.MAX_SAFE_INTEGER` (2^53 - 1) cannot be
// represented exactly and is refused with a `ConfigError` when passed in.

/** An entity id (safe integer; see the note at the top of this file). */
export type Id = number;

/** An account-config revision (the account-wide counter). */
export type Revision = number;

/** The guard of a write: `'any'` (`If-Match: -1`) or the revision you read. */
export type IfMatch = 'any' | Revision;

/** A value with the collection revision it was read or written at. */
export interface Versioned<T> {
  value: T;
  /** `null` only when the server sent no revision header. */
  revision: Revision | null;
}

/** The result of a conditional read: `notModified` is distinct from an empty list. */
export type Fetched<T> =
  | { notModified: false; value: T; revision: Revision | null }
  | { notModified: true; revision: Revision | null };

/** Options of list and get calls. */
export interface ListOptions {
  /** Field selector (`'id,loginName'`); the default is `$all`. */
  select?: string;
  /** Include soft-deleted entities. */
  includeDeleted?: boolean;
}

/** Fields this package does not know are kept and sent back unchanged. */
export interface Extensible {
  [field: string]: unknown;
}

/** A group link of a user (`memberOf`, items of `managerOf`). */
export interface GroupLink extends Extensible {
  agentGroupId?: Id;
  /** Set by the server (`YYYY-MM-DD HH:MM:SS`). */
  assignmentDate?: string;
}

/** A user (Users API v4.0). Wire names; every field optional on input. */
export interface User extends Extensible {
  /** Server id (read only). */
  id?: Id;
  pid?: string;
  /** Soft-delete marker (read only). */
  deleted?: boolean;
  /** Unique login name (case-insensitive). */
  loginName?: string;
  /** Masked (`""`) by servers that hide personal data. */
  fullName?: string;
  nickname?: string;
  isEnabled?: boolean;
  maxChats?: number;
  skillIds?: Id[];
  email?: string;
  /** The agent's group (required for agents). */
  memberOf?: GroupLink;
  managerOf?: GroupLink[];
  changePwdNextLogin?: boolean;
  /**
   * Write-only password: set it to create a user with a password or change it
   * in an update; reads return `null` (never the password or its hash).
   */
  passwordSh?: string | null;
  /** Write-only: the current password, for a self-service change. */
  oldPassword?: string;
  /** Write-only: the new password again, for a self-service change. */
  confirmPassword?: string;
  lastPwdChangeDate?: string;
  dateUpdated?: string;
  permissionGroups?: Id[];
  pictureId?: string;
  pictureUrl?: string;
  disabledManually?: boolean;
  description?: string;
  mobileNumber?: string;
  /** Masked (`""`) by some servers. */
  employeeId?: string;
  backgndImgUri?: string;
  pnCertName?: string;
  /** Max open messaging conversations; `null` inherits the account default. */
  maxAsyncChats?: number | null;
  /** Profiles; they define the user's roles. */
  profileIds?: Id[];
  isApiUser?: boolean;
  /** 0 system, 1 human, 2 bot. */
  userTypeId?: number;
  allowedAppKeys?: string;
  lobIds?: Id[];
}

/** An agent group. */
export interface AgentGroup extends Extensible {
  /** Server id; the Main Group is `-1`. */
  id?: Id;
  deleted?: boolean;
  /** Unique name (case-sensitive). */
  name?: string;
  /** Parent group; `null` only for the root. */
  parentGroupId?: Id | null;
  isEnabled?: boolean;
  description?: string;
  dateUpdated?: string;
}

/** An entity as the server stored it: every read and create result has its `id`. */
export type Stored<T extends { id?: Id }> = T & { id: Id };

/** One group of `agentGroups.tree()` with its sub-groups, ordered by name. */
export interface GroupNode {
  group: Stored<AgentGroup>;
  children: GroupNode[];
}

/** A skill. */
export interface Skill extends Extensible {
  id?: Id;
  deleted?: boolean;
  name?: string;
  description?: string;
  dateUpdated?: string;
  lobIds?: Id[];
}

/** A profile: a permission set whose `roleTypeId` gives users their role. */
export interface Profile extends Extensible {
  id?: Id;
  deleted?: boolean;
  name?: string;
  description?: string;
  /** 1 Admin, 2 Agent, 3 Agent Manager, 4 Campaign Manager, 5 LPA. */
  roleTypeId?: number;
  roleTypeName?: string;
  permissions?: Id[];
  numOfAssignedUsers?: number;
  dateUpdated?: string;
}

/** A line of business. */
export interface Lob extends Extensible {
  id?: Id;
  deleted?: boolean;
  name?: string;
  description?: string;
  dateUpdated?: string;
}

/** The kinds of `Credentials`. */
export type CredentialsType = 'password' | 'apiKey' | 'appKeyLogin' | 'bearer' | 'clientCredentials';

/**
 * How a client authenticates. The values stay inside the instance:
 * `util.inspect`, `JSON.stringify`, `String()` and template strings show the
 * kind, `username` and `appKey`, and `[redacted]` for every secret.
 */
export declare class Credentials {
  private constructor();
  /** Login Service user login. */
  static password(username: string, password: string): Credentials;
  /** API key: every request signed with OAuth 1.0a, no login. */
  static apiKey(appKey: string, secret: string, accessToken: string, accessTokenSecret: string): Credentials;
  /** Login Service application login of a bot user with an API key. */
  static appKeyLogin(
    username: string,
    appKey: string,
    secret: string,
    accessToken: string,
    accessTokenSecret: string,
  ): Credentials;
  /** A bearer obtained elsewhere (no login, so a 401 is final). */
  static bearer(token: string): Credentials;
  /** OAuth 2.0 client credentials (token from Sentinel); `scope` is optional. */
  static clientCredentials(clientId: string, clientSecret: string, scope?: string): Credentials;
  readonly type: CredentialsType;
  /** The login name (password and app-key login). */
  readonly username: string | undefined;
  /** The app key (API key and app-key login). */
  readonly appKey: string | undefined;
  /** `{ type, username?, appKey?, ...secrets as '[redacted]' }`. */
  toJSON(): Record<string, string>;
  /** `Credentials.password(username="jane", password=[redacted])`. */
  toString(): string;
}

/** One retry the client is about to make (`onRetry`). */
export interface RetryEvent {
  method: string;
  /** The request URL (never carries credentials). */
  url: string;
  /** The attempt that just failed (1 = the first send). */
  attempt: number;
  /** The status that is retried (5xx or 429), or `null` for a transport failure. */
  status: number | null;
  /** `'status 503'` or `'transport: <what failed>'`. */
  reason: string;
  /** The wait before the next attempt. */
  delayMs: number;
}

/** One log event of the core. */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** `lpconfig.retry`, `lpconfig.transport`, ... */
  target: string;
  message: string;
}

/**
 * Sends the core's log events at `level` and above (default `'info'`) to
 * `handler`; `setLogHandler(null)` stops. Messages never contain secrets.
 */
export declare function setLogHandler(
  handler: ((record: LogRecord) => void) | null,
  options?: { level?: LogRecord['level'] },
): void;

/** The retry policy: LivePerson's documented one (default), none, or tuned. */
export type RetryOptions =
  | 'documented'
  | 'none'
  | {
      /** Waits before each retry of a 5xx or transport failure (documented: 5000, 10000, 15000). */
      serverDelaysMs?: number[];
      /** How many times a 429 is retried (documented: 3). */
      rateLimitRetries?: number;
      /** First wait after a 429, doubled each time (documented: 1000). */
      rateLimitBaseMs?: number;
      /** Retry connect/timeout/reset failures like 5xx (documented: true). */
      retryTransport?: boolean;
    };

/** Options of `new Client()`. */
export interface ClientOptions {
  /** Account (site) id, `^[a-zA-Z0-9_]{1,20}$`. */
  account: string;
  credentials: Credentials;
  /** CSDS base URL (default `https://api.liveperson.net`; loopback `http://` for the emulator). */
  csdsUrl?: string;
  /** `v` of account-config calls (default `'4.0'`). */
  apiVersion?: string;
  retry?: RetryOptions;
  /** Items per batch request (default 1000). */
  batchSize?: number;
  /** Per-attempt timeout (default 60000). */
  requestTimeoutMs?: number;
  /** Connect timeout (default 10000). */
  connectTimeoutMs?: number;
  /** Session refresh interval (default 240000). */
  refreshIntervalMs?: number;
  /** Domain cache lifetime (default 600000). */
  csdsTtlMs?: number;
  /** Send GETs to the read/write host too. */
  forceReadWrite?: boolean;
  /** Send PUT/DELETE as POST with `X-HTTP-Method-Override`. */
  methodOverride?: boolean;
  /**
   * Just the waits before each retry of a 5xx or transport failure, in ms (their
   * count is the number of retries; the first is also the first 429 wait), as
   * `LP_RETRY_DELAYS` sets them. Not together with `retry`.
   */
  retryDelaysMs?: number[];
  /**
   * A PEM file of CAs trusted besides the bundled and system roots, e.g. a
   * TLS-inspecting company proxy's (docs/network.md). Read when the client is built.
   */
  caBundle?: string;
  /**
   * `'http://proxy.example:3128'`, or `'none'` to ignore `HTTPS_PROXY`; without
   * it `HTTPS_PROXY`/`NO_PROXY` apply. Loopback is never proxied.
   */
  proxy?: string;
  /** Allow the legacy query delta (docs/query-delta.md; default false). */
  legacy?: boolean;
  /** Called before every retry (an exception in it becomes a process warning). */
  onRetry?: (event: RetryEvent) => void;
}

/** The Users API of one account. */
export declare class Users {
  private constructor();
  /** A view whose helpers may send back a masked (empty) `fullName` they read. */
  allowMaskedBlank(yes?: boolean): Users;
  list(options?: ListOptions): Promise<Versioned<Stored<User>[]>>;
  listIfModified(since: Revision, options?: ListOptions): Promise<Fetched<Stored<User>[]>>;
  get(id: Id): Promise<Versioned<Stored<User>>>;
  getIfModified(id: Id, since: Revision): Promise<Fetched<Stored<User>>>;
  create(user: User): Promise<Versioned<Stored<User>>>;
  createMany(users: User[]): Promise<Versioned<Stored<User>[]>>;
  /** Full replacement; `passwordSh` is sent as `null` (unchanged) unless set. */
  update(user: User, ifMatch: IfMatch): Promise<Versioned<Stored<User>>>;
  updateMany(users: User[], ifMatch: IfMatch): Promise<Versioned<Stored<User>[]>>;
  /** Soft delete; the value is the tombstone when the server returns one. */
  delete(id: Id, ifMatch: IfMatch): Promise<Versioned<Stored<User> | null>>;
  deleteMany(ids: Id[], ifMatch: IfMatch): Promise<Versioned<Stored<User>[]>>;
  resetPassword(id: Id, newPassword: string): Promise<Versioned<Stored<User>>>;
  changePassword(id: Id, oldPassword: string, newPassword: string): Promise<Versioned<Stored<User>>>;
  findByLoginName(loginName: string): Promise<Stored<User> | null>;
  inGroup(agentGroupId: Id): Promise<Stored<User>[]>;
  managing(agentGroupId: Id): Promise<Stored<User>[]>;
  withSkill(skillId: Id): Promise<Stored<User>[]>;
  addSkills(userIds: Id[], skillIds: Id[]): Promise<Versioned<Stored<User>[]>>;
  removeSkills(userIds: Id[], skillIds: Id[]): Promise<Versioned<Stored<User>[]>>;
  moveToGroup(userIds: Id[], agentGroupId: Id): Promise<Versioned<Stored<User>[]>>;
  /** `maxAsyncChats`: omit to keep, `null` to inherit the account default. */
  setConcurrency(userIds: Id[], maxChats: number, maxAsyncChats?: number | null): Promise<Versioned<Stored<User>[]>>;
  /**
   * Read-modify-write through the core: `change` edits each user in place or
   * returns a replacement (an object is laid over each user as a patch); a
   * throw writes nothing and rejects with that exception. Retried on a conflict.
   */
  modify(userIds: Id[], change: ((user: User) => User | void) | User): Promise<Versioned<Stored<User>[]>>;
}

/** The Agent Groups API of one account. */
export declare class AgentGroups {
  private constructor();
  list(options?: ListOptions): Promise<Versioned<Stored<AgentGroup>[]>>;
  listIfModified(since: Revision, options?: ListOptions): Promise<Fetched<Stored<AgentGroup>[]>>;
  get(id: Id): Promise<Versioned<Stored<AgentGroup>>>;
  getIfModified(id: Id, since: Revision): Promise<Fetched<Stored<AgentGroup>>>;
  create(group: AgentGroup): Promise<Versioned<Stored<AgentGroup>>>;
  createMany(groups: AgentGroup[]): Promise<Versioned<Stored<AgentGroup>[]>>;
  update(group: AgentGroup, ifMatch: IfMatch): Promise<Versioned<Stored<AgentGroup>>>;
  updateMany(groups: AgentGroup[], ifMatch: IfMatch): Promise<Versioned<Stored<AgentGroup>[]>>;
  delete(id: Id, ifMatch: IfMatch): Promise<Versioned<Stored<AgentGroup> | null>>;
  deleteMany(ids: Id[], ifMatch: IfMatch): Promise<Versioned<Stored<AgentGroup>[]>>;
  /** Non-deleted groups as a tree (normally one root, the Main Group). */
  tree(): Promise<GroupNode[]>;
  children(id: Id): Promise<Stored<AgentGroup>[]>;
  members(id: Id): Promise<Stored<User>[]>;
  managers(id: Id): Promise<Stored<User>[]>;
}

/** Read access to skills, profiles or LOBs. */
export declare class Catalog<T extends { id?: Id }> {
  private constructor();
  list(options?: ListOptions): Promise<Versioned<Stored<T>[]>>;
  listIfModified(since: Revision, options?: ListOptions): Promise<Fetched<Stored<T>[]>>;
  get(id: Id): Promise<Versioned<Stored<T>>>;
  findByName(name: string): Promise<Stored<T> | null>;
  create(entry: T): Promise<Versioned<Stored<T>>>;
  createMany(entries: T[]): Promise<Versioned<Stored<T>[]>>;
  update(entry: T, ifMatch: IfMatch): Promise<Versioned<Stored<T>>>;
  updateMany(entries: T[], ifMatch: IfMatch): Promise<Versioned<Stored<T>[]>>;
  delete(id: Id, ifMatch: IfMatch): Promise<Versioned<Stored<T> | null>>;
  deleteMany(ids: Id[], ifMatch: IfMatch): Promise<Versioned<Stored<T>[]>>;
}

/**
 * A LivePerson account-config client. Every call returns a Promise and runs
 * off the event loop. `util.inspect(client)` never shows credentials.
 */
export declare class Client {
  /** Checks the options (a `ConfigError` names the bad one); no I/O. */
  constructor(options: ClientOptions);
  /**
   * From `LP_ACCOUNT` and `LP_APP_KEY`/`LP_SECRET`/`LP_ACCESS_TOKEN`/`LP_ACCESS_TOKEN_SECRET`
   * (with `LP_USERNAME`: app-key login), `LP_USERNAME`/`LP_PASSWORD` or
   * `LP_CLIENT_ID`/`LP_CLIENT_SECRET` (never a mix: `ConfigError` with field
   * `credentials`); optionally `LP_CSDS_URL`, `LP_TIMEOUT`, `LP_CONNECT_TIMEOUT`,
   * `LP_RETRY_DELAYS`, `LP_CA_BUNDLE` (else `SSL_CERT_FILE`) and `LP_PROXY`.
   * `overrides` win over the environment.
   */
  static fromEnv(overrides?: Partial<ClientOptions>, env?: Record<string, string | undefined>): Client;
  readonly account: string;
  readonly users: Users;
  readonly agentGroups: AgentGroups;
  readonly skills: Catalog<Skill>;
  readonly profiles: Catalog<Profile>;
  readonly lobs: Catalog<Lob>;
  /** HR sync: plan and apply (`sync.d.ts`). */
  readonly sync: Sync;
  /** Opens the Login Service session now (otherwise the first call does). */
  login(): Promise<void>;
  /** Logs out (when a session is open) and stops the refresh timer. */
  close(): Promise<void>;
  /**
   * Every setting in force, by option name (durations in ms): what the core was
   * given and its defaults. Credentials show as their kind, a proxy password as `***`.
   */
  effectiveSettings(): EffectiveSettings;
  /** `{ account, csdsUrl }`: what `JSON.stringify(client)` shows (never credentials). */
  toJSON(): { account: string; csdsUrl: string };
}

/** What `Client#effectiveSettings()` reports (never a secret). */
export interface EffectiveSettings {
  account: string;
  /** The kind: `'password'`, `'api_key'`, `'app_key_login'`, `'bearer'` or `'client_credentials'`. */
  credentials: string;
  csdsUrl: string;
  apiVersion: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  retry: { rate_limit_retries: number; rate_limit_base: number; retry_transport: boolean };
  retryDelaysMs: number[];
  refreshIntervalMs: number;
  csdsTtlMs: number;
  forceReadWrite: boolean;
  methodOverride: boolean;
  batchSize: number;
  caBundle: string | null;
  proxy: string | null;
  legacy: boolean;
}

/** `err.code` of every lpconfig error (design.md, "Errors"). */
export type ErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_AUTH'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_CONFLICT'
  | 'ERR_INVALID'
  | 'ERR_RATE_LIMITED'
  | 'ERR_SERVER'
  | 'ERR_TRANSPORT'
  | 'ERR_DECODE';

/** How far a chunked batch got before a chunk failed. */
export interface BatchProgress {
  appliedChunks: number;
  totalChunks: number;
  appliedItems: number;
  appliedIds: Id[];
}

/** Base class of every lpconfig error. Messages never contain secrets. */
export declare class LpError extends Error {
  readonly code: ErrorCode;
  /** The final HTTP status, when a response was received. */
  readonly status?: number;
  /** The HTTP method of the failed call. */
  readonly method?: string;
  /** The URL of the failed call (it never carries credentials). */
  readonly url?: string;
  /** How many times the request was sent (1 = no retry; 0 = none sent). */
  readonly attempts: number;
  /** The offending field, when known. */
  readonly field?: string;
  /** The server's (or the check's) own message, without the context. */
  readonly detail: string;
  /** The server's `internalCode`, when present. */
  readonly internalCode?: number;
  /** The server's raw body (truncated), for diagnosis. */
  readonly body?: string;
  /** For a chunked batch: what was applied before this failure. */
  readonly batch?: BatchProgress;
}
/** Bad input caught before any I/O. */
export declare class ConfigError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_CONFIG';
}
/** 401 after one re-login, or login refused. */
export declare class AuthError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_AUTH';
}
/** 403. */
export declare class ForbiddenError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_FORBIDDEN';
}
/** 404. */
export declare class NotFoundError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_NOT_FOUND';
}
/** 409/412: stale revision, duplicate name. */
export declare class ConflictError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_CONFLICT';
}
/** 400 from the server. */
export declare class InvalidError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_INVALID';
}
/** 429 after the retries. */
export declare class RateLimitedError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_RATE_LIMITED';
}
/** 5xx after the retries. */
export declare class ServerError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_SERVER';
}
/** Connect, timeout or TLS failure after the retries. */
export declare class TransportError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_TRANSPORT';
}
/** A body that is not the documented shape. */
export declare class DecodeError extends LpError {
  /** The `code` of every instance. */
  static readonly code: 'ERR_DECODE';
}

import type { Sync } from './sync';
export * from './sync';
