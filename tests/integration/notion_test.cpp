// The Notion tracker end to end: costs-sync against a stand-in for Notion's API (version
// 2025-09-03) that keeps databases, data sources and pages as Notion does, checks each request's
// shape against the database's schema, and answers with Notion's documented errors (401, 404,
// 429 with Retry-After, 500). The figures come from a real Postgres and real local logs.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "costs/forecast.hpp"
#include "support/claude_log.hpp"
#include "support/fake_http.hpp"
#include "support/postgrest.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using nlohmann::json;
using clock_type = std::chrono::steady_clock;

const std::string token = "ntn_CANARY-NOTION-5f1e2d";
const std::string parent_page = "1f2e3d4c-5b6a-7988-1726-354433221100";

costs::civil_day days_ago(long long n) {
  return costs::civil_day::from_days_since_epoch(costs::utc_day(costs::now()).days_since_epoch() -
                                                 n);
}

costs::test::fake_response notion_error(int status, const std::string& code,
                                        const std::string& message,
                                        std::map<std::string, std::string> headers = {}) {
  return {
      status,
      json{{"object", "error"}, {"status", status}, {"code", code}, {"message", message}}.dump(),
      std::move(headers)};
}

// Notion, as far as the tracker uses it.
class fake_notion {
 public:
  struct request {
    std::string method, path;
    json body;
    clock_type::time_point at;
    int status = 0;
  };
  struct database {
    std::string id, source, title, parent;
    json schema;
    bool deleted = false;
  };
  struct page {
    std::string source;
    json properties;
  };

  fake_notion() : server_([this](const costs::test::recorded_request& r) { return answer(r); }) {}
  std::string base() const { return server_.base(); }

