import type { Logger } from '@riderflow/service-kit';
import type { DemandHistory } from '../core/demand-history.js';
import { BaselineForecastSource, loadForecastSource, type ForecastSource } from '../model/forecast-source.js';
import { ModelLoadError } from '../model/model-store.js';

/**
 * The forecast source in use: loaded from the model store (a missing or broken model falls back
 * to the best baseline), swapped after a retrain, or pinned by an override (the bench's oracle).
 */
export class ForecastHolder {
  private current!: ForecastSource;

  private constructor(
    private readonly modelsDir: string,
    private readonly log: Logger,
    private readonly onKind: (kind: ForecastSource['kind']) => void,
    private readonly override: ForecastSource | undefined,
    private readonly levelCorrection: boolean,
  ) {}

  static async open(options: { modelsDir: string; version?: string | null; log: Logger; onKind: (kind: ForecastSource['kind']) => void; override?: ForecastSource; levelCorrection?: boolean }): Promise<ForecastHolder> {
    const holder = new ForecastHolder(options.modelsDir, options.log, options.onKind, options.override, options.levelCorrection ?? true);
    await holder.use(options.version);
    return holder;
  }

  get source(): ForecastSource {
    return this.current;
  }

  /**
   * Loads `version` (undefined: the latest in the models folder; null: no model — the registry has
   * no active one — so the best baseline); with an override, keeps the override.
   */
  async use(version?: string | null): Promise<void> {
    if (this.override) {
      this.current = this.override;
      this.onKind('baseline');
      return;
    }
    const loaded = version === null
      ? { source: new BaselineForecastSource('auto'), error: new ModelLoadError(this.modelsDir, 'the model registry (topic rostering.models) has no active model') }
      : await loadForecastSource(this.modelsDir, version, { levelCorrection: this.levelCorrection });
    if (loaded.error) this.log.warn({ reason: loaded.error.message, fallback: loaded.source.version }, 'forecasting model unavailable; using the best baseline instead');
    else this.log.info({ version: loaded.source.version }, 'forecasting model loaded');
    const old = this.current as ForecastSource | undefined;
    this.current = loaded.source;
    this.onKind(this.current.kind);
    old?.dispose();
  }

  /** Forecasts for a round; a source that throws is replaced by the best baseline for good. */
  forecast(history: DemandHistory, origin: number): Map<string, number[]> {
    try {
      return this.current.forecast(history, origin);
    } catch (err) {
      this.log.error({ err: (err as Error).message, source: this.current.version }, 'forecast failed; switching to the best baseline');
      this.current.dispose();
      this.current = new BaselineForecastSource('auto');
      this.onKind('baseline');
      return this.current.forecast(history, origin);
    }
  }

  dispose(): void {
    this.current.dispose();
  }
}
