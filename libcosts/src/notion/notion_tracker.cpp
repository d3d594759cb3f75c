#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "costs/error.hpp"
#include "costs/notion.hpp"
#include "costs/paths.hpp"
#include "costs/registry.hpp"
#include "notion/notion_client.hpp"

namespace costs {
namespace {

using nlohmann::json;

// Rows a database no longer needs to find again are forgotten after this many days.
constexpr long long remember_days = 70;

struct database_kind {
  const char* name;   ///< the database's title
  const char* field;  ///< its field in the state file
  char tag;           ///< prefixes its rows' keys in the state file
};
constexpr database_kind cost_log{"Cost Log", "cost_log", 'c'};
constexpr database_kind daily_costs{"Daily Costs", "daily_costs", 'd'};
constexpr database_kind agent_costs{"Agent Costs", "agent_costs", 'a'};
// Raised when a version writes columns an older one did not make: setup() then adds them.
// 2: Agent Costs' "API-equivalent USD" and "Unpriced days".
constexpr int schema_version = 2;

json select_of(std::initializer_list<const char*> names) {
  json options = json::array();
  for (const char* n : names) options.push_back({{"name", n}});
  return {{"select", {{"options", options}}}};
}

json number_as(const char* format) {
  return {{"number", {{"format", format}}}};
}
json text_type() {
  return {{"rich_text", json::object()}};
}

json schema_of(const database_kind& kind) {
  json p = {{"Name", {{"title", json::object()}}}, {"Key", text_type()}};
  if (kind.tag == 'c') {
    p["Time"] = {{"date", json::object()}};
    p["Period"] = select_of({"hour", "day"});
    p["Provider"] = {{"select", json::object()}};
    p["Host"] = text_type();
    p["Agent"] = {{"select", json::object()}};
    p["Cost type"] = select_of({"input", "cache", "output", "billed", "tts", "search"});
    p["Cost USD"] = number_as("dollar");
    p["Basis"] = select_of({"estimated", "billed", "unpriced"});
    p["Tokens"] = number_as("number_with_commas");
    p["Calls"] = number_as("number_with_commas");
    p["Session"] = text_type();
    p["Transcript"] = text_type();
    p["Sessions"] = number_as("number");
  } else if (kind.tag == 'd') {
    p["Date"] = {{"date", json::object()}};
    p["Total USD"] = number_as("dollar");
    p["By provider"] = text_type();
    p["By agent"] = text_type();
    p["vs yesterday"] = number_as("percent");
    p["vs budget"] = number_as("percent");
    p["Status"] = select_of({"green", "yellow", "red"});
    p["Unpriced rows"] = number_as("number");
  } else {
    p["Month"] = text_type();
    p["To date USD"] = number_as("dollar");
    p["Share of total"] = number_as("percent");
    p["Per day USD"] = number_as("dollar");
    p["Forecast USD"] = number_as("dollar");
    p["Allocation USD"] = number_as("dollar");
    p["Status"] = select_of({"on track", "watch", "over budget", "no allocation"});
    p["API-equivalent USD"] = number_as("dollar");
    p["Unpriced days"] = number_as("number");
  }
  return p;
}

// Notion numbers are JSON numbers: dollars at the edge, the figures themselves stay exact.
json dollars(const std::optional<micro_usd>& m) {
  return m ? json(static_cast<double>(m->value) / 1e6) : json();
}
json text(const std::string& s) {
  // A rich text piece holds at most 2,000 characters; cut on a UTF-8 boundary.
  std::size_t n = std::min<std::size_t>(s.size(), 2000);
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return {
      {"rich_text", json::array({{{"type", "text"}, {"text", {{"content", s.substr(0, n)}}}}})}};
}
json title(const std::string& s) {
  return {{"title", json::array({{{"type", "text"}, {"text", {{"content", s}}}}})}};
}
json select(const std::string& s) {
  // Select option names cannot hold commas.
  std::string name = s.empty() ? "(none)" : s;
  for (char& c : name)
    if (c == ',') c = ';';
  return {{"select", {{"name", name.substr(0, 100)}}}};
}
json number(double v) {
  return {{"number", v}};
}
json optional_number(const std::optional<double>& v) {
  return {{"number", v ? json(*v) : json()}};
}

std::string iso_hour(timestamp t) {
  const civil_day d = utc_day(t);
  const auto into_day = t - timestamp(std::chrono::hours(24) * d.days_since_epoch());
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:00:00Z",
                static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(into_day).count()));
  return d.to_string() + buf;
}

