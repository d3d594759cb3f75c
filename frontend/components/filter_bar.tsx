'use client';
// The filters the chart and the breakdowns follow: a provider to pick, and each filter set by a
// drill-down shown as a chip that removes it.
import { filter_keys, has_filters, type FilterKey, type Filters } from '@/lib/filters';

const names: Record<FilterKey, string> = {
  provider: 'Provider',
  agent: 'Agent',
  model: 'Model',
  project: 'Project',
  task: 'Task',
};

export default function FilterBar({
  filters,
  labels,
  onChange,
}: {
  filters: Filters;
  labels: Map<string, string>; // provider key -> its name
  onChange: (f: Filters) => void;
}) {
  const providers = [...labels.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const set = filters_set(filters);
  return (
    <section className="filters" aria-label="Filters" data-testid="filters">
      <label htmlFor="filter-provider">Provider</label>
      <select
        id="filter-provider"
        data-testid="filter-provider"
        value={filters.provider ?? ''}
        onChange={(e) => onChange({ ...filters, provider: e.target.value || undefined })}
      >
        <option value="">All providers</option>
        {providers.map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </select>
      {set.length > 0 && (
        <ul className="chips" data-testid="filter-chips">
          {set.map((k) => (
            <li key={k} className="chip" data-filter={k}>
              <span>
                {names[k]}: <strong>{k === 'provider' ? (labels.get(filters[k] as string) ?? filters[k]) : filters[k]}</strong>
              </span>
              <button
                type="button"
                aria-label={`Remove the ${names[k].toLowerCase()} filter`}
                data-testid={`filter-remove-${k}`}
                onClick={() => onChange({ ...filters, [k]: undefined })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {has_filters(filters) ? (
        <button type="button" className="link" data-testid="filter-clear" onClick={() => onChange({})}>
          Clear filters
        </button>
      ) : (
        <span className="muted hint">Select a name in a breakdown to see what it holds.</span>
      )}
    </section>
  );
}

function filters_set(f: Filters): FilterKey[] {
  return filter_keys.filter((k) => f[k]);
}
