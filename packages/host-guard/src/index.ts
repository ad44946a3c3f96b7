// Host header allow-list for every Riderflow HTTP port (the brokers' /metrics and management API,
// the dashboard): no domain knowledge, only names.
export { LOOPBACK_NAMES, hostAllowList, type HostAllowList } from './host-allow-list.js';
export { hostAllowed, hostNameOf, hostProblem, type RequestWithHost } from './host-check.js';
export { crossSiteProblem, isSafeMethod, type RequestWithOrigin } from './origin-check.js';
