'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { LiveProvider, useFrame, useLink } from '../lib/live';
import { simDateTime, speedLabel } from '../lib/format';
import { PAGES } from '../lib/pages';

function StatusBar() {
  const { connected, status } = useLink();
  const { frame } = useFrame();
  const [token, setToken] = useState('');
  useEffect(() => setToken(window.localStorage.getItem('riderflow-admin-token') ?? ''), []);
  return (
    <div className="statusbar">
      <span data-testid="status-gateway" className={connected ? 'ok' : 'down'}>gateway {connected ? 'connected' : 'disconnected'}</span>
      {(['log', 'queues'] as const).map((name) => {
        const s = status.find((x) => x.name === name);
        const label = name === 'log' ? 'event log' : 'task queues';
        if (!s) return <span key={name} data-testid={`status-${name}`} className="muted">{label} checking…</span>;
        const live = connected && s.live;
        return (
          <span key={name} data-testid={`status-${name}`} className={live ? 'ok' : 'down'} title={s.error ?? ''}>
            {label} {live ? 'live' : 'DOWN — not live'}
            {s.note && <span className="muted" data-testid={`status-${name}-note`} title={s.note}> · {s.note.split(':')[0]}</span>}
          </span>
        );
      })}
      {frame?.runtime && (
        <span className="runtime muted" data-testid="runtime" title={`Where this dashboard reads the event log and the task queues: ${frame.runtime.log} · ${frame.runtime.queues}`}>
          {/* Two parts that wrap onto two lines where one is too narrow (1280, 1440), rather than cutting the queues' address off */}
          <span className="runtime-part">{frame.runtime.log} ·</span> <span className="runtime-part">{frame.runtime.queues}</span>
        </span>
      )}
      <span className="clock" title="Simulated time: every event carries it; it runs faster than the wall clock">
        <span className="clock-label">simulated</span> <strong data-testid="sim-clock">{simDateTime(frame?.simTime ?? 0)}</strong>
        <span className="speed" data-testid="sim-speed" title="Simulated seconds per wall-clock second">{speedLabel(frame?.speed ?? null)}</span>
      </span>
      <input
        aria-label="admin token"
        placeholder="admin token"
        title="Needed only when the dashboard listens beyond loopback (DASHBOARD_ADMIN_TOKEN)"
        value={token}
        onChange={(e) => {
          setToken(e.target.value);
          window.localStorage.setItem('riderflow-admin-token', e.target.value);
        }}
      />
    </div>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const path = usePathname();
  return (
    <LiveProvider>
      <header>
        <strong className="brand">Riderflow</strong>
        <nav>
          {PAGES.map((p) => (
            <Link key={p.href} href={p.href} className={path === p.href ? 'active' : ''}>
              {p.label}
            </Link>
          ))}
        </nav>
      </header>
      <StatusBar />
      <main>{children}</main>
    </LiveProvider>
  );
}

/** Shown over a page whose source is down, so old numbers are never mistaken for live ones. */
export function NotLive({ what, live }: { what: string; live: boolean | null }) {
  if (live !== false) return null;
  return (
    <div className="notlive" role="alert" data-testid="not-live">
      {what} is unreachable: the numbers below are the last ones received, not live.
    </div>
  );
}