  // Faults: the next `n` requests answer 429 with Retry-After: 1; page writes after `n` more
  // answer 500 until cleared (-1).
  void rate_limit_next(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    rate_limited_ = n;
  }
  void fail_page_writes_after(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_after_ = n;
    page_writes_ = 0;
  }
  void delete_database(const std::string& title) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& d : databases_)
      if (d.title == title) d.deleted = true;
  }
  // As a database made by an older version: without the column `name`.
  void drop_column(const std::string& title, const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& d : databases_)
      if (d.title == title) d.schema.erase(name);
  }
  std::vector<database> databases() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return databases_;
  }
  std::vector<request> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  void forget_requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.clear();
  }
  // Rows of the live database with `title`, by their Key.
  std::map<std::string, json> rows(const std::string& title) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string source;
    for (const auto& d : databases_)
      if (d.title == title && !d.deleted) source = d.source;
    std::map<std::string, json> out;
    for (const auto& [id, p] : pages_)
      if (p.source == source) {
        const std::string key = p.properties["Key"]["rich_text"][0]["text"]["content"];
        EXPECT_EQ(out.count(key), 0u) << "two rows hold the key " << key;
        out[key] = p.properties;
      }
    return out;
  }

 private:
  costs::test::fake_response answer(const costs::test::recorded_request& r) {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back({r.method, r.path, json::parse(r.body, nullptr, false), clock_type::now()});
    auto reply = respond(r);
    requests_.back().status = reply.status;
    return reply;
  }

  costs::test::fake_response respond(const costs::test::recorded_request& r) {
    const auto auth = r.headers.find("authorization");
    if (auth == r.headers.end() || auth->second != "Bearer " + token)
      return notion_error(401, "unauthorized", "API token is invalid.");
    const auto version = r.headers.find("notion-version");
    if (version == r.headers.end() || version->second != "2025-09-03")
      return notion_error(400, "missing_version", "Notion-Version header failed validation.");
    if (rate_limited_ > 0) {
      --rate_limited_;
      return notion_error(429, "rate_limited",
                          "You have been rate limited. Please try again in a few minutes.",
                          {{"Retry-After", "1"}});
    }
    const json body = json::parse(r.body.empty() ? "{}" : r.body, nullptr, false);
    if (!body.is_object()) return notion_error(400, "invalid_json", "Error parsing JSON body.");

    if (r.method == "POST" && r.path == "/v1/databases") return create_database(body);
    const std::string sources = "/v1/data_sources/";
    if (r.path.rfind(sources, 0) == 0) {
      std::string id = r.path.substr(sources.size());
      const bool query = id.size() > 6 && id.compare(id.size() - 6, 6, "/query") == 0;
      if (query) id.resize(id.size() - 6);
      const database* d = live(id);
      if (d == nullptr)
        return notion_error(404, "object_not_found",
                            "Could not find data_source with ID: " + id + ".");
      if (r.method == "GET" && !query)
        return {200, json{{"object", "data_source"}, {"id", id}, {"properties", d->schema}}.dump()};
      if (r.method == "POST" && query) return query_pages(id, body);
      if (r.method == "PATCH" && !query) return update_source(id, body);
    }
    if (r.method == "POST" && r.path == "/v1/pages") return create_page(body);
    if (r.method == "PATCH" && r.path.rfind("/v1/pages/", 0) == 0)
      return update_page(r.path.substr(10), body);
    return notion_error(400, "invalid_request_url", "Invalid request URL.");
  }

  const database* live(const std::string& source) const {
    for (const auto& d : databases_)
      if (d.source == source && !d.deleted) return &d;
    return nullptr;
  }

  costs::test::fake_response create_database(const json& body) {
    const json& parent = body.value("parent", json::object());
    if (parent.value("type", "") != "page_id")
      return notion_error(400, "validation_error", "body.parent.type should be \"page_id\".");
    if (parent.value("page_id", "") != parent_page)
      return notion_error(404, "object_not_found",
                          "Could not find page with ID: " + parent.value("page_id", "") +
                              ". Make sure the relevant pages and databases are shared with "
                              "your integration.");
    const json schema =
        body.value("initial_data_source", json::object()).value("properties", json::object());
    int titles = 0;
    for (const auto& [name, p] : schema.items()) {
      if (!p.is_object() || p.size() != 1)
        return notion_error(400, "validation_error", "property " + name + " has no one type");
      titles += p.contains("title") ? 1 : 0;
    }
    if (titles != 1)
      return notion_error(400, "validation_error", "a data source has exactly one title property");
    database d;
    d.id = "db-" + std::to_string(databases_.size() + 1);
    d.source = "ds-" + std::to_string(databases_.size() + 1);
    d.title = body["title"][0]["text"]["content"];
    d.parent = parent["page_id"];
    d.schema = schema;
    databases_.push_back(d);
    return {200, json{{"object", "database"},
                      {"id", d.id},
                      {"title", body["title"]},
                      {"parent", parent},
                      {"data_sources", json::array({{{"id", d.source}, {"name", d.title}}})}}
                     .dump()};
  }

  // Update a data source: a property's configuration adds it (or changes its type); null removes.
  costs::test::fake_response update_source(const std::string& source, const json& body) {
    const json& properties = body.value("properties", json::object());
    if (!properties.is_object() || properties.empty())
      return notion_error(400, "validation_error", "body.properties should be an object");
    for (auto& d : databases_) {
      if (d.source != source || d.deleted) continue;
      for (const auto& [name, p] : properties.items()) {
        if (p.is_null()) {
          d.schema.erase(name);
        } else if (!p.is_object() || p.size() != 1 || p.contains("title")) {
          return notion_error(400, "validation_error", "property " + name + " has no one type");
        } else {
          d.schema[name] = p;
        }
      }
      return {200,
              json{{"object", "data_source"}, {"id", source}, {"properties", d.schema}}.dump()};
    }
    return notion_error(404, "object_not_found", "Could not find data_source with ID: " + source);
  }

  // Each property must be in the schema with the schema's type, and its value well formed.
  std::string invalid(const database& d, const json& properties) const {
    if (!properties.is_object()) return "body.properties should be an object";
    for (const auto& [name, v] : properties.items()) {
      if (!d.schema.contains(name)) return name + " is not a property that exists.";
      const std::string type = d.schema[name].begin().key();
      if (!v.is_object() || !v.contains(type)) return name + " is expected to be " + type + ".";
      const json& value = v[type];
      if (type == "number" && !value.is_number() && !value.is_null())
        return name + " is expected to be a number";
      if (type == "select" && !value.is_null() &&
          (!value.contains("name") ||
           value["name"].get<std::string>().find(',') != std::string::npos))
        return name + ": select option names cannot contain commas";
      if ((type == "rich_text" || type == "title") && !value.is_array())
        return name + " is expected to be an array of rich text";
      if ((type == "rich_text" || type == "title") && !value.empty() &&
          value[0]["text"]["content"].get<std::string>().size() > 2000)
        return name + ": body.properties.text.content.length should be <= 2000";
      if (type == "date" && (!value.is_object() || !value.contains("start")))
        return name + " is expected to be a date";
    }
    return "";
  }

  costs::test::fake_response query_pages(const std::string& source, const json& body) {
    const json& filter = body.value("filter", json::object());
    if (filter.value("property", "") != "Key")
      return notion_error(400, "validation_error", "the tracker filters on Key");
    const std::string key = filter["rich_text"]["equals"];
    json results = json::array();
    for (const auto& [id, p] : pages_)
      if (p.source == source && p.properties["Key"]["rich_text"][0]["text"]["content"] == key)
        results.push_back({{"object", "page"}, {"id", id}, {"properties", p.properties}});
    return {200, json{{"object", "list"},
                      {"results", results},
                      {"next_cursor", nullptr},
                      {"has_more", false},
                      {"type", "page_or_data_source"}}
                     .dump()};
  }

  bool failing() {
    if (fail_after_ < 0) return false;
    return page_writes_++ >= fail_after_;
  }

  costs::test::fake_response create_page(const json& body) {
    const json& parent = body.value("parent", json::object());
    if (parent.value("type", "") != "data_source_id")
      return notion_error(400, "validation_error", "body.parent.type should be data_source_id");
    const database* d = live(parent.value("data_source_id", ""));
    if (d == nullptr) return notion_error(404, "object_not_found", "Could not find data_source.");
    const std::string bad = invalid(*d, body["properties"]);
    if (!bad.empty()) return notion_error(400, "validation_error", bad);
    if (failing()) return notion_error(500, "internal_server_error", "Unexpected error.");
    const std::string id = "page-" + std::to_string(++pages_made_);
    pages_[id] = {d->source, body["properties"]};
    return {200, json{{"object", "page"}, {"id", id}, {"properties", body["properties"]}}.dump()};
  }

  costs::test::fake_response update_page(const std::string& id, const json& body) {
    const auto p = pages_.find(id);
    if (p == pages_.end()) return notion_error(404, "object_not_found", "Could not find page.");
    const database* d = live(p->second.source);
    if (d == nullptr) return notion_error(404, "object_not_found", "Could not find page.");
    const std::string bad = invalid(*d, body["properties"]);
    if (!bad.empty()) return notion_error(400, "validation_error", bad);
    if (failing()) return notion_error(500, "internal_server_error", "Unexpected error.");
    for (const auto& [name, v] : body["properties"].items()) p->second.properties[name] = v;
    return {200, json{{"object", "page"}, {"id", id}, {"properties", p->second.properties}}.dump()};
  }

  mutable std::mutex mutex_;
  std::vector<request> requests_;
  std::vector<database> databases_;
  std::map<std::string, page> pages_;
  int pages_made_ = 0;
  int rate_limited_ = 0;
  int fail_after_ = -1;
  int page_writes_ = 0;
  costs::test::test_http_server server_;  // last: answers until destroyed, first
};

