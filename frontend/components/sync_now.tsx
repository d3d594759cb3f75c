'use client';
// "Sync now": the server's sync trigger (POST /api/sync with the admin token), its progress while
// it runs (GET /api/sync), and how it ended; the page reloads its figures when it has.
import { useEffect, useRef, useState } from 'react';
import { api_error, get_json, save_admin_token, saved_admin_token, send_json } from '@/lib/api';
import AdminTokenForm from './admin_token_form';

interface SyncState {
  enabled: boolean;
  latest: {
    run_id: string;
    status: 'running' | 'finished' | 'failed';
    error?: string | null;
    providers: { provider: string; status: string; rows?: number }[];
  } | null;
}

export default function SyncNow({ token, reload }: { token: string; reload: () => void }) {
  const [enabled, setEnabled] = useState(false);
  const [asking, setAsking] = useState(false);
  const [run, setRun] = useState<string | null>(null);
  const [text, setText] = useState('');
  const reload_now = useRef(reload);  // the latest, without restarting the poll on each render
  reload_now.current = reload;
  useEffect(() => {
    get_json<SyncState>('/api/sync', token)
      .then((s) => setEnabled(s.enabled))
      .catch(() => setEnabled(false));
  }, [token]);
  useEffect(() => {
    if (run === null) return;
    let live = true;
    const poll = async () => {
      try {
        const s = await get_json<SyncState>('/api/sync', token);
        if (!live || s.latest?.run_id !== run) return;
        if (s.latest.status === 'running') {
          setText(`Syncing… ${s.latest.providers.length} providers done`);
          return;
        }
        const bad = s.latest.providers.filter((p) => !['ok', 'not_configured', 'unavailable'].includes(p.status));
        setText(
          s.latest.status === 'failed'
            ? `The sync failed: ${s.latest.error ?? 'see the sync log'}`
            : `Synced ${s.latest.providers.filter((p) => p.status === 'ok').length} providers` +
                (bad.length ? `; ${bad.map((p) => `${p.provider} ${p.status.replace(/_/g, ' ')}`).join(', ')}` : '') +
                '.',
        );
        setRun(null);
        reload_now.current();
      } catch (e) {
        if (live) setText(e instanceof Error ? e.message : String(e));
      }
    };
    const timer = window.setInterval(() => void poll(), 1000);
    void poll();
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [run, token]);

  if (!enabled) return null;
  const start = async (admin: string) => {
    setAsking(false);
    try {
      const r = await send_json<{ run_id: string }>('POST', '/api/sync', admin, { scope: 'all' });
      setText('Syncing…');
      setRun(r.run_id);
    } catch (e) {
      if (e instanceof api_error && e.kind === 'unauthorized') {
        save_admin_token('');
        setAsking(true);
      }
      setText(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <span className="sync-now">
      <button
        type="button"
        disabled={run !== null}
        data-testid="sync-now"
        onClick={() => {
          const admin = saved_admin_token();
          if (admin) void start(admin);
          else setAsking(true);
        }}
      >
        {run !== null ? 'Syncing…' : 'Sync now'}
      </button>
      {text && (
        <span role="status" className="muted" data-testid="sync-status">
          {' '}
          {text}
        </span>
      )}
      {asking && <AdminTokenForm onToken={(t) => void start(t)} />}
    </span>
  );
}
