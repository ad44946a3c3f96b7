export { createManagementServer } from './management-api.js';
export type { ManagementHandler, ManagementOptions, ManagedBroker } from './management-api.js';