// A Claude Code call (local-formats reference 2.4): 1,200 input, `output` output and 25,000
// cache-read tokens of claude-sonnet-4-6 ($3, $15, $0.30 per million).
std::string claude_line(const std::string& id, const std::string& session, const std::string& time,
                        int output) {
  return costs::test::claude_line({id, time, session, "claude-sonnet-4-6", 1200, output, 0, 25000});
}

// "2026-12-06T13" for the UTC hour `n` hours before this one, and its Cost Log time.
std::string hour_ago(int n) {
  const long long h =
      std::chrono::duration_cast<std::chrono::hours>(costs::now().time_since_epoch()).count() - n;
  char buf[8];
  std::snprintf(buf, sizeof buf, "T%02lld", h % 24);
  return costs::civil_day::from_days_since_epoch(h / 24).to_string() + buf;
}

std::string text_of(const json& property) {
  const json& pieces = property.contains("title") ? property["title"] : property["rich_text"];
  return pieces.empty() ? "" : pieces[0]["text"]["content"].get<std::string>();
}

class notion_test : public ::testing::Test {
 protected:
  void SetUp() override { db_.migrate(); }

  costs::test::process_result sync(std::vector<std::string> args,
                                   std::map<std::string, std::string> extra = {}) {
    args.insert(args.begin(), COSTS_SYNC_PATH);
    std::map<std::string, std::string> env = {{"HOME", home_.path().string()},
                                              {"COSTS_HOME", (home_.path() / "costs").string()},
                                              {"COSTS_TARGET", db_.url()},
                                              {"COSTS_CONFIG", ""},
                                              {"XDG_CONFIG_HOME", ""},
                                              {"COSTS_TIMEZONE", "UTC"},
                                              {"COSTS_HTTP_BACKOFF_MS", "1"},
                                              {"NOTION_TOKEN", token},
                                              {"NOTION_PARENT_PAGE_ID", parent_page},
                                              {"COSTS_NOTION_BASE_URL", notion_.base()},
                                              {"COSTS_NOTION_INTERVAL_MS", "0"}};
    for (auto& [k, v] : target_env_) env[k] = v;
    for (auto& [k, v] : extra) env[k] = v;
    auto r = costs::test::run_process(args, env);
    EXPECT_EQ((r.out + r.err).find("CANARY-NOTION"), std::string::npos)
        << "the token was printed: " << r.out << r.err;
    return r;
  }

