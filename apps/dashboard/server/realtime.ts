import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { LabRunState } from '@riderflow/contracts';
import type { Gateway } from './gateway.js';
import { hostProblem, type HostAllowList } from '@riderflow/host-guard';
import { crossSiteProblem } from './http/origin-guard.js';

// Pushes aggregated frames, never raw events. Frames are built once per tick for everyone. Each
// browser has at most one message of each kind in flight: the next is offered only after the
// browser acknowledged the previous one, so a slow browser misses frames instead of queueing them
// on the server, and a burst of one kind (frames) can never starve another (queue figures).

export interface RealtimeStats { framesSent: number; clients: number }

/** The policy lab's run, whose every change is pushed as `lab` (see LabRunner). */
export interface LabRunFeed {
  current(): LabRunState | null;
  subscribe(fn: (state: LabRunState) => void): () => void;
}

/** what the pushes read of the gateway (a test gives its own) */
export type RealtimeSource = Pick<Gateway, 'live' | 'runtime' | 'status' | 'logSnapshot' | 'queues'>;

export interface RealtimeOptions {
  /** how often the log, queue and status snapshots are offered (ms); the latest also goes to every browser as it connects */
  snapshotMs?: number;
}

export function attachRealtime(http: HttpServer, gateway: RealtimeSource, frameHz: number, hosts: HostAllowList, lab?: LabRunFeed, options: RealtimeOptions = {}): { io: Server; stats: RealtimeStats; stop: () => void } {
  // WebSockets are not subject to CORS: a page on any site may open one to 127.0.0.1. The handshake
  // (polling or WebSocket) is therefore refused unless it names a served Host and, when a browser
  // sends it, comes from the dashboard's own origin.
  const io = new Server(http, {
    serveClient: false,
    cors: { origin: false },
    allowRequest: (req, callback) => {
      const problem = hostProblem(req, hosts) ?? crossSiteProblem(req);
      callback(problem, problem === null);
    },
  });
  const stats: RealtimeStats = { framesSent: 0, clients: 0 };
  const inFlight = new WeakMap<Socket, Set<string>>();
  /** send to one browser unless its previous message of this kind is unacknowledged; true if sent */
  const offerTo = (socket: Socket, event: string, payload: unknown): boolean => {
    const busy = inFlight.get(socket);
    if (!busy || busy.has(event)) return false;
    busy.add(event);
    socket.timeout(10_000).emit(event, payload, () => busy.delete(event));
    return true;
  };
  io.on('connection', (socket) => {
    inFlight.set(socket, new Set());
    stats.clients = io.engine.clientsCount;
    socket.on('disconnect', () => (stats.clients = io.engine.clientsCount));
    // A page opened on a running platform shows what the gateway already has at once, instead of
    // "waiting" until the next snapshot tick (the queues page said so for up to 5.8 s at load).
    // (status last: one socket keeps order, so a page that has it has whatever came before)
    if (gateway.queues) offerTo(socket, 'queues', gateway.queues);
    const log = gateway.logSnapshot();
    if (log) offerTo(socket, 'log', log);
    offerTo(socket, 'status', gateway.status());
    // A page opened during a run sees it at once.
    const run = lab?.current();
    if (run) socket.emit('lab', run);
  });
  // Every change of a lab run (a few a second at most: the CLI throttles its progress) goes to
  // every browser as it happens, not offered-and-acknowledged like frames: the last one (done,
  // failed) must never be skipped.
  const unsubscribeLab = lab?.subscribe((state) => io.emit('lab', state));
  /** send to every browser that has acknowledged its previous message of this kind; true if any got it */
  const offer = (event: string, payload: unknown): boolean => {
    let sent = false;
    for (const socket of io.of('/').sockets.values()) sent = offerTo(socket, event, payload) || sent;
    return sent;
  };
  const frameTimer = everyOnSchedule(1000 / frameHz, () => {
    if (io.engine.clientsCount === 0) return;
    const frame = { ...gateway.live.frame(), sentAt: Date.now(), status: gateway.status(), runtime: gateway.runtime };
    if (offer('frame', frame)) stats.framesSent++;
  });
  const slowTimer = setInterval(() => {
    if (io.engine.clientsCount === 0) return;
    offer('log', gateway.logSnapshot());
    offer('queues', gateway.queues);
    offer('status', gateway.status());
  }, options.snapshotMs ?? 1_000);
  return {
    io,
    stats,
    stop: () => {
      frameTimer.stop();
      clearInterval(slowTimer);
      unsubscribeLab?.();
      io.close();
    },
  };
}

/**
 * Calls `fn` every `periodMs` on a fixed schedule. setInterval re-arms from when each callback ran,
 * so every stall of the event loop (a large fetch to decode, GC, a busy machine) pushes all later
 * ticks back and the frame rate sags below FRAME_HZ. Here a late tick fires as soon as it can and the
 * next one keeps the original cadence; a tick whose time passed during a stall is skipped, not
 * bunched (the late one already carried the newest state).
 */
export function everyOnSchedule(periodMs: number, fn: () => void): { stop: () => void } {
  let next = Date.now() + periodMs;
  let timer: NodeJS.Timeout;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      fn();
    } catch {
      // a failed frame must not stop the ones after it
    }
    const now = Date.now();
    next += periodMs;
    if (next <= now) next += Math.ceil((now - next) / periodMs) * periodMs;
    timer = setTimeout(tick, next - now);
  };
  timer = setTimeout(tick, periodMs);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
