import type { NextConfig } from 'next';
import path from 'node:path';

// The UI is static client pages; live data arrives over socket.io and the gateway's REST API,
// both served by server/main.ts next to Next's handler.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  outputFileTracingRoot: path.resolve(import.meta.dirname, '../..'),
};

export default config;
