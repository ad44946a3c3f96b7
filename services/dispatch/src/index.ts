// @riderflow/dispatch: the live dispatch service (start function and its settings). The pure
// decision core, used by the policy lab, is the separate entry @riderflow/dispatch/core.
export { startDispatchService, type DispatchServiceHandle, type DispatchServiceOptions } from './service.js';
export { loadServiceSettings, ServiceEnvSchema, type ServiceSettings } from './config.js';
