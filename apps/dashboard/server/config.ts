import { z } from 'zod';
import { loadConfig, type Config, groupIdSetting } from '@riderflow/service-kit';

// The dashboard's own settings on top of the shared ones (brokers, database).
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Extra names the dashboard answers to (comma-separated; `.example.com` = that domain and its
   * subdomains; `*` = any, only behind a proxy that checks Host). Loopback names, HOST and IP
   * addresses are always served; any other Host is refused (DNS rebinding).
   */
  ALLOWED_HOSTS: z.string().optional(),
  /** required for admin actions whenever HOST is not loopback */
  DASHBOARD_ADMIN_TOKEN: z.string().min(8).optional(),
  /** live frames per second pushed to each browser */
  FRAME_HZ: z.coerce.number().positive().max(30).default(4),
  DASHBOARD_GROUP: groupIdSetting('dashboard'),
  MODELS_DIR: z.string().default('./data/models'),
  /** `dev` runs Next in development mode (hot reload) instead of the production build */
  NEXT_MODE: z.enum(['production', 'dev']).default('production'),
  /** zones of the simulator's generated city (its --zones, 16 by default): drawn from the first frame; 0 = draw zones as their events cover them */
  CITY_ZONES: z.coerce.number().int().min(0).max(2_500).default(16),
  /** the fleet's size and the simulation's speed, when the platform knows them (npm start passes them) */
  SIM_RIDERS: z.coerce.number().int().positive().optional(),
  SIM_SPEED: z.coerce.number().positive().optional(),
  /** which brokers the platform runs embedded ("log,queues"), for the header; unset = external or unknown */
  EMBEDDED_ENGINES: z.string().default(''),
  /**
   * the log's Prometheus endpoint (streamlog's --http-port, e.g. http://127.0.0.1:9093/metrics):
   * where the topic view reads the log cleaner's dirty ratio, which no Kafka API reports; unset = not shown
   */
  LOG_METRICS_URL: z.string().url().optional(),
});

export type DashboardConfig = z.infer<typeof schema> & { shared: Config; loopbackOnly: boolean };

export function loadDashboardConfig(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`invalid dashboard configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const loopbackOnly = ['127.0.0.1', 'localhost', '::1'].includes(parsed.data.HOST);
  if (!loopbackOnly && !parsed.data.DASHBOARD_ADMIN_TOKEN) {
    throw new Error(`DASHBOARD_ADMIN_TOKEN is required when HOST=${parsed.data.HOST} (not loopback): admin actions must be protected`);
  }
  return { ...parsed.data, shared: loadConfig(env), loopbackOnly };
}
