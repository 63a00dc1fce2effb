import type { Plan } from '../plan/index.js';
import { orderPlanKeys, stringifyInPlanOrder } from '../plan/render.js';
import { type ChunkedFileWriter, writeFileInChunks } from './file-writer.js';
import { compactAction, indexPlan } from './plan-compact.js';
import { COMPACT_PLAN_FORMAT_VERSION } from './plan-format.js';

/**
 * Writes a plan as one JSON document in format 2 (plan-format.ts; plan.json, `plan --out`),
 * streamed: one action per line, so a 100,000-action plan is never one string in memory, and
 * the file still diffs and greps line by line. `envelope` holds the fields written before the
 * plan (a saved plan's digests); the plan goes under `plan` then. Keys keep renderPlanJson's order.
 */
export function writePlanFile(path: string, plan: Plan, envelope?: Record<string, unknown>): void {
  writeFileInChunks(path, (writer) => {
    if (envelope === undefined) {
      writePlan(writer, plan);
    } else {
      writer.write('{');
      for (const [key, value] of Object.entries(envelope)) {
        writer.write(`${JSON.stringify(key)}:${stringifyInPlanOrder(value)},\n`);
      }
      writer.write('"plan":');
      writePlan(writer, plan);
      writer.write('}');
    }
    writer.write('\n');
  });
}

function writePlan(writer: ChunkedFileWriter, plan: Plan): void {
  const index = indexPlan(plan);
  const ordered = orderPlanKeys('', { ...plan, formatVersion: COMPACT_PLAN_FORMAT_VERSION }) as Record<
    string,
    unknown
  >;
  writer.write('{');
  let first = true;
  for (const [key, value] of Object.entries(ordered)) {
    if (value === undefined) continue;
    writer.write(first ? '' : ',\n');
    first = false;
    if (key === 'actions') {
      // The files first, so a reader meets the table before the sources that number into it.
      writer.write(`"files":${JSON.stringify(index.files)},\n"actions":[`);
      plan.actions.forEach((action, position) => {
        writer.write(`${position === 0 ? '\n' : ',\n'}${stringifyInPlanOrder(compactAction(action, index))}`);
      });
      writer.write(plan.actions.length === 0 ? ']' : '\n]');
    } else {
      writer.write(`${JSON.stringify(key)}:${stringifyInPlanOrder(value)}`);
    }
  }
  writer.write('}');
}
