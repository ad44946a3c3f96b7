import fs from 'node:fs';
import path from 'node:path';

/** One MDRP instance as published (Reyes et al. 2018): metres and whole minutes from the start of the day. */
export interface MdrpInstance {
  name: string;
  restaurants: { id: string; x: number; y: number }[];
  orders: { id: string; x: number; y: number; placementTime: number; restaurant: string; readyTime: number }[];
  couriers: { id: string; x: number; y: number; onTime: number; offTime: number }[];
  params: {
    metersPerMinute: number;
    pickupServiceMinutes: number;
    dropoffServiceMinutes: number;
    targetClickToDoor: number;
    maxClickToDoor: number;
    payPerOrder: number;
    guaranteedPayPerHour: number;
  };
}

/** A malformed instance folder; the message names the file, the line and the problem. */
export class MdrpFormatError extends Error {
  override name = 'MdrpFormatError';
}

type Row = { line: number; cells: string[] };

function readTable(dir: string, file: string, columns: string[]): Row[] {
  const p = path.join(dir, file);
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MdrpFormatError(code === 'ENOENT' ? `${file} is missing in ${dir}` : `${file}: cannot read (${code ?? (err as Error).message})`);
  }
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  if (header.length !== columns.length || header[0] !== columns[0]) {
    throw new MdrpFormatError(`${file}: expected a tab-separated header "${columns.join('\\t')}", found "${lines[0] ?? ''}"`);
  }
  const rows: Row[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split('\t').map((c) => c.trim());
    if (cells.length !== columns.length) throw new MdrpFormatError(`${file} line ${i + 1}: expected ${columns.length} tab-separated columns, found ${cells.length}`);
    rows.push({ line: i + 1, cells });
  }
  return rows;
}

function num(file: string, row: Row, col: number, name: string, opts: { integer?: boolean; min?: number } = {}): number {
  const raw = row.cells[col];
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v)) throw new MdrpFormatError(`${file} line ${row.line}: ${name} "${raw}" is not a number`);
  if (opts.integer && !Number.isInteger(v)) throw new MdrpFormatError(`${file} line ${row.line}: ${name} "${raw}" is not a whole number`);
  if (opts.min !== undefined && v < opts.min) throw new MdrpFormatError(`${file} line ${row.line}: ${name} ${raw} is below ${opts.min}`);
  return v;
}

function id(file: string, row: Row, seen: Set<string>, what: string): string {
  const v = row.cells[0];
  if (!/^[A-Za-z0-9_.-]+$/.test(v)) throw new MdrpFormatError(`${file} line ${row.line}: ${what} id "${v}" is not a plain identifier`);
  if (seen.has(v)) throw new MdrpFormatError(`${file} line ${row.line}: duplicate ${what} id ${v}`);
  seen.add(v);
  return v;
}

/** Reads and fully validates an instance folder; throws MdrpFormatError before anything is used. */
export function readMdrpInstance(dir: string): MdrpInstance {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new MdrpFormatError(`instance folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new MdrpFormatError(`instance ${dir} is not a folder`);

  const pRows = readTable(dir, 'instance_parameters.txt', ['meters_per_minute', 'pickup service minutes', 'dropoff service minutes', 'target click-to-door', 'maximum click-to-door', 'pay per order', 'guaranteed pay per hour']);
  if (pRows.length !== 1) throw new MdrpFormatError(`instance_parameters.txt: expected exactly one line of values, found ${pRows.length}`);
  const pr = pRows[0];
  const F = 'instance_parameters.txt';
  const params = {
    metersPerMinute: num(F, pr, 0, 'meters_per_minute', { min: 1 }),
    pickupServiceMinutes: num(F, pr, 1, 'pickup service minutes', { min: 0 }),
    dropoffServiceMinutes: num(F, pr, 2, 'dropoff service minutes', { min: 0 }),
    targetClickToDoor: num(F, pr, 3, 'target click-to-door', { min: 0 }),
    maxClickToDoor: num(F, pr, 4, 'maximum click-to-door', { min: 0 }),
    payPerOrder: num(F, pr, 5, 'pay per order', { min: 0 }),
    guaranteedPayPerHour: num(F, pr, 6, 'guaranteed pay per hour', { min: 0 }),
  };

  const R = 'restaurants.txt';
  const rSeen = new Set<string>();
  const restaurants = readTable(dir, R, ['restaurant', 'x', 'y']).map((row) => ({ id: id(R, row, rSeen, 'restaurant'), x: num(R, row, 1, 'x'), y: num(R, row, 2, 'y') }));
  if (restaurants.length === 0) throw new MdrpFormatError(`${R}: no restaurants`);

  const O = 'orders.txt';
  const oSeen = new Set<string>();
  const orders = readTable(dir, O, ['order', 'x', 'y', 'placement_time', 'restaurant', 'ready_time']).map((row) => {
    const o = {
      id: id(O, row, oSeen, 'order'),
      x: num(O, row, 1, 'x'),
      y: num(O, row, 2, 'y'),
      placementTime: num(O, row, 3, 'placement_time', { integer: true, min: 0 }),
      restaurant: row.cells[4],
      readyTime: num(O, row, 5, 'ready_time', { integer: true, min: 0 }),
    };
    if (!rSeen.has(o.restaurant)) throw new MdrpFormatError(`${O} line ${row.line}: order ${o.id} names unknown restaurant ${o.restaurant}`);
    if (o.readyTime < o.placementTime) throw new MdrpFormatError(`${O} line ${row.line}: order ${o.id} is ready (${o.readyTime}) before it is placed (${o.placementTime})`);
    return o;
  });
  if (orders.length === 0) throw new MdrpFormatError(`${O}: no orders`);

  const C = 'couriers.txt';
  const cSeen = new Set<string>();
  const couriers = readTable(dir, C, ['courier', 'x', 'y', 'on_time', 'off_time']).map((row) => {
    const c = { id: id(C, row, cSeen, 'courier'), x: num(C, row, 1, 'x'), y: num(C, row, 2, 'y'), onTime: num(C, row, 3, 'on_time', { integer: true, min: 0 }), offTime: num(C, row, 4, 'off_time', { integer: true, min: 0 }) };
    if (c.offTime <= c.onTime) throw new MdrpFormatError(`${C} line ${row.line}: courier ${c.id} goes off duty (${c.offTime}) before going on (${c.onTime})`);
    return c;
  });
  if (couriers.length === 0) throw new MdrpFormatError(`${C}: no couriers`);

  return { name: path.basename(path.resolve(dir)), restaurants, orders, couriers, params };
}