std::string agent_name(const std::string& agent) {
  return agent.empty() ? "(none)" : agent;
}

struct row_out {
  const database_kind* kind;
  std::string key;
  long long day;  ///< the row's day: rows are forgotten some time after it
  json properties;
};

row_out log_row(const notion_log_row& r) {
  const std::string when = r.whole_day ? r.day.to_string() : iso_hour(r.hour);
  const std::string key = (r.whole_day ? "day|" : "hour|") + when + "|" + r.provider + "|" +
                          r.host + "|" + r.agent + "|" + r.cost_type;
  const std::string label = provider_label(r.provider);
  json p = {{"Name", title(when.substr(0, r.whole_day ? 10 : 16) + " " + label + " " +
                           agent_name(r.agent) + " " + r.cost_type)},
            {"Key", text(key)},
            {"Time", {{"date", {{"start", when}}}}},
            {"Period", select(r.whole_day ? "day" : "hour")},
            {"Provider", select(label)},
            {"Host", text(r.host)},
            {"Agent", select(agent_name(r.agent))},
            {"Cost type", select(r.cost_type)},
            {"Cost USD", {{"number", dollars(r.cost)}}},
            {"Basis", select(!r.cost       ? "unpriced"
                             : r.estimated ? "estimated"
                                           : "billed")},
            {"Tokens", number(static_cast<double>(r.tokens))},
            {"Calls", number(static_cast<double>(r.calls))},
            {"Session", text(r.session)},
            {"Transcript", text(r.transcript)},
            {"Sessions", number(static_cast<double>(r.sessions))}};
  return {&cost_log, key,
          r.whole_day ? r.day.days_since_epoch() : utc_day(r.hour).days_since_epoch(), p};
}

row_out day_row(const notion_day_row& r) {
  std::string providers, agents;
  for (const auto& [label, figure] : r.providers)
    providers += (providers.empty() ? "" : ", ") + label + " " + figure;
  for (const auto& a : r.agents)
    agents += (agents.empty() ? "" : ", ") + agent_name(a.agent) + " " + format_usd(a.cost) +
              (a.unpriced ? " + unpriced" : "");
  const std::string day = r.day.to_string();
  json p = {{"Name", title(day)},
            {"Key", text(day)},
            {"Date", {{"date", {{"start", day}}}}},
            {"Total USD", {{"number", dollars(r.total)}}},
            {"By provider", text(providers)},
            {"By agent", text(agents)},
            {"vs yesterday", optional_number(r.vs_yesterday)},
            {"vs budget", optional_number(r.vs_budget)},
            {"Status", r.status.empty() ? json{{"select", nullptr}} : select(r.status)},
            {"Unpriced rows", number(static_cast<double>(r.unpriced_rows))}};
  return {&daily_costs, day, r.day.days_since_epoch(), p};
}

row_out agent_row(const notion_agent_row& r, long long day) {
  const std::string key = r.month + "|" + r.agent;
  json p = {{"Name", title(agent_name(r.agent))},
            {"Key", text(key)},
            {"Month", text(r.month)},
            {"To date USD", {{"number", dollars(r.to_date)}}},
            {"Share of total", number(r.share)},
            {"Per day USD", {{"number", dollars(r.per_day)}}},
            {"Forecast USD", {{"number", dollars(r.forecast)}}},
            {"Allocation USD", {{"number", dollars(r.allocation)}}},
            {"Status", select(r.status)},
            {"API-equivalent USD", {{"number", dollars(r.api_equivalent)}}},
            {"Unpriced days", number(static_cast<double>(r.unpriced_days))}};
  return {&agent_costs, key, day, p};
}

// FNV-1a over the properties' text: unchanged rows are not sent again.
std::string fingerprint(const json& properties) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : properties.dump()) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

