import type { BrokerContext } from '../context.js';
import type {
  AlterConfigsRequest,
  DescribeConfigsRequest,
  DescribeConfigsResponse,
  DescribedConfig,
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from '../../protocol/messages/configs.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { TopicConfig } from '../../storage/contract.js';
import { errorCodeOf } from '../storage-errors.js';
import { topicConfigs } from '../topic-configs.js';

const TOPIC = 2;
const BROKER = 4;
// config sources and types, as in Kafka's DescribeConfigsResponse
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_DEFAULT = 5;
const OP_SET = 0;
const OP_DELETE = 1;

type Changes = Partial<Omit<TopicConfig, 'partitions'>>;

function describeTopic(ctx: BrokerContext, name: string, keys: string[] | null, withDocs: boolean): DescribedConfig[] {
  const info = ctx.engine.topic(name)!;
  const all = Object.entries(topicConfigs).map(([configName, c]): DescribedConfig => {
    const isDefault = info.config[c.key] === ctx.engine.defaults[c.key];
    return {
      name: configName,
      value: String(info.config[c.key]),
      readOnly: false,
      isDefault,
      configSource: isDefault ? SOURCE_DEFAULT : SOURCE_DYNAMIC_TOPIC,
      isSensitive: false,
      synonyms: [],
      configType: c.type,
      documentation: withDocs ? c.doc : null,
    };
  });
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
function change(name: string, value: string | null, into: Changes, defaults: TopicConfig): void {
  const c = topicConfigs[name];
  if (!c) throw new ConfigRefused(ErrorCode.INVALID_CONFIG, `unknown or unsupported topic config '${name}'`);
  if (value === null) {
    (into as Record<string, unknown>)[c.key] = defaults[c.key];
    return;
  }
  const parsed = c.parse(value);
  if (typeof parsed === 'object') throw new ConfigRefused(ErrorCode.INVALID_CONFIG, parsed.refused);
  (into as Record<string, unknown>)[c.key] = parsed;
}

async function alterTopic(ctx: BrokerContext, resourceType: number, name: string, build: (into: Changes) => void, validateOnly: boolean) {
  const base = { resourceType, resourceName: name };
  try {
    if (resourceType !== TOPIC) throw new ConfigRefused(ErrorCode.INVALID_REQUEST, 'only topic configs can be altered; broker configs are set on the command line');
    if (!ctx.engine.topic(name)) throw new ConfigRefused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
    const changes: Changes = {};
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
          for (const name of Object.keys(topicConfigs)) change(name, null, into, ctx.engine.defaults);
          for (const c of r.configs) change(c.name, c.value, into, ctx.engine.defaults);
        },
        req.validateOnly,
      ),
    );
  }
  return { throttleTimeMs: 0, responses };
}
