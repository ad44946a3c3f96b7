'use client';
import { useState } from 'react';
import { CityMap } from '../components/city-map';
import { KpiTiles } from '../components/kpi-tiles';
import { EventFeed } from '../components/event-feed';
import { NotLive } from '../components/shell';
import { useBrokerLive, useFrame } from '../lib/live';
import { latestPlanLine } from '../lib/plan-name';
import type { LiveFrame } from '@riderflow/contracts';

export default function LiveOperations() {
  const { frame } = useFrame();
  const live = useBrokerLive('log');
  return (
    <>
      <h1>Live operations</h1>
      <NotLive what="The event log" live={live} />
      {frame && <KpiTiles tiles={frame.kpis} windowMin={frame.windowMin} comparable={frame.since > 0 && frame.since <= frame.simTime - 2 * frame.windowMin * 60_000} />}
      <div className="grid cols-2 live-grid">
        <section className="panel" aria-labelledby="map-title">
          <h2 id="map-title">City: riders, stores, open orders, demand and rain</h2>
          <CityMap frame={frame} />
        </section>
        <FeedPanel frame={frame} />
      </div>
    </>
  );
}

function FeedPanel({ frame }: { frame: LiveFrame | null }) {
  // Paused, the feed keeps the lines it showed, so they can be read while the city runs on.
  const [paused, setPaused] = useState<LiveFrame['feed'] | null>(null);
  const items = paused ?? frame?.feed ?? [];
  return (
    <section className="panel feed-panel" aria-labelledby="feed-title">
      <div className="feed-head">
        <h2 id="feed-title">Event feed <span className="muted" title="since this dashboard started, counting the recent past it read back from the log at its start">({(frame?.counts.events ?? 0).toLocaleString('en')} events read from the log)</span></h2>
        <button type="button" className="secondary" data-testid="feed-pause" aria-pressed={paused !== null} onClick={() => setPaused(paused ? null : [...(frame?.feed ?? [])])}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      <EventFeed items={items} />
      {frame?.plan && (
        <p className="muted feed-foot" data-testid="latest-plan">{latestPlanLine(frame.plan)}</p>
      )}
    </section>
  );
}