json load_state(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return json::object();
  std::stringstream text;
  text << in.rdbuf();
  json s = json::parse(text.str(), nullptr, false);
  if (!s.is_object())
    throw config_error("notion.bad_state", file.string() +
                                               " is not the tracker's state; move it aside and "
                                               "run 'costs-sync notion setup' again");
  return s;
}

void save_state(const std::filesystem::path& file, const json& state) {
  std::filesystem::create_directories(file.parent_path());
  const auto temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << state.dump(1) << '\n';
    if (!out) throw error("notion.state", "could not write " + temp);
  }
  std::filesystem::rename(temp, file);
}

std::string field(const json& state, const char* name) {
  return state.contains(name) && state[name].is_string() ? state[name].get<std::string>() : "";
}

}  // namespace

notion_tracker::notion_tracker(std::string token, std::filesystem::path state)
    : token_(std::move(token)), state_(std::move(state)) {}

std::filesystem::path notion_tracker::default_state() {
  return costs_home() / "notion.json";
}

std::optional<notion_databases> notion_tracker::remembered() const {
  const json s = load_state(state_);
  const auto schema = s.find("schema");  // absent: made before columns were versioned
  const bool current =
      schema != s.end() && schema->is_number_integer() && schema->get<int>() == schema_version;
  notion_databases ids{field(s, "parent"), field(s, cost_log.field), field(s, daily_costs.field),
                       field(s, agent_costs.field), current};
  if (ids.cost_log.empty() && ids.daily_costs.empty() && ids.agent_costs.empty())
    return std::nullopt;
  return ids;
}

notion_tracker::setup_result notion_tracker::setup(const std::string& parent_page) {
  json state = load_state(state_);
  setup_result out;
  const std::string parent = parent_page.empty() ? field(state, "parent") : parent_page;
  // Databases under another page than the one remembered are new ones: the rows start afresh.
  if (!parent_page.empty() && parent_page != field(state, "parent")) state = json::object();
  detail::notion_client notion(token_);
  for (const database_kind* kind : {&cost_log, &daily_costs, &agent_costs}) {
    const std::string id = field(state, kind->field);
    if (!id.empty()) {
      const auto found = notion.send("GET", "/v1/data_sources/" + id, nullptr,
                                     std::string("reading the ") + kind->name + " database");
      if (found.ok()) {
        // Made by an older version: the columns this one writes and it lacks are added.
        json missing = json::object();
        const auto has = found.body.find("properties");
        const bool listed = has != found.body.end() && has->is_object();
        const json wanted = schema_of(*kind);
        for (const auto& [name, type] : wanted.items())
          if (!listed || !has->contains(name)) missing[name] = type;
        if (missing.empty()) continue;
        const auto added =
            notion.send("PATCH", "/v1/data_sources/" + id, {{"properties", missing}},
                        std::string("adding columns to the ") + kind->name + " database");
        if (!added.ok()) {
          out.error = added.error;
          return out;
        }
        ++out.updated;
        continue;
      }
      if (found.status != 404) {
        out.error = found.error;
        return out;
      }
      // Deleted (or no longer shared): made again, its rows written afresh.
      json rows = json::object();
      for (const auto& [k, v] : state.value("rows", json::object()).items())
        if (k[0] != kind->tag) rows[k] = v;
      state["rows"] = rows;
    }
    if (parent.empty()) {
      out.error =
          "set NOTION_PARENT_PAGE_ID (or pass --parent) to the page the databases go under, "
          "shared with the integration";
      return out;
    }
    const json body = {
        {"parent", {{"type", "page_id"}, {"page_id", parent}}},
        {"title", json::array({{{"type", "text"}, {"text", {{"content", kind->name}}}}})},
        {"initial_data_source", {{"properties", schema_of(*kind)}}}};
    const auto made = notion.send("POST", "/v1/databases", body,
                                  std::string("creating the ") + kind->name + " database");
    if (!made.ok()) {
      out.error = made.error;
      return out;
    }
    const json& sources = made.body.value("data_sources", json::array());
    if (!sources.is_array() || sources.empty() || !sources[0].is_object() ||
        !sources[0].contains("id") || !sources[0]["id"].is_string()) {
      out.error = std::string("Notion's answer to creating the ") + kind->name +
                  " database named no data source (it needs API version 2025-09-03)";
      return out;
    }
    state[kind->field] = sources[0]["id"].get<std::string>();
    state["parent"] = parent;
    ++out.created;
    save_state(state_, state);  // each database as it is made: a failure later keeps it
  }
  state["schema"] = schema_version;
  save_state(state_, state);
  out.ids = {field(state, "parent"), field(state, cost_log.field), field(state, daily_costs.field),
             field(state, agent_costs.field), true};
  return out;
}

