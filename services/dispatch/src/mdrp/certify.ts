import { certifyOrder, type CertOrder, type Certificate } from '../core/certificate.js';
import { costLowerBound, type CostLowerBound } from '../core/cost-bound.js';
import { wholeMinuteTravel } from '@riderflow/geo';
import type { MdrpInstance } from './instance.js';
import type { ParsedSolution } from './validate.js';

/** The certificates of a solution's undelivered orders, split by what they prove. */
export interface UndeliveredReport {
  /** Orders no courier could have delivered (certified minimum of any solution). */
  infeasible: Extract<Certificate, { kind: 'infeasible' }>[];
  /** Orders left undelivered although a courier could have delivered them: each one fails the run. */
  avoidable: Extract<Certificate, { kind: 'deliverable' }>[];
  /** Orders of the instance that no solution can deliver, delivered or not (should be none delivered). */
  certifiedMinimum: number;
}

/**
 * Gives every undelivered order its certificate (see core/certificate.ts). The certified minimum
 * counts every order of the instance that no courier can serve, so it is the same for any
 * dispatcher and bounds the undelivered share from below.
 */
export function certifyUndelivered(instance: MdrpInstance, solution: ParsedSolution): UndeliveredReport {
  const travel = wholeMinuteTravel(instance.params.metersPerMinute);
  const delivered = new Set(solution.deliveries.map((d) => d.orderId));
  const report: UndeliveredReport = { infeasible: [], avoidable: [], certifiedMinimum: 0 };
  for (const o of instance.orders) {
    const r = instance.restaurants.get(o.restaurantId)!;
    const cert = certifyOrder(
      { id: o.id, restaurantId: o.restaurantId, restaurantLoc: r.loc, placedAt: o.placedAt, readyAt: o.readyAt },
      instance.couriers,
      travel,
      instance.params.pickupServiceMin,
    );
    if (cert.kind === 'infeasible') report.certifiedMinimum++;
    if (delivered.has(o.id)) continue;
    if (cert.kind === 'infeasible') report.infeasible.push(cert);
    else report.avoidable.push(cert);
  }
  return report;
}

function certOrders(instance: MdrpInstance): CertOrder[] {
  return instance.orders.map((o) => ({
    id: o.id,
    restaurantId: o.restaurantId,
    restaurantLoc: instance.restaurants.get(o.restaurantId)!.loc,
    placedAt: o.placedAt,
    readyAt: o.readyAt,
  }));
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
