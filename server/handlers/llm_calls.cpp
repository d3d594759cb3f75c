// POST /api/costs/llm: agents report their LLM calls as they happen, one call or a batch.
// Each call is kept by the caller's id (a resend counts once), dated in the server's zone and
// priced by the caller's cost_usd, else the price table, else left unpriced (never $0). They
// show everywhere as the provider agent_reports, an estimate beside the providers' bills.

#include "costs/error.hpp"
#include "costs/money.hpp"
#include "costs/pricing.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

constexpr std::size_t max_calls = 1000;

const price_table& prices() {
  static const price_table table = price_table::load_default();
  return table;
}

// The writer connection of this query thread (a target is one per thread), opened on first use
// and again after it was lost.
target& writer(const api_context& ctx) {
  thread_local std::unique_ptr<target> mine;
  thread_local std::string url;
  if (!mine || !mine->connected() || url != ctx.admin_url) {
    mine.reset();
    mine = open_target(ctx.admin_url);
    url = ctx.admin_url;
  }
  return *mine;
}

[[noreturn]] void bad(std::size_t index, const std::string& what) {
  throw http_error{400, "bad_call", "calls[" + std::to_string(index) + "]: " + what};
}

reported_call call_of(const nlohmann::json& j, std::size_t i, const time_zone& zone) {
  if (!j.is_object()) bad(i, "each call is a JSON object");
  reported_call c;
  bool has_id = false, has_model = false;
  auto text = [&](const std::string& key, const nlohmann::json& v, std::string& into,
                  std::size_t max) {
    if (!v.is_string()) bad(i, key + " must be a string");
    into = v.get<std::string>();
    if (into.size() > max) bad(i, key + ": at most " + std::to_string(max) + " characters");
    for (const unsigned char ch : into)
      if (ch < 0x20) bad(i, key + " must not hold control characters");
  };
  auto count = [&](const std::string& key, const nlohmann::json& v, std::int64_t& into) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
        v.get<std::int64_t>() > 1'000'000'000'000)
      bad(i, key + " must be a whole number from 0 to 10^12");
    into = v.get<std::int64_t>();
  };
  for (const auto& [key, v] : j.items()) {
    if (key == "id") {
      text(key, v, c.id, 200);
      has_id = !c.id.empty();
    } else if (key == "model") {
      text(key, v, c.model, 200);
      has_model = !c.model.empty();
    } else if (key == "agent") {
      text(key, v, c.agent, 200);
    } else if (key == "session") {
      text(key, v, c.session, 200);
    } else if (key == "task") {
      text(key, v, c.task, 200);
    } else if (key == "provider") {
      text(key, v, c.vendor, 100);
    } else if (key == "input_tokens") {
      count(key, v, c.input);
    } else if (key == "output_tokens") {
      count(key, v, c.output);
    } else if (key == "cache_read_tokens") {
      count(key, v, c.cache_read);
    } else if (key == "cache_write_tokens") {
      count(key, v, c.cache_write);
    } else if (key == "reasoning_tokens") {
      count(key, v, c.reasoning);
    } else if (key == "cost_usd") {
      if (v.is_null()) continue;
      if (!v.is_number() && !v.is_string()) bad(i, "cost_usd must be a number, or null");
      // The number's own text, never through a double.
      const auto cost = try_parse_usd(v.is_string() ? v.get<std::string>() : v.dump());
      if (!cost || cost->value < 0 || cost->value >= 1'000'000'000'000)
        bad(i, "cost_usd must be a decimal from 0 to 999999.999999");
      c.reported_cost_micro_usd = cost->value;
    } else if (key == "timestamp") {
      std::string when;
      text(key, v, when, 64);
      try {
        c.at = parse_timestamp(when);
      } catch (const costs::error&) {
        bad(i, "timestamp must be ISO 8601, e.g. 2026-12-05T14:03:00Z");
      }
      if (c.at > now() + std::chrono::hours(24) || c.at < parse_timestamp("2000-01-01T00:00:00Z"))
        bad(i, "timestamp must be from 2000 to a day from now");
    } else {
      bad(i, "unknown field '" + key +
                 "'; send id, model, provider, agent, session, task, input_tokens, "
                 "output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, "
                 "cost_usd, timestamp");
    }
  }
  if (!has_id) bad(i, "id is required: your own id for the call, so a resend counts once");
  if (!has_model) bad(i, "model is required");
  if (c.at == timestamp{}) c.at = now();
  c.date = zone.day_of(c.at);
  // The caller's figure when given; else the list price of the tokens; else unpriced.
  if (c.reported_cost_micro_usd) {
    c.cost_micro_usd = c.reported_cost_micro_usd;
  } else {
    token_counts tokens;
    tokens.input = c.input;
    tokens.output = c.output;
    tokens.cache_read = c.cache_read;
    tokens.cache_write_5m = c.cache_write;
    tokens.reasoning = c.reasoning;
    if (const auto priced = prices().cost_of(tokens, c.model))
      c.cost_micro_usd = to_micro(*priced).value;
  }
  return c;
}

}  // namespace

nlohmann::json post_llm_calls(const Pistache::Rest::Request& request, api_context& ctx) {
  require_admin(request, ctx);
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  // One call, {"calls": [...]}, or a bare array.
  const nlohmann::json* list = &body;
  nlohmann::json one;
  if (body.is_object() && body.contains("calls")) {
    list = &body["calls"];
  } else if (body.is_object()) {
    one = nlohmann::json::array({body});
    list = &one;
  }
  if (!list->is_array() || list->empty())
    throw http_error{400, "bad_body",
                     "send a call {id, model, input_tokens, ...}, an array of them, or "
                     "{\"calls\": [...]}"};
  if (list->size() > max_calls)
    throw http_error{400, "bad_body",
                     "at most " + std::to_string(max_calls) +
                         " calls a request; send the rest "
                         "in another"};
  const time_zone zone = time_zone::named(ctx.time_zone);
  std::vector<reported_call> calls;
  calls.reserve(list->size());
  nlohmann::json answers = nlohmann::json::array();
  for (std::size_t i = 0; i < list->size(); ++i) {
    calls.push_back(call_of((*list)[i], i, zone));
    const reported_call& c = calls.back();
    answers.push_back({{"id", c.id},
                       {"date", c.date.to_string()},
                       {"cost_micro_usd", nullable(c.cost_micro_usd)},
                       {"cost_basis", c.reported_cost_micro_usd ? "reported"
                                      : c.cost_micro_usd        ? "list_price"
                                                                : "unpriced"}});
  }
  const std::int64_t recorded = writer(ctx).record_calls(calls);
  ctx.cache->clear();  // every read may show them
  return {{"received", calls.size()},
          {"recorded", recorded},
          {"already_recorded", static_cast<std::int64_t>(calls.size()) - recorded},
          {"calls", answers}};
}

}  // namespace costs::server