notion_result notion_tracker::write(const notion_update& update) {
  json state = load_state(state_);
  notion_result out;
  std::vector<row_out> rows;
  for (const auto& r : update.log) rows.push_back(log_row(r));
  for (const auto& r : update.days) rows.push_back(day_row(r));
  const long long today = utc_day(now()).days_since_epoch();
  for (const auto& r : update.agents) rows.push_back(agent_row(r, today));

  const long limit =
      whole_number_setting("COSTS_NOTION_MAX_REQUESTS", 600, 1, 100'000, "requests a run");
  json& written = state["rows"];
  if (!written.is_object()) written = json::object();
  detail::notion_client notion(token_);
  long sent = 0;    // requests, each query, update and write counted
  long stored = 0;  // rows written this run
  for (const auto& r : rows) {
    const std::string source = field(state, r.kind->field);
    const std::string id = std::string(1, r.kind->tag) + ":" + r.key;
    const std::string hash = fingerprint(r.properties);
    json& known = written[id];
    if (known.is_object() && known.value("hash", "") == hash) {
      ++out.unchanged;
      continue;
    }
    if (!out.error.empty() || sent >= limit || source.empty()) {
      ++out.left;
      if (source.empty() && out.error.empty())
        out.error = "the Notion databases are not set up: run 'costs-sync notion setup'";
      continue;
    }
    std::string page = known.is_object() ? known.value("page", "") : "";
    const std::string what = std::string("the ") + r.kind->name + " row " + r.key;
    if (page.empty()) {
      // Not written from here (or the state was lost): the key finds a row written before.
      const auto hit = notion.send(
          "POST", "/v1/data_sources/" + source + "/query",
          {{"filter", {{"property", "Key"}, {"rich_text", {{"equals", r.key}}}}}, {"page_size", 1}},
          "the query for " + what);
      ++sent;
      if (!hit.ok()) {
        out.error = hit.error;
        ++out.left;
        continue;
      }
      const json& results = hit.body.value("results", json::array());
      if (results.is_array() && !results.empty() && results[0].is_object())
        page = results[0].value("id", "");
    }
    detail::notion_answer done;
    if (!page.empty()) {
      done = notion.send("PATCH", "/v1/pages/" + page, {{"properties", r.properties}},
                         "updating " + what);
      ++sent;
      if (done.status == 404) page.clear();  // deleted by hand: written again
      if (done.ok()) ++out.updated;
    }
    if (page.empty()) {
      done = notion.send("POST", "/v1/pages",
                         {{"parent", {{"type", "data_source_id"}, {"data_source_id", source}}},
                          {"properties", r.properties}},
                         "writing " + what);
      ++sent;
      if (done.ok()) {
        page = done.body.value("id", "");
        ++out.created;
      }
    }
    if (!done.ok()) {
      out.error = done.error;
      ++out.left;
      continue;
    }
    known = {{"page", page}, {"hash", hash}, {"day", r.day}};
    if (++stored % 20 == 0) save_state(state_, state);  // a crash loses at most a few rows
  }
  // Forget rows that no run will write again.
  for (auto it = written.begin(); it != written.end();) {
    if (!it->is_object() || it->value("day", today) < today - remember_days)
      it = written.erase(it);
    else
      ++it;
  }
  save_state(state_, state);
  if (out.error.empty() && out.left > 0)
    out.error = std::to_string(out.left) + " Notion rows wait for the next run (at most " +
                std::to_string(limit) + " requests a run, COSTS_NOTION_MAX_REQUESTS)";
  return out;
}

}  // namespace costs
