import type { Channel } from 'amqplib';
import type { Kafka } from 'kafkajs';
import { JobRetrainSchema, QUEUES, type JobRetrain, type RosterModel } from '@riderflow/contracts';
import { consumeValidated, type Logger } from '@riderflow/service-kit';
import type { BackendName } from '../model/backend.js';
import { trainFromLog } from '../train-job.js';
import type { ForecastHolder } from './forecast-holder.js';
import type { RosteringMetrics } from './metrics.js';
import type { RosterOutbox } from './outbox.js';

export interface RetrainJobsOptions {
  channel: Channel;
  kafka: Kafka;
  modelsDir: string;
  backend: BackendName;
  databaseUrl?: string;
  /** Publish retrained versions on rostering.models (see trainFromLog). */
  modelTopic: boolean;
  keepModels: number;
  log: Logger;
  forecasts: ForecastHolder;
  metrics: RosteringMetrics;
  outbox: RosterOutbox;
  /** Simulated time for the status events (the log's watermark). */
  now: () => number;
}

/**
 * Retrain jobs from queue jobs.rostering, one at a time: trains from the log, loads the new
 * version, and reports running / finished / failed on the log so the dashboard can show which
 * model is active. A failed retrain keeps the current model; the job is acked either way.
 */
export async function consumeRetrainJobs(o: RetrainJobsOptions): Promise<{ running(): Promise<void> | undefined }> {
  let retraining: Promise<void> | undefined;
  const report = async (fields: Omit<RosterModel, 'type' | 'v' | 'id' | 'ts' | 'activeModel'>) => {
    const ts = Math.max(0, Math.trunc(o.now()));
    const event: RosterModel = { type: 'roster.model', v: 1, id: `roster.model:${fields.jobId}:${fields.status}`, ts, activeModel: o.forecasts.source.version, ...fields };
    await o.outbox.publishEvent(event).catch((err: unknown) => {
      o.log.warn({ err: (err as Error).message, status: fields.status }, 'could not publish the retrain status');
    });
  };
  const onRetrain = async (job: JobRetrain) => {
    o.log.info({ jobId: job.jobId, from: job.from, to: job.to }, 'retrain job received');
    await report({ jobId: job.jobId, status: 'running' });
    const run = trainFromLog({ kafka: o.kafka, modelsDir: o.modelsDir, backend: o.backend, from: job.from, to: job.to, databaseUrl: o.databaseUrl, modelTopic: o.modelTopic, keepModels: o.keepModels, logger: o.log })
      .then(async (res) => {
        o.log.info({ version: res.metadata.version, mae: res.metadata.metrics.mae, bestBaseline: res.metadata.bestBaseline }, `retrained\n${res.table}`);
        // with the registry topic, the follower may have switched to it already
        if (o.forecasts.source.version !== res.metadata.version) await o.forecasts.use(res.metadata.version);
        o.metrics.retrains.inc({ result: 'ok' });
        const best = res.metadata.baselines[res.metadata.bestBaseline];
        await report({ jobId: job.jobId, status: 'finished', version: res.metadata.version, mae: res.metadata.metrics.mae, ...(best ? { bestBaselineMae: best.mae } : {}) });
      })
      .catch(async (err: unknown) => {
        o.metrics.retrains.inc({ result: 'failed' });
        o.log.error({ jobId: job.jobId, err: (err as Error).message }, 'retrain failed; keeping the current forecaster');
        await report({ jobId: job.jobId, status: 'failed', error: (err as Error).message });
      });
    retraining = run;
    await run;
    retraining = undefined;
  };
  await consumeValidated(o.channel, QUEUES.jobsRostering, JobRetrainSchema, onRetrain, { prefetch: 1, logger: o.log });
  return { running: () => retraining };
}
