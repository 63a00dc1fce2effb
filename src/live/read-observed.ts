import { FatalApiError } from '../errors.js';
import type {
  Observed,
  ObservedAccountContents,
  ObservedAgent,
  ObservedDepartment,
} from '../model/observed.js';
import type { Channel, OmnizeId } from '../model/vocabulary.js';

/** The four GET calls live reading needs; the Partner API client provides them. */
export interface LiveReadClient {
  listAgents(accountId: OmnizeId): Promise<ObservedAgent[]>;
  listDepartments(accountId: OmnizeId): Promise<Omit<ObservedDepartment, 'channels' | 'agentIds'>[]>;
  listDepartmentChannels(departmentId: OmnizeId): Promise<Channel[]>;
  listDepartmentAgents(departmentId: OmnizeId): Promise<OmnizeId[]>;
}

/**
 * Sends one GET through the run's request pipeline (the layers every request of the run passes:
 * the stop check, retries, --concurrency and --rate, the one count), so reading holds the limits
 * like writing does.
 */
export type RequestRunner = <T>(request: () => Promise<T>) => Promise<T>;

/** A GET that failed for good, named by what it was reading: the run cannot plan without it (exit 1). */
export class LiveReadError extends FatalApiError {
  override name = 'LiveReadError';
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(`reading ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Reads what is live for each account: its agents and departments, then each department's
 * channels and members. Exactly 2 GETs per account and 2 per department (CONTRACT §4), all
 * started at once and admitted by the runner.
 */
export async function readObserved(
  accountIds: Iterable<OmnizeId>,
  client: LiveReadClient,
  run: RequestRunner,
): Promise<Observed> {
  const unique = [...new Set(accountIds)];
  const contents = await Promise.all(unique.map((accountId) => readAccount(accountId, client, run)));
  return { accounts: new Map(unique.map((accountId, index) => [accountId, contents[index]!])) };
}

async function readAccount(
  accountId: OmnizeId,
  client: LiveReadClient,
  run: RequestRunner,
): Promise<ObservedAccountContents> {
  const [agents, departments] = await Promise.all([
    guarded(`the agents of account ${accountId}`, () => run(() => client.listAgents(accountId))),
    guarded(`the departments of account ${accountId}`, () => run(() => client.listDepartments(accountId))),
  ]);
  const detailed = await Promise.all(
    departments.map(async (department): Promise<ObservedDepartment> => {
      const label = `department ${department.id} ("${department.name}") of account ${accountId}`;
      const [channels, agentIds] = await Promise.all([
        guarded(`the channels of ${label}`, () => run(() => client.listDepartmentChannels(department.id))),
        guarded(`the agents of ${label}`, () => run(() => client.listDepartmentAgents(department.id))),
      ]);
      return { ...department, accountId: department.accountId ?? accountId, channels, agentIds };
    }),
  );
  return { agents, departments: detailed };
}

async function guarded<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // The run-stopping errors (an invalid token) keep their own class for the exit mapper.
    if (error instanceof Error && error.name === 'InvalidTokenError') throw error;
    throw new LiveReadError(what, error);
  }
}
