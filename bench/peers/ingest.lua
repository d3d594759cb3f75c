-- wrk: POST /api/costs/llm, 100 calls a request, each call id unique across threads, requests
-- and runs (BENCH_RUN), as agents reporting their calls in batches would send them.
local run = os.getenv("BENCH_RUN") or "0"
local token = os.getenv("BENCH_ADMIN_TOKEN") or ""
local threads = 0
local counter = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local calls = {}
  for i = 1, 100 do
    calls[i] = string.format(
      '{"id":"bench-%s-%d-%d-%d","model":"claude-sonnet-4-6","agent":"bench","session":"s%d",' ..
      '"input_tokens":1000,"output_tokens":200,"cache_read_tokens":5000}',
      run, tid, counter, i, counter % 50)
  end
  return wrk.format("POST", "/api/costs/llm",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    '{"calls":[' .. table.concat(calls, ",") .. "]}")
end
