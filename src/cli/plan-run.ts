import { EXIT } from '../errors.js';
import {
  assertWithinGuard,
  describeGuard,
  digestObserved,
  renderPlanJson,
  renderPlanText,
} from '../plan/index.js';
import { plannedRow } from '../report/results.js';
import { createRunFolder } from '../report/run-folder.js';
import { writeRunReport } from '../report/write-report.js';
import { StateStore } from '../state/index.js';
import { openApiSession } from './api-session.js';
import type { CommandContext } from './command.js';
import type { PlanArgs } from './plan.js';
import { readAndPlan } from './planning.js';
import { savePlan, stateIdentity } from './saved-plan.js';

/** `omnize-sync plan`: the plan printed, saved with --out, and its report folder. */
export async function runPlan({ args, io, config, logger }: CommandContext<PlanArgs>): Promise<number> {
  const startedAt = new Date();
  const settings = config();
  const log = logger();
  const store = StateStore.open(settings.state);
  try {
    const session = await openApiSession(settings, log);
    const planning = await readAndPlan(args, io, store, session);
    const { plan } = planning;
    io.stdout.write(args.json === true ? renderPlanJson(plan) : renderPlanText(plan));
    if (args.out !== undefined) {
      savePlan(args.out, {
        manifestDigest: planning.manifest.digest,
        observedDigest: digestObserved(planning.observed),
        state: { identity: stateIdentity(store), serial: store.serial() },
        options: {
          prune: planning.options.prune,
          allowDelete: planning.options.allowDelete,
          maxDeactivations: planning.options.maxDeactivations,
        },
        plan,
      });
      io.stderr.write(`Plan saved to ${args.out}\n`);
    }
    const exitCode = plan.guard.exceeded
      ? EXIT.safetyStop
      : args.detailedExitcode === true && plan.actions.length > 0
        ? EXIT.planHasChanges
        : EXIT.ok;
    const folder = createRunFolder(settings.reportDir, 'plan', startedAt);
    writeRunReport(folder, {
      command: 'plan',
      startedAt,
      finishedAt: new Date(),
      exitCode,
      plan,
      results: plan.actions.map(plannedRow),
      requests: {
        total: session.counters.requests,
        reads: session.counters.reads,
        writes: session.counters.writes,
      },
      retries: session.counters.retries,
      manifest: planning.manifest.files,
      requestTimes: session.counters.startedAt,
    });
    io.stderr.write(`Report: ${folder}\n`);
    log.debug({ guard: describeGuard(plan.guard) }, 'safety guard');
    assertWithinGuard(plan);
    return exitCode;
  } finally {
    store.close();
  }
}
