// Preloaded into the Prisma CLI only (see prisma-cli.ts). With the PostgreSQL driver adapter,
// `prisma migrate deploy` finishes its work in about a second but then stays alive ~10 s on
// timers it never clears (the WebAssembly schema engine's and pg-pool's idle timers). Timers of
// 5 s or more are timeouts, not work, so they must not keep the process alive; pending database
// I/O still does.
'use strict';
const originalSetTimeout = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(fn, ms, ...args) {
  const timer = originalSetTimeout(fn, ms, ...args);
  if (typeof ms === 'number' && ms >= 5000 && timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
