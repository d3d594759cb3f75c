// The official Supabase client against the PostgREST stand-in: the same upsert and select the
// sync performs, and the anonymous key refused. Run by rest_target_test with the stand-in's URL.
//   node supabase_js_check.mjs BASE_URL SERVICE_KEY ANON_KEY
import { createClient } from '@supabase/supabase-js';

const [url, serviceKey, anonKey] = process.argv.slice(2);
// Realtime is never used here; Node 20 has no WebSocket of its own, so it gets an inert one.
class NoWebSocket {}
const options = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: NoWebSocket },
};
const service = createClient(url, serviceKey, options);
const anon = createClient(url, anonKey, options);
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

const row = {
  provider: 'openrouter', host: '', date: '2026-11-20', source: 'api', cost_usd: '1.250000',
  input_tokens: 10, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0, total_tokens: 12,
};
let { error } = await service.from('cost_daily').upsert(row, { onConflict: 'provider,host,date' });
check(!error, `first upsert: ${JSON.stringify(error)}`);
({ error } = await service.from('cost_daily').upsert({ ...row, cost_usd: '2.500001' }, { onConflict: 'provider,host,date' }));
check(!error, `second upsert: ${JSON.stringify(error)}`);

const { data, error: selectError } = await service.from('cost_daily')
  .select('provider,date,cost_usd').eq('provider', 'openrouter').order('date', { ascending: false }).limit(5);
check(!selectError, `select: ${JSON.stringify(selectError)}`);
check(Array.isArray(data) && data.length === 1, `one row after two upserts, got ${JSON.stringify(data)}`);
check(data && data[0] && Number(data[0].cost_usd) === 2.500001, `the second upsert's cost, got ${JSON.stringify(data)}`);

const { error: anonError } = await anon.from('cost_daily').select('*');
check(anonError && anonError.code === '42501', `anon must be refused, got ${JSON.stringify(anonError)}`);
const { error: anonWrite } = await anon.from('cost_daily').upsert(row, { onConflict: 'provider,host,date' });
check(anonWrite && anonWrite.code === '42501', `anon must not write, got ${JSON.stringify(anonWrite)}`);

// What budgets and alerts use: insert returning the row, update and delete by id, is.null.
const { data: added, error: insertError } = await service.from('budgets')
  .insert({ name: 'js', scope_kind: 'total', scope_value: '', period: 'day', threshold_usd: 5 })
  .select();
check(!insertError && Array.isArray(added) && added.length === 1 && added[0].id > 0,
  `insert ... select() returns the row: ${JSON.stringify(insertError ?? added)}`);
const id = added?.[0]?.id;
({ error } = await service.from('alert_events')
  .insert({ budget_id: id, period_start: '2026-11-20', level: 'warn', spent_usd: 4.5, threshold_usd: 5 }));
check(!error, `alert insert: ${JSON.stringify(error)}`);
const { data: pending, error: pendingError } = await service.from('alert_events')
  .select('id,delivered_channels').is('delivered_at', null);
check(!pendingError && pending?.length === 1, `is(null): ${JSON.stringify(pendingError ?? pending)}`);
({ error } = await service.from('alert_events')
  .update({ delivered_at: '2026-11-20T10:00:00Z', delivered_channels: ['webhook-1'] })
  .eq('id', pending?.[0]?.id));
check(!error, `update: ${JSON.stringify(error)}`);
const { data: after } = await service.from('alert_events').select('id').is('delivered_at', null);
check(Array.isArray(after) && after.length === 0, `updated row is delivered: ${JSON.stringify(after)}`);
const { data: removed, error: deleteError } = await service.from('budgets').delete().eq('id', id).select();
check(!deleteError && removed?.length === 1, `delete ... select(): ${JSON.stringify(deleteError ?? removed)}`);

// Retention, as the sync calls it: a function by name with named arguments (rpc/<name>).
const { data: pruned, error: rpcError } = await service.rpc('prune_raw_responses',
  { before: '2000-01-01T00:00:00Z', batch: 10 });
check(!rpcError && pruned === 0, `rpc returns the function's integer: ${JSON.stringify(rpcError ?? pruned)}`);
const { error: anonRpc } = await anon.rpc('prune_raw_responses', { before: '2000-01-01T00:00:00Z', batch: 10 });
check(anonRpc && anonRpc.code === '42501', `anon must not prune, got ${JSON.stringify(anonRpc)}`);

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('supabase-js: upsert, select, insert/update/delete with is(null), rpc, and the anon refusals behave as against PostgREST');
