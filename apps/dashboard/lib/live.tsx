'use client';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io } from 'socket.io-client';
import type { BrokerStatus, LiveFrame, LogSnapshot, QueuesSnapshot } from './types';

// One socket per browser tab, shared by every page through context. The server pushes aggregated
// frames; this keeps the latest of each kind and marks data stale when it stops arriving.

interface Live {
  connected: boolean;
  frame: LiveFrame | null;
  log: LogSnapshot | null;
  queues: QueuesSnapshot | null;
  status: BrokerStatus[];
  /** wall ms of the last frame received */
  lastFrameAt: number;
}

const LiveContext = createContext<Live>({ connected: false, frame: null, log: null, queues: null, status: [], lastFrameAt: 0 });

export function LiveProvider({ children }: { children: ReactNode }) {
  const [live, setLive] = useState<Live>({ connected: false, frame: null, log: null, queues: null, status: [], lastFrameAt: 0 });
  useEffect(() => {
    const socket = io({ transports: ['websocket'] });
    socket.on('connect', () => setLive((l) => ({ ...l, connected: true })));
    socket.on('disconnect', () => setLive((l) => ({ ...l, connected: false })));
    socket.on('frame', (frame: LiveFrame) => setLive((l) => ({ ...l, frame, status: frame.status, lastFrameAt: Date.now() })));
    socket.on('log', (log: LogSnapshot | null) => setLive((l) => ({ ...l, log })));
    socket.on('queues', (queues: QueuesSnapshot | null) => setLive((l) => ({ ...l, queues })));
    socket.on('status', (status: BrokerStatus[]) => setLive((l) => ({ ...l, status })));
    return () => {
      socket.close();
    };
  }, []);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

export function useBrokerLive(name: 'log' | 'queues'): boolean {
  const { status, connected } = useLive();
  return connected && (status.find((s) => s.name === name)?.live ?? false);
}
