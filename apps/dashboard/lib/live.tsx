'use client';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io } from 'socket.io-client';
import type { BrokerStatus, LabRunState, LiveFrame, LogPageSnapshot, QueuesSnapshot } from '@riderflow/contracts';

// One socket per browser tab, shared by every page through context. The server pushes aggregated
// frames; this keeps the latest of each kind and marks data stale when it stops arriving.

interface Live {
  connected: boolean;
  frame: LiveFrame | null;
  log: LogPageSnapshot | null;
  queues: QueuesSnapshot | null;
  status: BrokerStatus[];
  /** wall ms of the last frame received */
  lastFrameAt: number;
  /** the policy lab's run, pushed on every change (null until one is seen) */
  lab: LabRunState | null;
}

const LiveContext = createContext<Live>({ connected: false, frame: null, log: null, queues: null, status: [], lastFrameAt: 0, lab: null });

export function LiveProvider({ children }: { children: ReactNode }) {
  const [live, setLive] = useState<Live>({ connected: false, frame: null, log: null, queues: null, status: [], lastFrameAt: 0, lab: null });
  useEffect(() => {
    const socket = io({ transports: ['websocket'] });
    socket.on('connect', () => setLive((l) => ({ ...l, connected: true })));
    socket.on('disconnect', () => setLive((l) => ({ ...l, connected: false })));
    // Every push is acknowledged: the server sends the next one of a kind only after the ack, so
    // this tab never has a backlog (it simply gets fewer frames when it is slow).
    type Ack = (() => void) | undefined;
    socket.on('frame', (frame: LiveFrame, ack: Ack) => {
      setLive((l) => ({ ...l, frame, status: frame.status, lastFrameAt: Date.now() }));
      ack?.();
    });
    socket.on('log', (log: LogPageSnapshot | null, ack: Ack) => {
      setLive((l) => ({ ...l, log }));
      ack?.();
    });
    socket.on('queues', (queues: QueuesSnapshot | null, ack: Ack) => {
      setLive((l) => ({ ...l, queues }));
      ack?.();
    });
    socket.on('lab', (lab: LabRunState) => setLive((l) => ({ ...l, lab })));
    socket.on('status', (status: BrokerStatus[], ack: Ack) => {
      setLive((l) => ({ ...l, status }));
      ack?.();
    });
    return () => {
      socket.close();
    };
  }, []);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

/** true or false once the gateway has reported on the broker; null before (or while it cannot be asked) */
export function useBrokerLive(name: 'log' | 'queues'): boolean | null {
  const { status, connected } = useLive();
  const s = status.find((x) => x.name === name);
  if (!connected) return s ? false : null;
  return s ? s.live : null;
}
