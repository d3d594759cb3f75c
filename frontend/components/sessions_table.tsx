'use client';
// An agent's sessions: newest first, each with its id and the transcript file it was read
// from (what to open to see what the agent did), its span, models, calls, tokens and cost.
import { useState } from 'react';
import type { SessionRow } from '@/lib/api';
import { count, exact_time, money } from '@/lib/format';

function tokens_of(s: SessionRow): number {
  return s.tokens.input + s.tokens.output + s.tokens.cache_read + s.tokens.cache_write;
}

function Copy({ text, what }: { text: string; what: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`Copy the ${what}`}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setDone(true), () => setDone(false));
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

export default function SessionsTable({ rows, more, labels }: { rows: SessionRow[]; more: boolean; labels: Map<string, string> }) {
  return (
    <>
      <table data-testid="sessions-table">
        <caption className="visually-hidden">Sessions, newest first, with their transcripts</caption>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Agent</th>
            <th scope="col">Last call</th>
            <th scope="col" className="num">
              Calls
            </th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={`${s.provider}/${s.host}/${s.session}`} data-testid="session" data-session={s.session}>
              <th scope="row" className="session-cell">
                <code className="session-id" title={s.session}>
                  {s.session || 'no session id'}
                </code>
                {s.session && <Copy text={s.session} what="session id" />}
                <span className="muted session-meta">
                  {labels.get(s.provider) ?? s.provider}
                  {s.project && ` · ${s.project}`}
                  {s.models.length > 0 && ` · ${s.models.join(', ')}`}
                </span>
                {s.transcript ? (
                  <span className="transcript">
                    <code data-testid="transcript">{s.transcript}</code>
                    <Copy text={s.transcript} what="transcript path" />
                  </span>
                ) : (
                  <span className="muted">transcript not known (read before paths were kept)</span>
                )}
              </th>
              <td>{s.agent || '—'}</td>
              <td title={`from ${exact_time(s.first_at)}`}>{exact_time(s.last_at)}</td>
              <td className="num">{count(s.calls)}</td>
              <td className="num">{count(tokens_of(s))}</td>
              <td className="num" data-testid="session-cost" data-micro={s.cost_micro_usd ?? undefined}>
                {s.cost_micro_usd === null ? (
                  s.priced_cost_micro_usd > 0 ? (
                    `${money(s.priced_cost_micro_usd)} + unpriced`
                  ) : (
                    <span className="tag tag-unpriced">unpriced</span>
                  )
                ) : (
                  money(s.cost_micro_usd)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <p className="muted">The newest {rows.length} sessions are shown; narrow the range or the filters for the rest.</p>}
      <p className="muted">A session’s figures are the whole session, from its first call to its last.</p>
    </>
  );
}
