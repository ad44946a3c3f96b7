'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';

interface StepInfo { id: string; title: string; lesson: string; where: string; flows: string }
interface Result { ok: boolean; evidence: string[]; details?: string[]; progress: string[] }

const links: Record<string, string> = { 'two-groups': '/log', 'stopped-consumer': '/log', replay: '/log', 'queue-vs-log': '/queues', 'killed-worker': '/queues', poison: '/queues', transaction: '/log' };

export default function Walkthrough() {
  const [steps, setSteps] = useState<StepInfo[]>([]);
  const [results, setResults] = useState<Record<string, Result | 'running'>>({});
  useEffect(() => {
    api<StepInfo[]>('/api/walkthrough').then(setSteps).catch(() => {});
  }, []);
  const run = async (id: string) => {
    setResults((r) => ({ ...r, [id]: 'running' }));
    try {
      const result = await api<Result>(`/api/walkthrough/${id}`, { method: 'POST', body: {} });
      setResults((r) => ({ ...r, [id]: result }));
    } catch (e) {
      setResults((r) => ({ ...r, [id]: { ok: false, evidence: [(e as Error).message], progress: [] } }));
    }
  };
  return (
    <>
      <h1>Walkthrough — why a delivery platform needs both a log and a queue</h1>
      <p className="muted">Facts go to the log: many readers, kept, replayable. Commands go to queues: one handler, acknowledged, then gone. Each step runs against the live platform and shows its evidence; <code>npm run demo</code> runs the same steps in a terminal.</p>
      {steps.map((s, i) => {
        const r = results[s.id];
        return (
          <div className="step" key={s.id} data-testid={`step-${s.id}`}>
            <h2 style={{ color: 'var(--text)' }}>{i + 1}. {s.title}</h2>
            <p>{s.lesson}</p>
            <p className="muted">In the platform: {s.flows}.</p>
            <div className="row">
              <button onClick={() => run(s.id)} disabled={r === 'running'} data-testid={`run-${s.id}`}>{r === 'running' ? 'running…' : 'Run this step'}</button>
              <Link href={links[s.id] ?? '/'} className="look">Look: {s.where}</Link>
            </div>
            {r && r !== 'running' && (
              <div className="evidence" data-testid={`evidence-${s.id}`}>
                {[...r.progress.map((p) => `… ${p}`), ...r.evidence.map((e) => `${r.ok ? '✓' : '✗'} ${e}`)].map((line, j) => <div key={j}>{line}</div>)}
                {r.details && r.details.length > 0 && (
                  <details data-testid={`details-${s.id}`}>
                    <summary>full detail</summary>
                    {r.details.map((d, j) => <pre className="msg" key={j}>{d}</pre>)}
                  </details>
                )}
              </div>
            )}
          </div>
        );
      })}
    </>
  );
}
