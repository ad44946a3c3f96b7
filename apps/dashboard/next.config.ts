import type { NextConfig } from 'next';
import path from 'node:path';

// The UI is static client pages; live data arrives over socket.io and the gateway's REST API,
// both served by server/main.ts next to Next's handler.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  // `npm test` typechecks the whole repository (apps/dashboard included) already; a second
  // typecheck inside the page build cost about 20 s of every first `npm start`.
  typescript: { ignoreBuildErrors: true },
  // The build's filesystem cache only pays off on rebuilds; writing it cost ~15 s of the first start.
  experimental: { turbopackFileSystemCacheForBuild: false },
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  outputFileTracingRoot: path.resolve(import.meta.dirname, '../..'),
};

export default config;
