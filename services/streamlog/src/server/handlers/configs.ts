import type { BrokerContext } from '../context.js';
import type {
  AlterConfigsRequest,
  DescribeConfigsRequest,
  DescribeConfigsResponse,
  DescribedConfig,
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from '../../protocol/messages/configs.js';
import { ErrorCode } from '../../protocol/errorCodes.js';
import type { TopicConfig } from '../../storage/contract.js';
import { errorCodeOf } from '../storageErrors.js';

const TOPIC = 2;
const BROKER = 4;
// config sources and types, as in Kafka's DescribeConfigsResponse
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_DEFAULT = 5;
const TYPE_STRING = 2;
const TYPE_LONG = 5;
const TYPE_LIST = 7;
const TYPE_INT = 3;
const OP_SET = 0;
const OP_DELETE = 1;

type Numeric = 'retentionMs' | 'retentionBytes' | 'segmentBytes';
/** the topic configs this broker applies */
const numericConfigs: Record<string, { key: Numeric; type: number; doc: string }> = {
  'retention.ms': { key: 'retentionMs', type: TYPE_LONG, doc: 'delete whole segments whose newest record is older than this; -1 keeps forever' },
  'retention.bytes': { key: 'retentionBytes', type: TYPE_LONG, doc: 'delete the oldest whole segments beyond this size per partition; -1 is unbounded' },
  'segment.bytes': { key: 'segmentBytes', type: TYPE_INT, doc: 'roll a new segment at this size' },
};
const CLEANUP_POLICY = 'cleanup.policy';

function describeTopic(ctx: BrokerContext, name: string, keys: string[] | null, withDocs: boolean): DescribedConfig[] {
  const info = ctx.engine.topic(name)!;
  const entry = (configName: string, value: string, isDefault: boolean, type: number, doc: string): DescribedConfig => ({
    name: configName,
    value,
    readOnly: false,
    isDefault,
    configSource: isDefault ? SOURCE_DEFAULT : SOURCE_DYNAMIC_TOPIC,
    isSensitive: false,
    synonyms: [],
    configType: type,
    documentation: withDocs ? doc : null,
  });
  const all = [
    ...Object.entries(numericConfigs).map(([configName, c]) =>
      entry(configName, String(info.config[c.key]), info.config[c.key] === ctx.engine.defaults[c.key], c.type, c.doc),
    ),
    // compaction is not implemented, so the policy is always delete
    entry(CLEANUP_POLICY, 'delete', true, TYPE_LIST, 'delete: old segments are removed by retention (compact is not supported)'),
  ];
  return keys === null || keys.length === 0 ? all : all.filter((c) => keys.includes(c.name));
}

export function handleDescribeConfigs(ctx: BrokerContext, req: DescribeConfigsRequest): DescribeConfigsResponse {
  return {
    throttleTimeMs: 0,
    results: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      if (r.resourceType === BROKER) return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: [] };
      if (r.resourceType !== TOPIC) return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} is not supported`, configs: [] };
      if (!ctx.engine.topic(r.resourceName)) {
        return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `topic '${r.resourceName}' does not exist`, configs: [] };
      }
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: describeTopic(ctx, r.resourceName, r.configurationKeys, req.includeDocumentation) };
    }),
  };
}

class ConfigRefused extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

/** one config change as the engine takes it; null = back to the broker default */
function change(name: string, value: string | null, into: Partial<Record<Numeric, number>>, defaults: TopicConfig): void {
  if (name === CLEANUP_POLICY) {
    if (value === null || value === 'delete') return;
    throw new ConfigRefused(ErrorCode.INVALID_CONFIG, `cleanup.policy=${value} is not supported (only delete; compaction is not implemented)`);
  }
  const c = numericConfigs[name];
  if (!c) throw new ConfigRefused(ErrorCode.INVALID_CONFIG, `unknown or unsupported topic config '${name}'`);
  if (value === null) {
    into[c.key] = defaults[c.key];
    return;
  }
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new ConfigRefused(ErrorCode.INVALID_CONFIG, `${name}=${value} is not an integer`);
  into[c.key] = n;
}

async function alterTopic(ctx: BrokerContext, resourceType: number, name: string, build: (into: Partial<Record<Numeric, number>>) => void, validateOnly: boolean) {
  const base = { resourceType, resourceName: name };
  try {
    if (resourceType !== TOPIC) throw new ConfigRefused(ErrorCode.INVALID_REQUEST, 'only topic configs can be altered; broker configs are set on the command line');
    if (!ctx.engine.topic(name)) throw new ConfigRefused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
    const changes: Partial<Record<Numeric, number>> = {};
    build(changes);
    await ctx.engine.alterTopicConfig(name, changes, validateOnly);
    if (!validateOnly) ctx.log.info({ topic: name, changes }, 'topic config altered');
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (err) {
    if (err instanceof ConfigRefused) return { ...base, errorCode: err.errorCode, errorMessage: err.message };
    const errorCode = errorCodeOf(err, ctx.log, { topic: name });
    return { ...base, errorCode, errorMessage: errorCode === ErrorCode.UNKNOWN_SERVER_ERROR ? 'unexpected failure' : (err as Error).message };
  }
}

export async function handleIncrementalAlterConfigs(ctx: BrokerContext, req: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
  const responses = [];
  for (const r of req.resources) {
    responses.push(
      await alterTopic(
        ctx,
        r.resourceType,
        r.resourceName,
        (into) => {
          for (const c of r.configs) {
            if (c.configOperation === OP_SET) change(c.name, c.value, into, ctx.engine.defaults);
            else if (c.configOperation === OP_DELETE) change(c.name, null, into, ctx.engine.defaults);
            else throw new ConfigRefused(ErrorCode.INVALID_CONFIG, `${c.name}: APPEND and SUBTRACT apply only to list configs`);
          }
        },
        req.validateOnly,
      ),
    );
  }
  return { throttleTimeMs: 0, responses };
}

/** AlterConfigs replaces the whole set: every config not named goes back to its default */
export async function handleAlterConfigs(ctx: BrokerContext, req: AlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
  const responses = [];
  for (const r of req.resources) {
    responses.push(
      await alterTopic(
        ctx,
        r.resourceType,
        r.resourceName,
        (into) => {
          for (const name of Object.keys(numericConfigs)) change(name, null, into, ctx.engine.defaults);
          for (const c of r.configs) change(c.name, c.value, into, ctx.engine.defaults);
        },
        req.validateOnly,
      ),
    );
  }
  return { throttleTimeMs: 0, responses };
}
