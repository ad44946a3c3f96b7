'use client';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { io } from 'socket.io-client';
import type { BrokerStatus, LabRunState, LiveFrame, LogPageSnapshot, QueuesSnapshot } from '@riderflow/contracts';

// One socket per browser tab, shared by every page through context. The server pushes aggregated
// frames; this keeps the latest of each kind and marks data stale when it stops arriving.
//
// Each kind has its own context, so a page re-renders only when what it reads changes. With one
// context for everything, every live frame (4 a second, to every page) re-rendered the queues
// page's graph and three charts, the log page's tables and charts and the lab page, though none
// of them shows the frame: most of what a browser on those pages spent was that.

interface Link { connected: boolean; status: BrokerStatus[] }
interface Frame {
  frame: LiveFrame | null;
  /** wall ms of the last frame received */
  lastFrameAt: number;
}

const LinkContext = createContext<Link>({ connected: false, status: [] });
const FrameContext = createContext<Frame>({ frame: null, lastFrameAt: 0 });
const LogContext = createContext<LogPageSnapshot | null>(null);
const QueuesContext = createContext<QueuesSnapshot | null>(null);
const LabContext = createContext<LabRunState | null>(null);
const FrameGetterContext = createContext<() => LiveFrame | null>(() => null);

/**
 * The brokers' status as pages show it: every frame carries a new copy, so an unchanged one keeps
 * the previous array (its consumers do not re-render). `lastOkAt` is not compared: no page shows
 * it, and it changes with every sample.
 */
function sameStatus(a: BrokerStatus[], b: BrokerStatus[]): boolean {
  const key = (s: BrokerStatus[]) => JSON.stringify(s.map(({ lastOkAt: _, ...rest }) => rest));
  return a.length === b.length && key(a) === key(b);
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const [link, setLink] = useState<Link>({ connected: false, status: [] });
  const [frame, setFrame] = useState<Frame>({ frame: null, lastFrameAt: 0 });
  const [log, setLog] = useState<LogPageSnapshot | null>(null);
  const [queues, setQueues] = useState<QueuesSnapshot | null>(null);
  const [lab, setLab] = useState<LabRunState | null>(null);
  const latestFrame = useRef<LiveFrame | null>(null);
  const getFrame = useCallback(() => latestFrame.current, []);
  useEffect(() => {
    const socket = io({ transports: ['websocket'] });
    const setStatus = (status: BrokerStatus[]) => setLink((l) => (sameStatus(l.status, status) ? l : { ...l, status }));
    socket.on('connect', () => setLink((l) => (l.connected ? l : { ...l, connected: true })));
    socket.on('disconnect', () => setLink((l) => (l.connected ? { ...l, connected: false } : l)));
    // Every push is acknowledged: the server sends the next one of a kind only after the ack, so
    // this tab never has a backlog (it simply gets fewer frames when it is slow).
    type Ack = (() => void) | undefined;
    socket.on('frame', (f: LiveFrame, ack: Ack) => {
      latestFrame.current = f;
      setFrame({ frame: f, lastFrameAt: Date.now() });
      setStatus(f.status);
      ack?.();
    });
    socket.on('log', (l: LogPageSnapshot | null, ack: Ack) => {
      setLog(l);
      ack?.();
    });
    socket.on('queues', (q: QueuesSnapshot | null, ack: Ack) => {
      setQueues(q);
      ack?.();
    });
    socket.on('lab', (l: LabRunState) => setLab(l));
    socket.on('status', (status: BrokerStatus[], ack: Ack) => {
      setStatus(status);
      ack?.();
    });
    return () => {
      socket.close();
    };
  }, []);
  return (
    <LinkContext.Provider value={link}>
      <FrameGetterContext.Provider value={getFrame}>
        <FrameContext.Provider value={frame}>
          <LogContext.Provider value={log}>
            <QueuesContext.Provider value={queues}>
              <LabContext.Provider value={lab}>{children}</LabContext.Provider>
            </QueuesContext.Provider>
          </LogContext.Provider>
        </FrameContext.Provider>
      </FrameGetterContext.Provider>
    </LinkContext.Provider>
  );
}

/** whether the socket is up, and the brokers' status (re-renders when either changes) */
export function useLink(): Link {
  return useContext(LinkContext);
}

/** the latest live frame (re-renders on every frame: only for what shows it) */
export function useFrame(): Frame {
  return useContext(FrameContext);
}

/** reads the latest frame when called (an event handler's "now"), without re-rendering on frames */
export function useFrameGetter(): () => LiveFrame | null {
  return useContext(FrameGetterContext);
}

export function useLogSnapshot(): LogPageSnapshot | null {
  return useContext(LogContext);
}

export function useQueuesSnapshot(): QueuesSnapshot | null {
  return useContext(QueuesContext);
}

export function useLabPush(): LabRunState | null {
  return useContext(LabContext);
}

/** true or false once the gateway has reported on the broker; null before (or while it cannot be asked) */
export function useBrokerLive(name: 'log' | 'queues'): boolean | null {
  const { status, connected } = useLink();
  const s = status.find((x) => x.name === name);
  if (!connected) return s ? false : null;
  return s ? s.live : null;
}
