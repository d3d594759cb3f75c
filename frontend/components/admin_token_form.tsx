'use client';
// Asks once for the server's admin token (costs-server --admin-token), for writes from the page;
// it is kept in this tab's session storage only.
import { useState } from 'react';
import { save_admin_token } from '@/lib/api';

export default function AdminTokenForm({ onToken }: { onToken: (token: string) => void }) {
  const [typed, setTyped] = useState('');
  return (
    <form
      className="admin-token"
      data-testid="admin-token-form"
      onSubmit={(e) => {
        e.preventDefault();
        save_admin_token(typed.trim());
        onToken(typed.trim());
      }}
    >
      <label htmlFor="admin-token">Admin token (costs-server --admin-token; kept for this browser session only)</label>
      <input id="admin-token" type="password" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      <button type="submit">Use</button>
    </form>
  );
}
