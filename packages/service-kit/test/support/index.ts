// Test helpers of the kit, for any package's tests (`@riderflow/service-kit/testing`); never imported by src.
export * from './amqp-test-brokers.js';
export * from './host-header.js';
