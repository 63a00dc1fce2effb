import { readFileSync } from 'node:fs';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SETTINGS } from '../../src/config/settings.js';

/**
 * deploy/kubernetes/cronjob.yaml against the Kubernetes OpenAPI schema (kubernetes-models'
 * generated validators), every document of it, plus what the monitoring options must say.
 */
const PATH = new URL('../../deploy/kubernetes/cronjob.yaml', import.meta.url);
const TEXT = readFileSync(PATH, 'utf8');

/** The resource classes of the kinds the file may hold; another kind fails the test until it is added here. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'batch/v1/CronJob': CronJob,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
};

type Document = Record<string, unknown> & { apiVersion?: string; kind?: string };

function documentsOf(text: string): Document[] {
  return parseAllDocuments(text).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Document;
  });
}

/** Validates one document with its kind's model; throws the schema's complaint. */
function validate(document: Document): void {
  const model = MODELS[`${document.apiVersion}/${document.kind}`];
  if (model === undefined) throw new Error(`no schema model for ${document.apiVersion} ${document.kind}`);
  new model(document as never).validate();
}

/** As much of the CronJob as these tests read or break. */
interface CronJobShape extends Document {
  spec: {
    concurrencyPolicy?: unknown;
    jobTemplate: { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  };
}

function cronJob(documents: Document[]): CronJobShape {
  const found = documents.find((document) => document.kind === 'CronJob');
  if (found === undefined) throw new Error('no CronJob in the file');
  return found as CronJobShape;
}

describe('deploy/kubernetes/cronjob.yaml', () => {
  const documents = documentsOf(TEXT);

  it('holds a PersistentVolumeClaim and a CronJob, each valid against the Kubernetes schema', () => {
    expect(documents.map((document) => document.kind)).toEqual(['PersistentVolumeClaim', 'CronJob']);
    for (const document of documents) expect(() => validate(document)).not.toThrow();
  });

  it('fails the check for a broken document (the validator is real)', () => {
    const broken = structuredClone(cronJob(documents));
    broken.spec.concurrencyPolicy = 'Sometimes';
    expect(() => validate(broken)).toThrow(/concurrencyPolicy must be equal to one of the allowed values/);
    const nameless = structuredClone(cronJob(documents));
    delete nameless.spec.jobTemplate.spec.template.spec.containers[0]!.name;
    expect(() => validate(nameless)).toThrow(/containers\/0 must have required property name/);
    expect(() => validate({ apiVersion: 'v1', kind: 'Pod' })).toThrow(/no schema model for v1 Pod/);
  });

  it('pushes metrics to a Pushgateway, shows the textfile collector option, and takes the notify URL from a Secret', () => {
    const container = cronJob(documents).spec.jobTemplate.spec.template.spec.containers[0]!;
    const env = Object.fromEntries(
      (container.env as { name: string; value?: string; valueFrom?: unknown }[]).map((entry) => [
        entry.name,
        entry,
      ]),
    );
    expect(env[SETTINGS.pushgatewayUrl.environment]?.value).toMatch(/^http:\/\/.+:9091$/);
    expect(env[SETTINGS.notifyUrl.environment]).toEqual({
      name: 'OMNIZE_NOTIFY_URL',
      valueFrom: { secretKeyRef: { name: 'omnize-sync-notify', key: 'url', optional: true } },
    });
    expect(TEXT).toContain(`# - name: ${SETTINGS.metricsFile.environment}`);
    expect(TEXT).toContain('textfile_collector');
  });
});
