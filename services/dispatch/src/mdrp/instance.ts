import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Point, Restaurant } from '../core/types.js';

/** One MDRP instance, as read from its folder. */
export interface MdrpInstance {
  name: string;
  restaurants: Map<string, Restaurant>;
  orders: MdrpOrder[];
  couriers: MdrpCourier[];
  params: MdrpParams;
}

export interface MdrpOrder {
  id: string;
  drop: Point;
  placedAt: number;
  restaurantId: string;
  readyAt: number;
}

export interface MdrpCourier {
  id: string;
  start: Point;
  onTime: number;
  offTime: number;
}

export interface MdrpParams {
  metersPerMinute: number;
  pickupServiceMin: number;
  dropoffServiceMin: number;
  targetClickToDoorMin: number;
  maxClickToDoorMin: number;
  payPerOrder: number;
  payPerHour: number;
}

/** A problem in an input file, located by file name and 1-based line number. */
export class InstanceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(line > 0 ? `${file} line ${line}: ${problem}` : `${file}: ${problem}`);
    this.name = 'InstanceError';
  }
}

export const INSTANCE_FILES = {
  restaurants: 'restaurants.txt',
  orders: 'orders.txt',
  couriers: 'couriers.txt',
  params: 'instance_parameters.txt',
} as const;

const HEADERS = {
  restaurants: ['restaurant', 'x', 'y'],
  orders: ['order', 'x', 'y', 'placement_time', 'restaurant', 'ready_time'],
  couriers: ['courier', 'x', 'y', 'on_time', 'off_time'],
  params: [
    'meters_per_minute',
    'pickup service minutes',
    'dropoff service minutes',
    'target click-to-door',
    'maximum click-to-door',
    'pay per order',
    'guaranteed pay per hour',
  ],
} as const;

export type InstanceTexts = Record<keyof typeof INSTANCE_FILES, string>;

/** Reads an instance folder; any problem becomes an InstanceError naming the file and line. */
export function loadInstance(dir: string): MdrpInstance {
  const texts = {} as InstanceTexts;
  for (const [key, file] of Object.entries(INSTANCE_FILES) as [keyof InstanceTexts, string][]) {
    const full = path.join(dir, file);
    try {
      texts[key] = readFileSync(full, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InstanceError(full, 0, code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(err)})`);
    }
  }
  return parseInstance(path.basename(path.resolve(dir)), texts, (key) => path.join(dir, INSTANCE_FILES[key]));
}

/** Parses the four tab-separated files of an instance (pure). */
export function parseInstance(
  name: string,
  texts: InstanceTexts,
  fileName: (key: keyof InstanceTexts) => string = (key) => INSTANCE_FILES[key],
): MdrpInstance {
  const restaurants = new Map<string, Restaurant>();
  for (const row of rows(texts.restaurants, 'restaurants', fileName('restaurants'))) {
    const id = row.id(0);
    if (restaurants.has(id)) row.fail(`duplicate restaurant '${id}'`);
    restaurants.set(id, { id, loc: { x: row.coord(1), y: row.coord(2) } });
  }

  const paramRows = rows(texts.params, 'params', fileName('params'));
  if (paramRows.length !== 1) throw new InstanceError(fileName('params'), paramRows.length === 0 ? 2 : 3, 'expected exactly one line of values');
  const p = paramRows[0];
  const params: MdrpParams = {
    metersPerMinute: p.positive(0),
    pickupServiceMin: p.time(1),
    dropoffServiceMin: p.time(2),
    targetClickToDoorMin: p.time(3),
    maxClickToDoorMin: p.time(4),
    payPerOrder: p.time(5),
    payPerHour: p.time(6),
  };

  const orders: MdrpOrder[] = [];
  const orderIds = new Set<string>();
  for (const row of rows(texts.orders, 'orders', fileName('orders'))) {
    const id = row.id(0);
    if (orderIds.has(id)) row.fail(`duplicate order '${id}'`);
    orderIds.add(id);
    const restaurantId = row.id(4);
    if (!restaurants.has(restaurantId)) row.fail(`unknown restaurant '${restaurantId}'`);
    const placedAt = row.time(3);
    const readyAt = row.time(5);
    orders.push({ id, drop: { x: row.coord(1), y: row.coord(2) }, placedAt, restaurantId, readyAt });
  }

  const couriers: MdrpCourier[] = [];
  const courierIds = new Set<string>();
  for (const row of rows(texts.couriers, 'couriers', fileName('couriers'))) {
    const id = row.id(0);
    if (courierIds.has(id)) row.fail(`duplicate courier '${id}'`);
    courierIds.add(id);
    const onTime = row.time(3);
    const offTime = row.time(4);
    if (offTime < onTime) row.fail(`off_time ${offTime} is before on_time ${onTime}`);
    couriers.push({ id, start: { x: row.coord(1), y: row.coord(2) }, onTime, offTime });
  }
  // '0' names a courier's start location in solution files, so no place may be called that.
  for (const id of [...restaurants.keys(), ...orderIds]) {
    if (id === '0') throw new InstanceError(fileName(restaurants.has(id) ? 'restaurants' : 'orders'), 0, "id '0' is reserved for a courier's start");
  }
  return { name, restaurants, orders, couriers, params };
}

interface Row {
  line: number;
  fail(problem: string): never;
  id(i: number): string;
  coord(i: number): number;
  time(i: number): number;
  positive(i: number): number;
}

function rows(text: string, kind: keyof typeof HEADERS, file: string): Row[] {
  const header = HEADERS[kind];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length === 0 || lines[0].trim() === '') throw new InstanceError(file, 1, `missing header (expected: ${header.join(' | ')})`);
  const got = lines[0].split('\t').map((h) => h.trim());
  if (got.length !== header.length || got.some((h, i) => h !== header[i])) {
    throw new InstanceError(file, 1, `bad header '${lines[0]}' (expected tab-separated: ${header.join(' | ')})`);
  }
  const out: Row[] = [];
  for (let k = 1; k < lines.length; k++) {
    if (lines[k].trim() === '') continue;
    const line = k + 1;
    const cells = lines[k].split('\t').map((c) => c.trim());
    const fail = (problem: string): never => {
      throw new InstanceError(file, line, problem);
    };
    if (cells.length !== header.length) fail(`expected ${header.length} tab-separated values, found ${cells.length}`);
    const num = (i: number) => {
      const s = cells[i];
      const v = Number(s);
      if (s === '' || !Number.isFinite(v)) fail(`${header[i]} '${s}' is not a number`);
      return v;
    };
    out.push({
      line,
      fail,
      id: (i) => (cells[i] === '' ? fail(`${header[i]} is empty`) : cells[i]),
      coord: num,
      time: (i) => {
        const v = num(i);
        if (v < 0) fail(`${header[i]} ${cells[i]} is negative`);
        return v;
      },
      positive: (i) => {
        const v = num(i);
        if (v <= 0) fail(`${header[i]} ${cells[i]} must be positive`);
        return v;
      },
    });
  }
  return out;
}
