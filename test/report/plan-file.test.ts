import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../src/plan/render.js';
import { writePlanFile } from '../../src/report/plan-file.js';
import { readSavedPlan, writeSavedPlan } from '../../src/run/saved-plan-file.js';
import { world } from '../plan/world.js';

const plan = () =>
  world()
    .account('acme', { email: 'new@acme.example', licenseQuantity: 12 })
    .department('Vendas', { channels: ['chat'] }, { remote: false })
    .agent('ana@acme.com.br', { departments: ['Vendas'] }, { remote: false })
    .plan();

describe('writePlanFile', () => {
  it('writes the plan of plan --json, compact, one action per line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'plan-file-'));
    const path = join(folder, 'plan.json');
    const value = plan();
    writePlanFile(path, value);
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(renderPlanJson(value)));
    expect(text.split('\n').length).toBeGreaterThan(value.actions.length);
    expect(text).not.toContain('\n  ');
    expect(text.indexOf('"formatVersion"')).toBeLessThan(text.indexOf('"actions"'));
  });

  it('saves a plan that apply --plan reads back as it was', () => {
    const folder = mkdtempSync(join(tmpdir(), 'plan-file-'));
    const path = join(folder, 'saved.json');
    const saved = {
      manifestDigest: 'm',
      observedDigest: 'o',
      state: { identity: 'i', serial: 3 },
      options: { prune: false, allowDelete: false, maxDeactivations: { percent: 10 } },
      plan: plan(),
    };
    writeSavedPlan(path, saved);
    const read = readSavedPlan(path);
    expect(read).toEqual({ format: read.format, formatVersion: read.formatVersion, ...saved });
  });
});
