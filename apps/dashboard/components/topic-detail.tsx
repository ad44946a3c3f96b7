'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { TopicDetail as Detail } from '@riderflow/contracts';

function bytes(n: number | null): string {
  if (n === null) return '—';
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

/** A topic's partitions (first and next offset), its size on disk and its configuration, as the log reports them. */
export function TopicDetail({ name, onClose }: { name: string; onClose: () => void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDetail(null);
    setError(null);
    api<Detail>(`/api/log/topics/${encodeURIComponent(name)}`).then(setDetail).catch((e: Error) => setError(e.message));
  }, [name]);
  return (
    <section data-testid="topic-detail" aria-label={`topic ${name}`} style={{ marginTop: 10 }}>
      <div className="row">
        <h3 style={{ margin: 0, fontSize: 14 }}>{name}</h3>
        <button className="secondary" onClick={onClose}>close</button>
      </div>
      {error && <p className="error">{error}</p>}
      {detail && (
        <>
          <dl className="kv">
            <dt>size on disk</dt><dd data-testid="topic-size">{detail.sizeOnDisk !== null ? `${bytes(detail.sizeOnDisk)} (${detail.sizeOnDisk.toLocaleString('en')} bytes, all replicas)` : <span className="muted">{detail.sizeError}</span>}</dd>
            <dt>configuration</dt>
            <dd>{detail.config ? (detail.config.length ? detail.config.map((c) => <div key={c.name}>{c.name} = {c.value ?? '—'}{c.isDefault ? <span className="muted"> (default)</span> : null}</div>) : 'none reported') : <span className="muted">{detail.configError}</span>}</dd>
          </dl>
          <div className="table-scroll tall" tabIndex={0} role="region" aria-label={`partitions of ${name}`}>
            <table data-testid="topic-partitions">
              <thead><tr><th className="num">partition</th><th className="num">first offset</th><th className="num">next offset</th><th className="num">messages</th><th className="num">on disk</th></tr></thead>
              <tbody>{detail.partitions.map((p) => <tr key={p.partition}><td className="num">{p.partition}</td><td className="num">{p.low}</td><td className="num">{p.high}</td><td className="num">{p.messages.toLocaleString('en')}</td><td className="num">{bytes(p.bytes)}</td></tr>)}</tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