  std::filesystem::path state() const { return home_.path() / "costs" / "notion.json"; }
  void check_daily_and_agent_rows();

  /// Set by a test whose sync reaches the database through Supabase's REST API instead.
  std::map<std::string, std::string> target_env_;

  costs::test::test_database db_;
  costs::test::temp_home home_;
  fake_notion notion_;
};

TEST_F(notion_test, setup_makes_the_three_databases_under_the_page_once_and_remembers_them) {
  const auto no_token = sync({"notion", "setup"}, {{"NOTION_TOKEN", ""}});
  EXPECT_EQ(no_token.exit_code, 2);
  EXPECT_NE(no_token.err.find("NOTION_TOKEN"), std::string::npos) << no_token.err;
  const auto no_page = sync({"notion", "setup"}, {{"NOTION_PARENT_PAGE_ID", ""}});
  EXPECT_EQ(no_page.exit_code, 1);
  EXPECT_NE(no_page.err.find("NOTION_PARENT_PAGE_ID"), std::string::npos) << no_page.err;
  const auto unshared = sync({"notion", "setup", "--parent", "0000"});
  EXPECT_EQ(unshared.exit_code, 1);
  EXPECT_NE(unshared.err.find("Notion answered 404"), std::string::npos) << unshared.err;
  EXPECT_NE(unshared.err.find("share the page with the integration"), std::string::npos);
  const auto wrong = sync({"notion", "setup"}, {{"NOTION_TOKEN", "ntn_CANARY-NOTION-wrong"}});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("check NOTION_TOKEN"), std::string::npos) << wrong.err;
  EXPECT_TRUE(notion_.databases().empty());

  const auto made = sync({"notion", "setup", "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto ids = json::parse(made.out);
  EXPECT_EQ(ids["created"], 3);
  EXPECT_EQ(ids["parent_page_id"], parent_page);
  const auto dbs = notion_.databases();
  ASSERT_EQ(dbs.size(), 3u);
  std::map<std::string, std::string> by_title;
  for (const auto& d : dbs) {
    by_title[d.title] = d.source;
    EXPECT_EQ(d.parent, parent_page);
    EXPECT_EQ(d.schema["Key"], json({{"rich_text", json::object()}})) << d.title;
  }
  EXPECT_EQ(ids["cost_log"], by_title["Cost Log"]);
  EXPECT_EQ(ids["daily_costs"], by_title["Daily Costs"]);
  EXPECT_EQ(ids["agent_costs"], by_title["Agent Costs"]);
  EXPECT_TRUE(dbs[0].schema.contains("Cost type"));
  EXPECT_TRUE(dbs[1].schema.contains("vs yesterday"));
  EXPECT_TRUE(dbs[2].schema.contains("Forecast USD"));
  std::ifstream saved(state());
  const std::string saved_text((std::istreambuf_iterator<char>(saved)), {});
  EXPECT_EQ(saved_text.find("CANARY"), std::string::npos) << "the token is never stored";

  // Again: the remembered ones still answer, nothing is made.
  const auto again = sync({"notion", "setup", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["created"], 0);
  EXPECT_EQ(notion_.databases().size(), 3u);
  const auto shown = sync({"notion", "show"});
  EXPECT_NE(shown.out.find("Daily Costs  " + by_title["Daily Costs"]), std::string::npos)
      << shown.out;

  // One deleted in Notion: only that one is made again.
  notion_.delete_database("Daily Costs");
  const auto remade = sync({"notion", "setup", "--json"});
  ASSERT_EQ(remade.exit_code, 0) << remade.err;
  const auto now_ids = json::parse(remade.out);
  EXPECT_EQ(now_ids["created"], 1);
  EXPECT_EQ(now_ids["cost_log"], ids["cost_log"]);
  EXPECT_NE(now_ids["daily_costs"], ids["daily_costs"]);
}

TEST_F(notion_test, a_run_writes_each_hour_agent_and_cost_type_once_and_updates_it_in_place) {
  // Two sessions' calls in the hour two hours ago, one call in the last hour; OpenRouter's bill
  // for yesterday and today.
  const std::string dir = ".claude/projects/-home-dev-acme-api/";
  home_.write(dir + "s1.jsonl", claude_line("a1", "s1", hour_ago(2) + ":05:00.000Z", 1000) +
                                    claude_line("a2", "s1", hour_ago(2) + ":10:00.000Z", 1000));
  home_.write(dir + "s2.jsonl", claude_line("b1", "s2", hour_ago(2) + ":20:00.000Z", 3000) +
                                    claude_line("b2", "s2", hour_ago(1) + ":30:00.000Z", 500));
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    for (int ago = 0; ago <= 1; ++ago)
      tx.exec_params(
          "insert into public.cost_daily (provider, date, source, cost_usd) values "
          "('openrouter', $1::date, 'api', 2.50)",
          days_ago(ago).to_string());
    tx.commit();
  }
  const auto first = sync({"run", "--local-only"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("notion: "), std::string::npos) << first.out;

  auto log = notion_.rows("Cost Log");
  const std::string h2 = hour_ago(2) + ":00:00Z", h1 = hour_ago(1) + ":00:00Z";
  const std::string host_part = "|claude_local|";
  auto find = [&](const std::string& hour, const std::string& type) -> json {
    for (const auto& [key, p] : log)
      if (key.rfind("hour|" + hour + host_part, 0) == 0 && key.size() > type.size() &&
          key.compare(key.size() - type.size() - 1, std::string::npos, "|" + type) == 0)
        return p;
    ADD_FAILURE() << "no Cost Log row for " << hour << " " << type;
    return json::object();
  };
  // Three calls two hours ago: 3,600 input ($0.0108), 75,000 cache reads ($0.0225), 5,000
  // output ($0.075). The last hour: one call.
  const json input = find(h2, "input"), cache = find(h2, "cache"), output = find(h2, "output");
  EXPECT_DOUBLE_EQ(input["Cost USD"]["number"].get<double>(), 0.0108);
  EXPECT_DOUBLE_EQ(cache["Cost USD"]["number"].get<double>(), 0.0225);
  EXPECT_DOUBLE_EQ(output["Cost USD"]["number"].get<double>(), 0.075);
  EXPECT_EQ(input["Tokens"]["number"], 3600);
  EXPECT_EQ(output["Tokens"]["number"], 5000);
  EXPECT_EQ(output["Calls"]["number"], 3);
  EXPECT_EQ(output["Sessions"]["number"], 2);
  EXPECT_EQ(text_of(output["Session"]), "s2") << "s2's 3,000 output tokens cost the most";
  EXPECT_NE(text_of(output["Transcript"]).find("s2.jsonl"), std::string::npos);
  EXPECT_EQ(output["Basis"]["select"]["name"], "estimated");
  EXPECT_EQ(output["Provider"]["select"]["name"], "Claude Code");
  EXPECT_EQ(output["Period"]["select"]["name"], "hour");
  EXPECT_EQ(output["Time"]["date"]["start"], h2);
  EXPECT_EQ(find(h1, "output")["Tokens"]["number"], 500);
  const std::string billed_key = "day|" + days_ago(0).to_string() + "|openrouter|||billed";
  ASSERT_EQ(log.count(billed_key), 1u);
  EXPECT_EQ(log.at(billed_key)["Cost USD"]["number"], 2.5);
  EXPECT_EQ(log.at(billed_key)["Basis"]["select"]["name"], "billed");
  EXPECT_EQ(log.size(), 8u) << "3 types x 2 hours and 2 billed days";

  // The day's row: OpenRouter's $2.50 and what the logs cost today.
  const auto days = notion_.rows("Daily Costs");
  ASSERT_EQ(days.count(days_ago(0).to_string()), 1u);
  EXPECT_NE(text_of(days.at(days_ago(0).to_string())["By provider"]).find("OpenRouter $2.50"),
            std::string::npos);

  // Nothing changed: nothing is written again.
  notion_.forget_requests();
  ASSERT_EQ(sync({"run", "--local-only"}).exit_code, 0);
  for (const auto& r : notion_.requests())
    EXPECT_FALSE(r.path.rfind("/v1/pages", 0) == 0) << r.method << " " << r.path;

  // A new call in the last hour: its rows are updated in place.
  home_.append(dir + "s2.jsonl", claude_line("b3", "s2", hour_ago(1) + ":40:00.000Z", 700));
  notion_.forget_requests();
  ASSERT_EQ(sync({"run", "--local-only"}).exit_code, 0);
  int patched = 0, created = 0;
  for (const auto& r : notion_.requests()) {
    patched += r.method == "PATCH";
    created += r.method == "POST" && r.path == "/v1/pages";
  }
  EXPECT_EQ(created, 0);
  EXPECT_GE(patched, 3) << "the last hour's input, cache and output rows";
  log = notion_.rows("Cost Log");
  EXPECT_EQ(log.size(), 8u);
  EXPECT_EQ(find(h1, "output")["Tokens"]["number"], 1200);
  EXPECT_EQ(find(h2, "output")["Tokens"]["number"], 5000);

  // The state lost: rows are found by their key and updated, never duplicated.
  std::filesystem::path file = state();
  json kept = json::parse(std::ifstream(file));
  kept.erase("rows");
  std::ofstream(file) << kept.dump();
  notion_.forget_requests();
  ASSERT_EQ(sync({"run", "--local-only"}).exit_code, 0);
  created = 0;
  int queries = 0;
  for (const auto& r : notion_.requests()) {
    created += r.method == "POST" && r.path == "/v1/pages";
    queries += r.path.find("/query") != std::string::npos;
  }
  EXPECT_EQ(created, 0);
  EXPECT_GE(queries, 8);
  EXPECT_EQ(notion_.rows("Cost Log").size(), 8u);
}

TEST_F(notion_test, daily_and_agent_rows_follow_the_budgets_allocations_and_traffic_light) {
  check_daily_and_agent_rows();
}

// The same figures when the sync writes and reads through Supabase's REST API with the service
// key (the figures come from target reads, not the database connection).
TEST_F(notion_test, the_figures_are_the_same_through_a_supabase_rest_target) {
  const std::string service_key =
      "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.CANARY-NOTION-SERVICE";
  costs::test::postgrest_standin rest(db_.url(), service_key, "anon-not-used");
  target_env_ = {{"COSTS_TARGET", rest.base()}, {"COSTS_SUPABASE_KEY", service_key}};
  check_daily_and_agent_rows();
}

// An agent's usage a plan covers is labelled API-equivalent and its unpriced days counted, never
// shown as $0; databases made by an older version get the columns this one writes.
TEST_F(notion_test, agent_rows_label_plan_usage_and_unpriced_days_and_old_databases_grow) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    const std::string today = days_ago(0).to_string();
    tx.exec_params(
        "insert into public.cost_daily (provider, host, date, source, cost_usd) values "
        "('openclaw_local', 'mac', $1::date, 'local_session', 10.00),"
        "('claude_local', 'mac', $1::date, 'local_session', 4.00)",
        today);
    tx.exec_params(
        "insert into public.usage_daily (provider, host, date, model, agent, project, task, "
        "calls, cost_usd) values "
        "('openclaw_local', 'mac', $1::date, 'claude-sonnet-4-6', 'main', '', '', 3, 10.00),"
        "('claude_local', 'mac', $1::date, 'claude-opus-4-6', 'main', '', '', 2, 4.00),"
        "('openclaw_local', 'mac', $1::date, 'my-local-model', 'scout', '', '', 5, null)",
        today);
    tx.commit();
  }
  ASSERT_EQ(sync({"plans", "set", "claude_local", "Claude Max", "--fee", "200"}).exit_code, 0);
  ASSERT_EQ(sync({"notion", "setup"}).exit_code, 0);
  // As an older version left them: two columns fewer, no schema version in the state.
  notion_.drop_column("Agent Costs", "API-equivalent USD");
  notion_.drop_column("Agent Costs", "Unpriced days");
  {
    std::ifstream in(state());
    json saved = json::parse(in);
    saved.erase("schema");
    std::ofstream(state()) << saved.dump();
  }
  notion_.forget_requests();
  const auto r = sync({"run", "--local-only"});
  EXPECT_NE(r.out.find("notion: "), std::string::npos) << r.out << r.err;
  int grown = 0;
  for (const auto& q : notion_.requests())
    if (q.method == "PATCH" && q.path.rfind("/v1/data_sources/", 0) == 0) {
      ++grown;
      EXPECT_EQ(q.body["properties"].size(), 2u) << q.body.dump();
      EXPECT_EQ(q.status, 200);
    }
  EXPECT_EQ(grown, 1) << "only Agent Costs lacked columns";

  const std::string m = days_ago(0).to_string().substr(0, 7);
  const auto agents = notion_.rows("Agent Costs");
  const json main = agents.at(m + "|main"), scout = agents.at(m + "|scout");
  EXPECT_EQ(main["To date USD"]["number"], 14.0);
  EXPECT_EQ(main["API-equivalent USD"]["number"], 4.0) << "Claude Code's part, under Claude Max";
  EXPECT_EQ(main["Unpriced days"]["number"], 0.0);
  EXPECT_EQ(scout["Unpriced days"]["number"], 1.0);
  EXPECT_EQ(scout["To date USD"]["number"], 0.0);
  const json today = notion_.rows("Daily Costs").at(days_ago(0).to_string());
  EXPECT_EQ(text_of(today["By agent"]), "main $14.00, scout $0.00 + unpriced");
  EXPECT_EQ(today["Total USD"]["number"], 10.0) << "the plan's usage is not spend";

  notion_.forget_requests();
  ASSERT_EQ(sync({"run", "--local-only"}).exit_code, 0);
  for (const auto& q : notion_.requests())
    EXPECT_FALSE(q.method == "PATCH" && q.path.rfind("/v1/data_sources/", 0) == 0)
        << "the columns are added once";
}

