/**
 * The layering rules of Riderflow, checked in `npm test` (npm run lint:deps).
 * Each rule says what it forbids and why; the layout is explained in the root README.
 */
const BROKERS = '(streamlog|taskqueue)';

module.exports = {
  forbidden: [
    {
      name: 'brokers-know-no-domain',
      comment:
        'The brokers (streamlog, taskqueue) are general-purpose Kafka and AMQP servers: they import no Riderflow package except the host guard, so they can be used, tested and replaced on their own.',
      severity: 'error',
      from: { path: `^services/${BROKERS}/` },
      to: { path: '^(packages|services|apps)/', pathNot: [`^services/$1/`, '^packages/host-guard/'] },
    },
    {
      name: 'contracts-are-pure',
      comment:
        'contracts is what every service and the browser agree on: schemas, topics, topology as data. It imports no other workspace package, no Node built-in and no library but zod, so a browser can import it.',
      severity: 'error',
      from: { path: '^packages/contracts/src/' },
      to: {
        pathNot: ['^packages/contracts/', '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'contracts-no-node-builtins',
      comment: 'contracts must load in a browser: no node:* built-ins.',
      severity: 'error',
      from: { path: '^packages/contracts/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'libraries-run-no-service',
      comment:
        'packages/* are libraries with no process of their own; services and apps build on them, never the other way round.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^(services|apps)/' },
    },
    {
      name: 'services-talk-through-the-log-and-queues',
      comment:
        'A service never imports another service: they talk only through topics and queues, so each can be restarted, replaced or run elsewhere.',
      severity: 'error',
      from: { path: '^services/([^/]+)/src/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'dashboard-imports-no-service',
      comment:
        'The dashboard reads the same log and queues as everyone else; its code imports libraries (packages/*) only. Its tests may start services through their public entries.',
      severity: 'error',
      from: { path: '^apps/dashboard/', pathNot: '^apps/dashboard/(test|bench)/' },
      to: { path: '^services/' },
    },
    {
      name: 'lab-composes-public-cores',
      comment:
        'The policy lab re-runs recorded windows with the same cores as the live platform: it may use the simulator, dispatch and rostering, and nothing else of the services.',
      severity: 'error',
      from: { path: '^apps/lab/src/' },
      to: { path: '^services/', pathNot: '^services/(simulator|dispatch|rostering)/' },
    },
    {
      name: 'no-reaching-into-another-package',
      comment:
        'Across package roots, import the package by name (@riderflow/x or a named entry of its exports), never by a relative path into its files.',
      severity: 'error',
      from: { path: '^(packages|services|apps)/([^/]+)/' },
      to: { dependencyTypes: ['local'], path: '^(packages|services|apps)/', pathNot: '^$1/$2/' },
    },
    {
      name: 'system-tests-stay-outside',
      comment: 'Nothing in a package imports the top-level system tests or benchmarks.',
      severity: 'error',
      from: { path: '^(packages|services|apps)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.next', '/generated/', '^data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
