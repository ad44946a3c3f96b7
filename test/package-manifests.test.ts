import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What dependency-cruiser (npm run lint:deps) cannot see: the manifests themselves.
// Every workspace package is sealed (explicit named exports, no wildcard), declares the
// workspace packages it imports, and has a README that says what it owns.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

interface Manifest {
  name: string;
  exports?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function workspaceDirs(): string[] {
  const dirs: string[] = [];
  for (const pattern of rootManifest.workspaces) {
    if (pattern.endsWith('/*')) {
      const parent = path.join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent)) {
        const dir = path.join(parent, entry);
        if (existsSync(path.join(dir, 'package.json'))) dirs.push(dir);
      }
    } else if (existsSync(path.join(root, pattern, 'package.json'))) {
      dirs.push(path.join(root, pattern));
    }
  }
  return dirs;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.next' || entry === 'generated' || entry === 'data') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry)) out.push(full);
  }
  return out;
}

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](@riderflow\/[a-z0-9-]+)/g;

const packages = workspaceDirs().map((dir) => ({
  dir,
  rel: path.relative(root, dir),
  manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest,
}));

describe('workspace package manifests', () => {
  it('finds the workspace packages', () => {
    expect(packages.length).toBeGreaterThan(5);
  });

  for (const pkg of packages) {
    describe(pkg.rel, () => {
      it('has a README', () => {
        expect(existsSync(path.join(pkg.dir, 'README.md')), `${pkg.rel}/README.md`).toBe(true);
      });

      it('exports explicit named entries only, each an existing file', () => {
        const exports = pkg.manifest.exports;
        if (exports === undefined) return; // an app with no importers (e.g. the dashboard) exports nothing
        const entries = typeof exports === 'string' ? { '.': exports } : exports;
        for (const [key, target] of Object.entries(entries)) {
          expect(key.includes('*') || String(target).includes('*'), `${pkg.rel} exports ${key}: wildcard`).toBe(false);
          expect(existsSync(path.join(pkg.dir, String(target))), `${pkg.rel} exports ${key} → ${target}`).toBe(true);
        }
      });

      it('declares every workspace package it imports', () => {
        const declared = new Set([
          ...Object.keys(pkg.manifest.dependencies ?? {}),
          ...Object.keys(pkg.manifest.devDependencies ?? {}),
        ]);
        const missing = new Set<string>();
        for (const file of sourceFiles(pkg.dir)) {
          for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
            const name = m[1];
            if (name !== pkg.manifest.name && !declared.has(name)) missing.add(`${name} (${path.relative(root, file)})`);
          }
        }
        expect([...missing]).toEqual([]);
      });
    });
  }
});
