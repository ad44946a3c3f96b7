import { certifyOrder, type CertOrder, type Certificate } from '../core/certificate.js';
import { costLowerBound, type CostLowerBound } from '../core/cost-bound.js';
import { prepareJointCertificates, type JointLimits, type JointOutcome } from '../core/joint-certificate.js';
import { wholeMinuteTravel } from '@riderflow/geo';
import type { MdrpInstance } from './instance.js';
import type { ParsedSolution } from './validate.js';

/** The certificates of a solution's undelivered orders, split by what they prove. */
export interface UndeliveredReport {
  /** Orders no courier could have delivered (certified minimum of any solution). */
  infeasible: Extract<Certificate, { kind: 'infeasible' }>[];
  /** Orders left undelivered although a courier could have delivered them, and no joint certificate: each one fails the run. */
  avoidable: Extract<Certificate, { kind: 'deliverable' }>[];
  /** For each avoidable order, why the joint certificate did not hold (the relaxation's plan, or too large). */
  jointAttempts: Map<string, Exclude<JointOutcome, { kind: 'joint' }>>;
  /** Orders deliverable alone but proven unavoidable with others (core/joint-certificate.ts). */
  joint: Extract<JointOutcome, { kind: 'joint' }>[];
  /** CPU time of the joint certificates, ms (outside the timed dispatch, like every certificate). */
  jointCpuMs: number;
  /** Orders of the instance that no solution can deliver, delivered or not (should be none delivered). */
  certifiedMinimum: number;
}

/**
 * Gives every undelivered order its certificate (see core/certificate.ts); with `joint` limits, an
 * order some courier could serve alone gets a second chance, the joint certificate
 * (core/joint-certificate.ts). That search can cost seconds of CPU per instance on a day with many
 * misses, so only the CLI's report asks for it; tests, tuning and benches get the per-order
 * certificates (an order the joint step would certify then counts as avoidable). The certified
 * minimum counts every order of the instance that no courier can serve, so it is the same for any
 * dispatcher and bounds the undelivered share from below.
 */
export function certifyUndelivered(instance: MdrpInstance, solution: ParsedSolution, options: { joint?: JointLimits } = {}): UndeliveredReport {
  const jointLimits = options.joint;
  const travel = wholeMinuteTravel(instance.params.metersPerMinute);
  const delivered = new Set(solution.deliveries.map((d) => d.orderId));
  const report: UndeliveredReport = { infeasible: [], avoidable: [], jointAttempts: new Map(), joint: [], jointCpuMs: 0, certifiedMinimum: 0 };
  const deliverable: Extract<Certificate, { kind: 'deliverable' }>[] = [];
  for (const o of instance.orders) {
    const cert = certifyOrder(
      certOrder(instance, o),
      instance.couriers,
      travel,
      instance.params.pickupServiceMin,
    );
    if (cert.kind === 'infeasible') report.certifiedMinimum++;
    if (delivered.has(o.id)) continue;
    if (cert.kind === 'infeasible') report.infeasible.push(cert);
    else deliverable.push(cert);
  }
  if (deliverable.length === 0 || jointLimits === undefined) {
    report.avoidable.push(...deliverable);
    return report;
  }
  // the second kind: a set of orders that only some couriers can serve, not all of it servable
  const cpu0 = process.cpuUsage();
  const { params } = instance;
  const joint = prepareJointCertificates(
    instance.orders.map((o) => ({ ...certOrder(instance, o), drop: o.drop })),
    instance.couriers,
    travel,
    { pickupServiceMin: params.pickupServiceMin, dropoffServiceMin: params.dropoffServiceMin },
    jointLimits,
  );
  // one budget per instance as well, so a day with many misses stays bounded (three misses' worth)
  let left = 3 * jointLimits.nodeBudget;
  for (const cert of deliverable) {
    const one = process.cpuUsage();
    const outcome = joint.certify(cert.orderId, delivered, Math.min(jointLimits.nodeBudget, Math.max(0, left)));
    left -= outcome.nodes;
    const spent = process.cpuUsage(one);
    outcome.text += ` (CPU ${((spent.user + spent.system) / 1e6).toFixed(3)} s)`;
    if (outcome.kind === 'joint') report.joint.push(outcome);
    else {
      report.avoidable.push(cert);
      report.jointAttempts.set(cert.orderId, outcome);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  report.jointCpuMs = (cpu.user + cpu.system) / 1000;
  return report;
}

function certOrder(instance: MdrpInstance, o: MdrpInstance['orders'][number]): CertOrder {
  return { id: o.id, restaurantId: o.restaurantId, restaurantLoc: instance.restaurants.get(o.restaurantId)!.loc, placedAt: o.placedAt, readyAt: o.readyAt };
}

function certOrders(instance: MdrpInstance): CertOrder[] {
  return instance.orders.map((o) => certOrder(instance, o));
}

/**
 * The instance's lower bound on the cost per order (core/cost-bound.ts), over all orders some
 * courier could deliver: the same for every dispatcher, like the certified minimum.
 */
export function instanceCostBound(instance: MdrpInstance): CostLowerBound {
  const { params } = instance;
  return costLowerBound(certOrders(instance), instance.couriers, wholeMinuteTravel(params.metersPerMinute), params.pickupServiceMin, {
    payPerOrder: params.payPerOrder,
    payPerHour: params.payPerHour,
  });
}
