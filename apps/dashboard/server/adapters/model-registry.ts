import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// Model versions as the rostering trainer stores them: one folder per version under MODELS_DIR,
// each with a JSON metadata file holding its metrics and the baselines'.

export interface ModelVersionInfo { version: string; createdAt: string | null; backend: string | null; metrics: Record<string, unknown> | null; baselines: Record<string, unknown> | null; baselineNotes: Record<string, string> | null }

export async function listModelVersions(modelsDir: string): Promise<ModelVersionInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(modelsDir);
  } catch {
    return [];
  }
  const out: ModelVersionInfo[] = [];
  for (const version of entries) {
    for (const name of ['metadata.json', 'meta.json', 'model-meta.json']) {
      try {
        const meta = JSON.parse(await readFile(path.join(modelsDir, version, name), 'utf8')) as Record<string, unknown>;
        out.push({
          version: String(meta.version ?? version),
          createdAt: typeof meta.createdAt === 'string' ? meta.createdAt : null,
          backend: typeof meta.backend === 'string' ? meta.backend : null,
          metrics: (meta.metrics as Record<string, unknown> | undefined) ?? null,
          baselines: (meta.baselines as Record<string, unknown> | undefined) ?? null,
          // when a baseline's score is not what its name says (rostering's baselineNotes: "last week" with under a week of history)
          baselineNotes: (meta.baselineNotes as Record<string, string> | undefined) ?? null,
        });
        break;
      } catch {
        // try the next name; a folder without metadata is not a model version
      }
    }
  }
  return out.sort((a, b) => (b.createdAt ?? b.version).localeCompare(a.createdAt ?? a.version));
}