void notion_test::check_daily_and_agent_rows() {
  // OpenRouter $2 a day for three days; OpenClaw's agents today: main $50, helper $2, coder $1.
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    for (int ago = 0; ago <= 2; ++ago)
      tx.exec_params(
          "insert into public.cost_daily (provider, date, source, cost_usd) values "
          "('openrouter', $1::date, 'api', 2.00)",
          days_ago(ago).to_string());
    tx.exec_params(
        "insert into public.cost_daily (provider, host, date, source, cost_usd) values "
        "('openclaw_local', 'mac', $1::date, 'local_session', 53.00)",
        days_ago(0).to_string());
    for (const auto& [agent, usd] : std::map<std::string, std::string>{
             {"main", "50.00"}, {"helper", "2.00"}, {"coder", "1.00"}})
      tx.exec_params(
          "insert into public.usage_daily (provider, host, date, model, agent, project, task, "
          "calls, cost_usd) values ('openclaw_local', 'mac', $1::date, 'claude-sonnet-4-6', $2, "
          "'', '', 1, $3::numeric)",
          days_ago(0).to_string(), agent, usd);
    tx.commit();
  }
  ASSERT_EQ(sync({"budgets", "add", "--period", "day", "--threshold", "3", "--warn-ratio", "0.5"})
                .exit_code,
            0);
  ASSERT_EQ(sync({"budgets", "add", "--period", "month", "--threshold", "100"}).exit_code, 0);
  ASSERT_EQ(sync({"budgets", "add", "--period", "month", "--threshold", "100", "--split",
                  "main=40,coder=10"})
                .exit_code,
            0);
  const auto r = sync({"run", "--local-only"});
  // Budgets were crossed (a day over $3): alerts with no channel are recorded, not failures.
  EXPECT_NE(r.out.find("notion: "), std::string::npos) << r.out << r.err;

  const auto days = notion_.rows("Daily Costs");
  const json today = days.at(days_ago(0).to_string());
  EXPECT_EQ(today["Total USD"]["number"], 55.0);
  EXPECT_EQ(text_of(today["By provider"]), "OpenClaw agents $53.00, OpenRouter $2.00");
  EXPECT_EQ(text_of(today["By agent"]), "main $50.00, helper $2.00, coder $1.00");
  EXPECT_DOUBLE_EQ(today["vs yesterday"]["number"].get<double>(), 26.5);  // (55 - 2) / 2
  EXPECT_EQ(today["Status"]["select"]["name"], "red");
  const json yesterday = days.at(days_ago(1).to_string());
  EXPECT_EQ(yesterday["Status"]["select"]["name"], "yellow") << "$2 is past half of $3";
  EXPECT_DOUBLE_EQ(yesterday["vs yesterday"]["number"].get<double>(), 0.0);
  // vs budget: the month so far through the day, over $100.
  const costs::civil_day month = costs::period_start("month", days_ago(0));
  double month_to_date = 53.0;
  for (int ago = 0; ago <= 2; ++ago)
    if (!(days_ago(ago) < month)) month_to_date += 2.0;
  EXPECT_NEAR(today["vs budget"]["number"].get<double>(), month_to_date / 100.0, 1e-9);

  const auto agents = notion_.rows("Agent Costs");
  const std::string m = days_ago(0).to_string().substr(0, 7);
  ASSERT_EQ(agents.size(), 3u);
  const json main = agents.at(m + "|main"), coder = agents.at(m + "|coder"),
             helper = agents.at(m + "|helper");
  EXPECT_EQ(main["To date USD"]["number"], 50.0);
  EXPECT_NEAR(main["Share of total"]["number"].get<double>(), 50.0 / 53.0, 1e-9);
  EXPECT_EQ(main["Allocation USD"]["number"], 40.0);
  EXPECT_EQ(main["Status"]["select"]["name"], "over budget");
  EXPECT_EQ(coder["Allocation USD"]["number"], 10.0);
  EXPECT_EQ(coder["Status"]["select"]["name"], "on track");
  EXPECT_EQ(coder["Forecast USD"]["number"], 1.0) << "no day before today spent: no burn";
  EXPECT_TRUE(helper["Allocation USD"]["number"].is_null());
  EXPECT_EQ(helper["Status"]["select"]["name"], "no allocation");
}

