'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { TopicDetail as Detail } from '@riderflow/contracts';

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);

/** what the cleanup policy means, in a few words */
function policyMeaning(policy: string): string {
  if (policy === 'compact') return 'keeps the latest record per key for ever';
  if (policy.includes('compact')) return 'keeps the latest record per key, and deletes by retention';
  return 'deletes old segments by retention';
}

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
  const compacted = detail?.cleanupPolicy?.includes('compact') ?? false;
  const ratios = (detail?.partitions ?? []).flatMap((p) => (p.dirtyRatio === null ? [] : [p.dirtyRatio]));
  const dirtiest = ratios.length ? Math.max(...ratios) : null;
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
            <dt>cleanup policy</dt>
            <dd data-testid="topic-cleanup-policy">{detail.cleanupPolicy !== null ? <><strong>{detail.cleanupPolicy}</strong> <span className="muted">— {policyMeaning(detail.cleanupPolicy)}</span></> : <span className="muted">not reported</span>}</dd>
            {compacted && (
              <>
                <dt>dirty ratio</dt>
                <dd data-testid="topic-dirty-ratio">{detail.dirtyRatioError ? <span className="muted">{detail.dirtyRatioError}</span> : dirtiest === null ? <span className="muted">not reported by the log’s metrics</span> : <>{percent(dirtiest)} <span className="muted">(highest of the partitions: share of sealed bytes the cleaner has not compacted yet)</span></>}</dd>
              </>
            )}
            <dt>size on disk</dt><dd data-testid="topic-size">{detail.sizeOnDisk !== null ? `${bytes(detail.sizeOnDisk)} (${detail.sizeOnDisk.toLocaleString('en')} bytes, all replicas)` : <span className="muted">{detail.sizeError}</span>}</dd>
            <dt>configuration</dt>
            <dd>{detail.config ? (detail.config.length ? detail.config.map((c) => <div key={c.name}>{c.name} = {c.value ?? '—'}{c.isDefault ? <span className="muted"> (default)</span> : null}</div>) : 'none reported') : <span className="muted">{detail.configError}</span>}</dd>
          </dl>
          <div className="table-scroll tall" tabIndex={0} role="region" aria-label={`partitions of ${name}`}>
            <table data-testid="topic-partitions" className="wrap-head">
              <thead><tr><th className="num">partition</th><th className="num">first offset</th><th className="num">next offset</th><th className="num">messages</th><th className="num">on disk</th>{compacted && <th className="num">dirty ratio</th>}</tr></thead>
              <tbody>{detail.partitions.map((p) => <tr key={p.partition}><td className="num">{p.partition}</td><td className="num">{p.low}</td><td className="num">{p.high}</td><td className="num">{p.messages.toLocaleString('en')}</td><td className="num">{bytes(p.bytes)}</td>{compacted && <td className="num">{percent(p.dirtyRatio)}</td>}</tr>)}</tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
