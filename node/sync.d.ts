// Types of `client.sync` (node/lib/sync.js): HR sync through the engine. Shapes
// follow the engine's JSON forms (docs/sync.md); test/sync-shapes.test.js checks
// them against what the addon returns.
import type { LpError } from './index';

/** A row of desired state, keyed by staff-file column name (`login_name`, `group`, ...). */
export type SyncRow = Record<string, string | number | boolean | null | string[]>;

/** What happens to users the rows do not name. */
export type Prune = 'off' | 'disable' | 'delete';

export interface SyncPlanOptions {
  /** Default `'off'`: leave them alone. */
  prune?: Prune;
  /** Login names never pruned (put the login running the sync here). */
  protected?: string[];
  /** May send back a masked (`""`) full name. */
  allowMaskedBlank?: boolean;
  /** Initial password of new users whose row has none (default: random each). */
  initialPassword?: string;
  /**
   * Create the skills and lines of business the rows name but the account lacks
   * (listed in the plan, created before the users). Default `false`: an unknown
   * name is a `SyncInputError`.
   */
  createMissingCatalogEntries?: boolean;
  /** The groups section (rows with `id`, `name`, `parent`, `description`, `enabled`, or a
   * CSV/JSON/YAML path): renames, re-parents and creates groups. */
  groups?: string | URL | Iterable<SyncGroupRow>;
}

/** A row of the groups section. */
export type SyncGroupRow = Record<string, string | number | boolean | null>;

export type ChangeKind =
  | 'create_skill'
  | 'create_lob'
  | 'create_group'
  | 'update_group'
  | 'move_group'
  | 'create_user'
  | 'update_user'
  | 'disable_user'
  | 'delete_user';

export type SyncPhase =
  | 'checking'
  | 'create_catalog_entries'
  | 'create_groups'
  | 'update_groups'
  | 'move_groups'
  | 'create_users'
  | 'update_users'
  | 'delete_users'
  | 'done';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** One change of a plan (same kind, name and order as the report's changes). */
export interface Change {
  kind: ChangeKind;
  /** Login name or group path. */
  name: string;
  /** Where it comes from (`staff.csv:12`, `rows:3`). */
  at: string;
  fields: FieldChange[];
}

export interface PlanSummary {
  groupsToCreate: number;
  groupsToMove: number;
  groupsToUpdate: number;
  usersToCreate: number;
  usersToUpdate: number;
  usersToDisable: number;
  usersToDelete: number;
  unchanged: number;
  /** Skills to create (`createMissingCatalogEntries`). */
  skillsToCreate: number;
  /** Lines of business to create (`createMissingCatalogEntries`). */
  lobsToCreate: number;
  /** The one-line text (`Plan: 1 group to create, ...`). */
  text: string;
}

/** What must change for the account to match the rows. */
export declare class Plan {
  private constructor();
  /** Reads a plan saved with `JSON.stringify(plan)` (text or the parsed object). */
  static fromJSON(json: string | object): Plan;
  /** The number of changes. */
  readonly length: number;
  /** Every change, in apply order. */
  readonly changes: Change[];
  readonly summary: PlanSummary;
  readonly warnings: string[];
  /** The plan's versioned JSON form (never with passwords). */
  toJSON(): object;
}

export interface SyncProgress {
  phase: SyncPhase;
  done: number;
  total: number;
  /** Milliseconds since apply began. */
  elapsed: number;
}

export interface SyncApplyOptions {
  /** Called at every batch and at least every 250 ms while a request runs. */
  onProgress?: (progress: SyncProgress) => void;
  /** Items per request (default 500). */
  batchSize?: number;
  /** Stops the apply after its current batch; it then resolves with `outcome: 'cancelled'`. */
  signal?: AbortSignal;
}

export interface ChangeResult {
  kind: ChangeKind;
  name: string;
  at: string;
  /** `unknown`: the answer was lost and re-reading failed; it may or may not be applied. */
  status: 'applied' | 'not_applied' | 'unknown';
  /** Present (true) when a failed batch's item was confirmed applied after a lost answer. */
  confirmed_after_loss?: boolean;
}

export interface SyncFailure {
  status: 'failed';
  step: string;
  message: string;
  hint: string | null;
  rows: string[];
  /** Those of `rows` the account holds. */
  applied: string[];
  /** Those of `rows` that may or may not be applied. */
  unknown: string[];
  suspects: string[];
}

export interface SyncReport {
  applied: {
    groupsCreated: number;
    groupsMoved: number;
    groupsUpdated: number;
    usersCreated: number;
    usersUpdated: number;
    usersDisabled: number;
    usersDeleted: number;
    skillsCreated: number;
    lobsCreated: number;
  };
  changes: ChangeResult[];
  outcome: 'done' | 'cancelled' | 'failed';
  failure: SyncFailure | null;
  /** `true` when a re-plan came out empty (plans made in this process); `null` when not checked. */
  verified: boolean | null;
  leftover: Plan | null;
  /** Everything applied (and, when checked, verified). */
  readonly ok: boolean;
  /** Login name -> initial password of created users (not enumerable: kept out of JSON and logs). */
  readonly initialPasswords: Record<string, string>;
}

/** HR sync for one account (`client.sync`). */
export declare class Sync {
  private constructor();
  /** Reads the rows (a CSV/JSON/YAML path, or row objects) and the account; writes nothing. */
  plan(source: string | URL | Iterable<SyncRow>, options?: SyncPlanOptions): Promise<Plan>;
  /** Applies the plan; API failures do not reject: see `report.outcome`. */
  apply(plan: Plan, options?: SyncApplyOptions): Promise<SyncReport>;
}

export interface InputProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

export declare class SyncError extends LpError {}
/** Every problem of the rows, with line and column; nothing contacted or applied. */
export declare class SyncInputError extends SyncError {
  readonly errors: InputProblem[];
}
/** The account changed since the plan was made: make a new plan. */
export declare class SyncStaleError extends SyncError {}
export declare class SyncPlanFormatError extends SyncError {}
export declare class SyncUnsupportedError extends SyncError {}
export declare class SyncOptionsError extends SyncError {}