TEST_F(notion_test, rate_limits_are_honoured_and_a_run_cut_short_is_finished_by_the_next) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    for (int ago = 0; ago <= 1; ++ago)
      tx.exec_params(
          "insert into public.cost_daily (provider, date, source, cost_usd) values "
          "('openrouter', $1::date, 'api', 2.00)",
          days_ago(ago).to_string());
    tx.commit();
  }
  ASSERT_EQ(sync({"notion", "setup"}).exit_code, 0);

  // Paced: 150 ms between requests; the 429's Retry-After (1 s) is waited out.
  notion_.forget_requests();
  notion_.rate_limit_next(1);
  notion_.fail_page_writes_after(2);
  // Retries of a 500 wait at least the backoff, here no shorter than the pace.
  const auto cut = sync({"run", "--local-only"},
                        {{"COSTS_NOTION_INTERVAL_MS", "150"}, {"COSTS_HTTP_BACKOFF_MS", "150"}});
  EXPECT_EQ(cut.exit_code, 1) << "a Notion failure is a failed delivery";
  EXPECT_NE(cut.err.find("Notion answered 500"), std::string::npos) << cut.err;
  EXPECT_NE(cut.err.find("next run"), std::string::npos) << cut.err;
  const auto sent = notion_.requests();
  ASSERT_GE(sent.size(), 3u);
  EXPECT_EQ(sent[0].status, 429);
  EXPECT_GE(sent[1].at - sent[0].at, std::chrono::milliseconds(950)) << "Retry-After: 1";
  for (std::size_t i = 2; i < sent.size(); ++i)
    EXPECT_GE(sent[i].at - sent[i - 1].at, std::chrono::milliseconds(140)) << "request " << i;
  const auto part = notion_.rows("Cost Log").size() + notion_.rows("Daily Costs").size();
  EXPECT_EQ(part, 2u);

  notion_.fail_page_writes_after(-1);
  const auto rest = sync({"run", "--local-only"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_EQ(notion_.rows("Cost Log").size(), 2u) << "OpenRouter's two days";
  const auto month = costs::period_start("month", days_ago(0));
  const auto first = std::min(month, days_ago(1));
  EXPECT_EQ(
      notion_.rows("Daily Costs").size(),
      static_cast<std::size_t>(days_ago(0).days_since_epoch() - first.days_since_epoch() + 1));
  EXPECT_EQ(notion_.rows("Agent Costs").size(), 0u) << "no itemised spend, no agent";
}

}  // namespace
