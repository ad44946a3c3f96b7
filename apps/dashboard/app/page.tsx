'use client';
import { CityMap } from '../components/CityMap';
import { KpiTiles } from '../components/KpiTiles';
import { NotLive } from '../components/Shell';
import { useBrokerLive, useLive } from '../lib/live';
import { fmtTime } from '../lib/api';

export default function LiveOperations() {
  const { frame } = useLive();
  const live = useBrokerLive('log');
  return (
    <>
      <h1>Live operations</h1>
      <NotLive what="The event log" live={live} />
      {frame && <KpiTiles tiles={frame.kpis} windowMin={frame.windowMin} />}
      <div className="grid cols-2">
        <div className="panel">
          <h2>City — riders by state, stores, open orders, demand and weather per zone</h2>
          <CityMap frame={frame} />
        </div>
        <div className="panel">
          <h2>Event feed <span className="muted">({frame?.counts.events.toLocaleString('en') ?? 0} events read by group “dashboard”)</span></h2>
          <ul className="feed" data-testid="event-feed">
            {frame?.feed.map((f, i) => (
              <li key={`${f.ts}-${i}`}><span className="t">{fmtTime(f.ts).slice(11)}</span>{f.text}</li>
            ))}
          </ul>
          {frame?.plan && (
            <p className="muted">Latest roster plan {frame.plan.planId} (model {frame.plan.modelVersion}): {frame.plan.moves} reposition moves.</p>
          )}
        </div>
      </div>
    </>
  );
}
