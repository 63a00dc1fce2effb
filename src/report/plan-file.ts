import type { Plan } from '../plan/index.js';
import { orderPlanKeys } from '../plan/render.js';
import { type ChunkedFileWriter, writeFileInChunks } from './file-writer.js';

/**
 * Writes a plan as one compact JSON document (plan.json, `plan --out`), streamed: one action per
 * line, so a 100,000-action plan is never one string in memory, and the file still diffs and
 * greps line by line. `envelope` holds the fields written before the plan (a saved plan's
 * digests); the plan goes under `plan` then. Keys keep renderPlanJson's order.
 */
export function writePlanFile(path: string, plan: Plan, envelope?: Record<string, unknown>): void {
  writeFileInChunks(path, (writer) => {
    if (envelope === undefined) {
      writePlan(writer, plan);
    } else {
      writer.write('{');
      for (const [key, value] of Object.entries(envelope)) {
        writer.write(`${JSON.stringify(key)}:${JSON.stringify(value, orderPlanKeys)},\n`);
      }
      writer.write('"plan":');
      writePlan(writer, plan);
      writer.write('}');
    }
    writer.write('\n');
  });
}

function writePlan(writer: ChunkedFileWriter, plan: Plan): void {
  const ordered = orderPlanKeys('', plan) as Record<string, unknown>;
  writer.write('{');
  let first = true;
  for (const [key, value] of Object.entries(ordered)) {
    if (value === undefined) continue;
    writer.write(`${first ? '' : ',\n'}${JSON.stringify(key)}:`);
    first = false;
    if (key === 'actions' && Array.isArray(value)) writeArray(writer, value);
    else writer.write(JSON.stringify(value, orderPlanKeys));
  }
  writer.write('}');
}

function writeArray(writer: ChunkedFileWriter, items: readonly unknown[]): void {
  writer.write('[');
  items.forEach((item, index) => {
    writer.write(`${index === 0 ? '\n' : ',\n'}${JSON.stringify(item, orderPlanKeys)}`);
  });
  writer.write(items.length === 0 ? ']' : '\n]');
}
