// gcp_billing: Google Cloud spend (Gemini API, Vertex AI and the rest) from the BigQuery billing
// export, queried over the BigQuery REST API with a service account's token (providers.md 7).
// Net cost per day and service = cost + credits (credits are negative), in the export's currency.
#include "providers/gcp_billing/gcp_billing.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "costs/paths.hpp"
#include "costs/registry.hpp"
#include "http/http_client.hpp"
#include "providers/admin_report.hpp"
#include "providers/api_json.hpp"
#include "providers/gcp_billing/jwt.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

bool plain_table_name(const std::string& table) {
  // project.dataset.table: letters, digits, '_', '-', '.', nothing that could end the quoting.
  return !table.empty() &&
         table.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") ==
             std::string::npos;
}

struct service_account {
  std::string client_email, private_key, token_uri, project_id;
};

std::optional<service_account> read_service_account(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  service_account sa;
  sa.client_email = doc.value("client_email", "");
  sa.private_key = doc.value("private_key", "");
  sa.token_uri = doc.value("token_uri", "https://oauth2.googleapis.com/token");
  sa.project_id = doc.value("project_id", "");
  if (sa.client_email.empty() || sa.private_key.empty()) return std::nullopt;
  return sa;
}

class gcp_billing_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("gcp_billing"); }

  detection detect() const override {
    const auto file = setting("GOOGLE_APPLICATION_CREDENTIALS");
    const auto table = setting("COSTS_GCP_BILLING_TABLE");
    if (file && table)
      return {true, "GOOGLE_APPLICATION_CREDENTIALS and COSTS_GCP_BILLING_TABLE set",
              setting_origin("GOOGLE_APPLICATION_CREDENTIALS")};
    return {false,
            "set GOOGLE_APPLICATION_CREDENTIALS (a service account key file) and "
            "COSTS_GCP_BILLING_TABLE (project.dataset.gcp_billing_export_v1_...)"};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto file = setting("GOOGLE_APPLICATION_CREDENTIALS");
    const auto table = setting("COSTS_GCP_BILLING_TABLE");
    if (!file || !table) {
      result.status = collect_status::not_configured;
      return result;
    }
    auto failed = [&](collect_status status, const std::string& message) {
      result = collect_result{};
      result.status = status;
      result.error = message;
      return result;
    };
    if (!plain_table_name(*table))
      return failed(collect_status::failed,
                    "COSTS_GCP_BILLING_TABLE must look like project.dataset.table");
    const auto sa = read_service_account(*file);
    if (!sa)
      return failed(
          collect_status::auth_failed,
          "GOOGLE_APPLICATION_CREDENTIALS does not point at a readable service account key file");

    // 1. A signed assertion for an access token.
    const long long now_s = ctx.now.time_since_epoch().count() / 1'000'000;
    const nlohmann::json claims = {{"iss", sa->client_email},
                                   {"scope", "https://www.googleapis.com/auth/bigquery.readonly"},
                                   {"aud", sa->token_uri},
                                   {"iat", now_s},
                                   {"exp", now_s + 3600}};
    const std::string assertion =
        sign_jwt_rs256(R"({"alg":"RS256","typ":"JWT"})", claims.dump(), sa->private_key);
    if (assertion.empty())
      return failed(collect_status::auth_failed,
                    "the service account's private key could not sign a token request");
    http_request token_request;
    token_request.method = "POST";
    token_request.url = sa->token_uri;
    token_request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    token_request.body =
        "grant_type=" + form_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
        "&assertion=" + assertion;
    const http_response token_response = http_send(token_request);
    if (!token_response.ok())
      return failed(token_response.status == 400 || token_response.status == 401
                        ? collect_status::auth_failed
                        : collect_status::http_error,
                    describe_failure(token_response, "Google", "GOOGLE_APPLICATION_CREDENTIALS"));
    std::string token;
    {
      ondemand::parser parser;
      json_body body(token_response.body);
      ondemand::object root;
      if (!body.open(parser, root) ||
          !each_field(root,
                      [&](std::string_view k, ondemand::value v) {
                        if (k == "access_token") as_string(v, token);
                      }) ||
          token.empty())
        return failed(collect_status::parse_error,
                      "Google sent a token we could not read; nothing was stored");
    }

    // 2. The query, then any further pages (or a job still running) through getQueryResults.
    const long long today = utc_day(ctx.now).days_since_epoch();
    const std::string first =
        civil_day::from_days_since_epoch(ctx.since ? ctx.since->days_since_epoch() : today - 30)
            .to_string();
    const std::string project = table->substr(0, table->find('.')).empty()
                                    ? sa->project_id
                                    : table->substr(0, table->find('.'));
    const std::string sql =
        "SELECT CAST(DATE(usage_start_time) AS STRING) AS day, service.description AS service, "
        "CAST(SUM(cost) + SUM(IFNULL((SELECT SUM(c.amount) FROM UNNEST(credits) c), 0)) AS STRING) "
        "AS net_cost, "
        "ANY_VALUE(currency) AS currency FROM `" +
        *table + "` WHERE usage_start_time >= TIMESTAMP('" + first +
        "') GROUP BY 1, 2 ORDER BY 1, 2";
    const std::string base = base_url("gcp_billing", "https://bigquery.googleapis.com") +
                             "/bigquery/v2/projects/" + form_encode(project) + "/queries";
    http_request request;
    request.method = "POST";
    request.url = base;
    request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    request.body =
        nlohmann::json{{"query", sql}, {"useLegacySql", false}, {"timeoutMs", 30000}}.dump();

    service_costs usd;
    std::map<std::string, std::string> other;  // service -> currency, not money we can add to USD
    for (int step = 0; step < 200; ++step) {
      const http_response r = http_send(request);
      if (!r.ok())
        return failed(r.status == 401 || r.status == 403 ? collect_status::auth_failed
                                                         : collect_status::http_error,
                      describe_failure(r, "BigQuery", "the service account's access to " + *table));
      bool complete = true;
      std::string page_token, job_id;
      ondemand::parser parser;
      json_body body(r.body);
      ondemand::object root;
      const bool ok =
          body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
            if (k == "jobComplete") {
              complete = as_bool(v);
            } else if (k == "pageToken") {
              as_string(v, page_token);
            } else if (k == "jobReference") {
              return each_field(v, [&](std::string_view f, ondemand::value x) {
                if (f == "jobId") as_string(x, job_id);
              });
            } else if (k == "rows") {
              ondemand::array rows;
              if (v.get_array().get(rows)) return false;
              for (auto row_value : rows) {
                std::vector<std::string> cells;
                ondemand::object row;
                if (row_value.get_object().get(row)) return false;
                const bool row_ok = each_field(row, [&](std::string_view f, ondemand::value x) {
                  if (f != "f") return true;
                  ondemand::array fs;
                  if (x.get_array().get(fs)) return false;
                  for (auto cell : fs) {
                    ondemand::object c;
                    if (cell.get_object().get(c)) return false;
                    std::string value;
                    each_field(c, [&](std::string_view ck, ondemand::value cv) {
                      if (ck == "v") as_string(cv, value);
                    });
                    cells.push_back(value);
                  }
                  return true;
                });
                if (!row_ok || cells.size() < 4) return false;
                const auto cost = try_parse_usd(cells[2]);
                if (!cost || cells[0].size() != 10) return false;
                if (cells[3] == "USD")
                  usd[{cells[0], cells[1], std::string()}] += *cost;
                else
                  other[cells[1]] = cells[3];
              }
            }
            return true;
          });
      if (!ok)
        return failed(collect_status::parse_error,
                      "BigQuery sent rows we could not read; nothing was stored");
      if (complete && page_token.empty()) break;
      if (job_id.empty())
        return failed(collect_status::parse_error,
                      "BigQuery answered without a job to follow; nothing was stored");
      if (!complete)
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the job is still running
      request.method = "GET";
      request.body.clear();
      request.url = base + "/" + form_encode(job_id) +
                    (page_token.empty() ? "" : "?pageToken=" + form_encode(page_token));
    }

    snapshot snap;
    snap.provider = "gcp_billing";
    snap.source = "api";
    snap.fetched_at = ctx.now;
    fill_from_services(usd, "gcp_billing", snap, result);
    snap.units = {{"window_start", first}, {"table", *table}, {"non_usd_services", other}};
    snap.raw_response = snap.units;
    result.snap = std::move(snap);
    if (!other.empty()) {
      result.status = collect_status::partial;
      result.error =
          "the billing export is not in USD for some services; only USD rows were stored";
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_gcp_billing_provider() {
  return std::make_unique<gcp_billing_provider>();
}

}  // namespace costs::detail
