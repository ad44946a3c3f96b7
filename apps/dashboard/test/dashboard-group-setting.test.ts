import { describe, expect, it } from 'vitest';
import { loadDashboardConfig } from '../server/config.js';

// DASHBOARD_GROUP named like a job's group (e.g. 'dashboard-warm-…', the read-back's own prefix) would be
// deleted by the sweep of idle short-lived groups, with the dashboard's committed offsets: refused at start.
describe('DASHBOARD_GROUP', () => {
  it('the dashboard refuses such a DASHBOARD_GROUP at start', () => {
    expect(() => loadDashboardConfig({ DASHBOARD_GROUP: 'dashboard-warm-test', NODE_ENV: 'test' })).toThrow(
      /invalid dashboard configuration: DASHBOARD_GROUP: 'dashboard-warm-test' starts with a prefix kept for short-lived groups/,
    );
    expect(loadDashboardConfig({ NODE_ENV: 'test' }).DASHBOARD_GROUP).toBe('dashboard');
  });
});
