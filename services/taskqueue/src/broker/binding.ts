// A binding: a rule from a source exchange to a queue or exchange. Two bindings are the same
// binding when source, destination, routing key and arguments are equal (AMQP's identity).

import type { BindingInfo, FieldTable } from './contract.js';
import { canonicalTable } from './field-table-values.js';

export interface Binding extends BindingInfo {
  /** identity used to deduplicate and to unbind */
  readonly key: string;
}

export function makeBinding(source: string, destination: string, destinationType: 'queue' | 'exchange', routingKey: string, args: FieldTable): Binding {
  const key = `${source}\u0000${destinationType}\u0000${destination}\u0000${routingKey}\u0000${canonicalTable(args)}`;
  return { source, destination, destinationType, routingKey, arguments: args ?? {}, key };
}
