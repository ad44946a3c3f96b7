/**
 * Writes family variants of MDRP instances to a temp dir (never into the repo), to check the
 * dispatcher beyond the instances at hand:
 *   t75   travel 25 % faster: metres per minute × 4/3 (the published t75 family)
 *   slow  travel slower: metres per minute × 3/4 (harder than any published family)
 *   p125  preparation 25 % longer: ready = placement + floor(1.25 × (ready − placement))
 * Usage: tsx services/dispatch/bench/variants.ts <root with instances> [outRoot]
 * Prints the output root; run `npm run mdrp -- --all <that root>` on it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [root, outArg] = process.argv.slice(2);
if (!root) {
  console.error('usage: variants.ts <instances root> [out root]');
  process.exit(2);
}
const out = outArg ?? mkdtempSync(path.join(os.tmpdir(), 'rf-mdrp-variants-'));
const files = ['restaurants.txt', 'orders.txt', 'couriers.txt', 'instance_parameters.txt'];

function speed(text: string, factor: number): string {
  const [header, values] = text.trim().split('\n');
  const cells = values.split('\t');
  cells[0] = String(Math.round(Number(cells[0]) * factor));
  return `${header}\n${cells.join('\t')}\n`;
}

function prep(text: string, factor: number): string {
  const [header, ...lines] = text.trim().split('\n');
  return [header, ...lines.map((l) => {
    const c = l.split('\t');
    const placed = Number(c[3]);
    c[5] = String(placed + Math.floor(factor * (Number(c[5]) - placed)));
    return c.join('\t');
  })].join('\n') + '\n';
}

for (const name of readdirSync(root).sort()) {
  const dir = path.join(root, name);
  if (!existsSync(path.join(dir, 'orders.txt'))) continue;
  const texts = Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  const variants: [string, Record<string, string>][] = [];
  if (name.includes('t100')) variants.push([name.replace('t100', 't75'), { 'instance_parameters.txt': speed(texts['instance_parameters.txt'], 4 / 3) }]);
  variants.push([`${name}-slow`, { 'instance_parameters.txt': speed(texts['instance_parameters.txt'], 3 / 4) }]);
  if (name.includes('p100')) variants.push([name.replace('p100', 'p125'), { 'orders.txt': prep(texts['orders.txt'], 1.25) }]);
  for (const [vname, changed] of variants) {
    const vdir = path.join(out, vname);
    mkdirSync(vdir, { recursive: true });
    for (const f of files) writeFileSync(path.join(vdir, f), changed[f] ?? texts[f]);
  }
}
console.log(out);
