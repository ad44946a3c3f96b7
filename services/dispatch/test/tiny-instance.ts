import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InstanceTexts } from '../src/mdrp/instance.js';
import { instanceTexts } from './fixtures/instance-texts.js';

/**
 * A small hand-made instance in the MDRP format (tab-separated, one header line). 100 m per
 * minute, so 100 m of distance is one minute. Two restaurants 20 minutes apart, a courier near
 * each; o1 and o2 leave r1 together in the same direction (a bundle pays with one courier there).
 */
export function tinyInstanceTexts(): InstanceTexts {
  return instanceTexts({
    restaurants: [
      ['r1', 0, 0],
      ['r2', 2000, 0],
    ],
    orders: [
      ['o1', 0, 1000, 10, 'r1', 20],
      ['o2', 100, 1000, 12, 'r1', 20],
      ['o3', 2000, 1000, 15, 'r2', 30],
      ['o4', 2000, -1000, 40, 'r2', 50],
      ['o5', 0, -1000, 60, 'r1', 65],
      ['o6', 300, -800, 62, 'r1', 70],
    ],
    couriers: [
      ['c1', 0, 300, 0, 200],
      ['c2', 2000, 300, 0, 200],
    ],
  });
}

export function writeInstance(dir: string, texts: InstanceTexts): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'restaurants.txt'), texts.restaurants);
  writeFileSync(path.join(dir, 'orders.txt'), texts.orders);
  writeFileSync(path.join(dir, 'couriers.txt'), texts.couriers);
  writeFileSync(path.join(dir, 'instance_parameters.txt'), texts.params);
}
