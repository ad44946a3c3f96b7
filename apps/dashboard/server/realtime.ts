import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Gateway } from './gateway.js';

// Pushes aggregated frames, never raw events. Frames are built once per tick for everyone and sent
// volatile: a browser that cannot keep up misses frames instead of queueing them on the server.

export interface RealtimeStats { framesSent: number; clients: number }

export function attachRealtime(http: HttpServer, gateway: Gateway, frameHz: number): { io: Server; stats: RealtimeStats; stop: () => void } {
  const io = new Server(http, { serveClient: false, cors: { origin: false } });
  const stats: RealtimeStats = { framesSent: 0, clients: 0 };
  io.on('connection', (socket) => {
    stats.clients = io.engine.clientsCount;
    socket.on('disconnect', () => (stats.clients = io.engine.clientsCount));
  });
  const frameTimer = setInterval(() => {
    if (io.engine.clientsCount === 0) return;
    const frame = { ...gateway.live.frame(), sentAt: Date.now(), status: gateway.status() };
    io.volatile.emit('frame', frame);
    stats.framesSent++;
  }, Math.round(1000 / frameHz));
  const slowTimer = setInterval(() => {
    if (io.engine.clientsCount === 0) return;
    io.volatile.emit('log', gateway.logSnapshot());
    io.volatile.emit('queues', gateway.queues);
    io.volatile.emit('status', gateway.status());
  }, 1_000);
  return {
    io,
    stats,
    stop: () => {
      clearInterval(frameTimer);
      clearInterval(slowTimer);
      io.close();
    },
  };
}
