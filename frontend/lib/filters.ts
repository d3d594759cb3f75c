// The filters the chart and the breakdowns follow (provider, agent, model, project, task), kept
// in the URL beside the range (?provider=claude_local&agent=main) so a drilled-down view can be
// shared. Each is one exact value; none set means everything.

export const filter_keys = ['provider', 'agent', 'model', 'project', 'task'] as const;
export type FilterKey = (typeof filter_keys)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** The filters the URL sets (empty values dropped). */
export function filters_from_url(search: string): Filters {
  const q = new URLSearchParams(search);
  const out: Filters = {};
  for (const k of filter_keys) {
    const v = q.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** The URL's search part with `f` as its filters, other parameters kept. */
export function filters_to_search(f: Filters, search: string): string {
  const q = new URLSearchParams(search);
  for (const k of filter_keys) {
    if (f[k])
      q.set(k, f[k] as string);
    else
      q.delete(k);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** "&provider=...&agent=..." for an API path; "" when none is set. */
export function filter_query(f: Filters): string {
  return filter_keys.filter((k) => f[k])
      .map((k) => `&${k}=${encodeURIComponent(f[k] as string)}`)
      .join('');
}

export const has_filters = (f: Filters): boolean => filter_keys.some((k) => f[k]);

/** For file names: "provider-claude_local-agent-main", or "" with none. */
export function filter_slug(f: Filters): string {
  return filter_keys.filter((k) => f[k])
      .map((k) => `${k}-${(f[k] as string).replace(/[^A-Za-z0-9._-]+/g, '_')}`)
      .join('-');
}
