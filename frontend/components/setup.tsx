// The providers this server found no key or logs for, each with what to set: the way to a page
// that covers every provider.
import type { ProviderInfo } from '@/lib/api';

export default function Setup({ providers }: { providers: ProviderInfo[] }) {
  const missing = providers.filter((p) => p.status === 'not_configured');
  if (missing.length === 0) return null;
  return (
    <section aria-labelledby="setup-title">
      <details className="setup" data-testid="not-configured">
        <summary>
          <h2 id="setup-title">
            Not set up: {missing.length} provider{missing.length === 1 ? '' : 's'}
          </h2>
        </summary>
        <ul>
          {missing.map((p) => (
            <li key={p.provider} data-provider={p.provider}>
              <strong>{p.label}</strong>: {p.detail}
              {p.hint && <span className="muted"> ({p.hint})</span>}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
