#include "support/postgrest.hpp"

#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace costs::test {
namespace {

using nlohmann::json;

fake_response error(int status, const std::string& code, const std::string& message,
                    const std::string& hint = {}) {
  return {status, json{{"code", code},
                       {"message", message},
                       {"details", nullptr},
                       {"hint", hint.empty() ? json() : json(hint)}}
                      .dump()};
}

bool plain_name(const std::string& s) {
  return !s.empty() &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, sep);) out.push_back(item);
  return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

postgrest_standin::postgrest_standin(const std::string& database_url, std::string service_key,
                                     std::string anon_key)
    : db_(database_url),
      service_key_(std::move(service_key)),
      anon_key_(std::move(anon_key)),
      server_([this](const recorded_request& request) { return handle(request); }) {}

fake_response postgrest_standin::handle(const recorded_request& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto key_it = request.headers.find("apikey");
  if (key_it == request.headers.end())
    return error(401, "PGRST301", "No API key found in request",
                 "No `apikey` request header or url param was found.");
  std::string role;
  if (key_it->second == service_key_)
    role = "service_role";
  else if (key_it->second == anon_key_)
    role = "anon";
  else
    return error(401, "PGRST301", "Invalid API key",
                 "Double check your Supabase `anon` or `service_role` API key.");

  const std::string path = request.path.substr(0, request.path.find('?'));
  const std::string query = request.path.find('?') == std::string::npos
                                ? ""
                                : request.path.substr(request.path.find('?') + 1);
  constexpr std::string_view prefix = "/rest/v1/";
  if (path.rfind(prefix, 0) != 0) return error(404, "PGRST000", "not a PostgREST path");
  const std::string table = path.substr(prefix.size());
  if (table.rfind("rpc/", 0) == 0) return call_function(request, role, table.substr(4));
  if (!plain_name(table))
    return error(404, "PGRST205", "Could not find the table in the schema cache");
  std::map<std::string, std::string> params;
  std::vector<std::pair<std::string, std::string>> filters;
  for (const auto& part : split(query, '&')) {
    const auto eq = part.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = url_decode(part.substr(0, eq)), v = url_decode(part.substr(eq + 1));
    if (k == "select" || k == "order" || k == "limit" || k == "offset" || k == "on_conflict" ||
        k == "columns")
      params[k] = v;
    else
      filters.emplace_back(k, v);
  }

  try {
    pqxx::work tx(db_);
    if (!tx.exec_params1("select to_regclass('public.' || $1) is not null", table)[0].as<bool>())
      return error(404, "PGRST205",
                   "Could not find the table 'public." + table + "' in the schema cache",
                   "Perhaps you meant a different table");
    tx.exec("set local role " + role);
    const std::string prefer = request.headers.count("prefer") ? request.headers.at("prefer") : "";
    const bool representation = prefer.find("return=representation") != std::string::npos;
    // col=op.value filters: eq, neq, gt, gte, lt, lte (compared as text), and is.null.
    std::string where;
    for (const auto& [col, expr] : filters) {
      const auto dot = expr.find('.');
      if (!plain_name(col) || dot == std::string::npos)
        return error(400, "PGRST100", "bad filter " + col);
      const std::string op_name = expr.substr(0, dot), value = expr.substr(dot + 1);
      where += std::string(where.empty() ? " where " : " and ");
      if (op_name == "is" && value == "null") {
        where += col + " is null";
        continue;
      }
      static const std::map<std::string, std::string> ops = {
          {"eq", "="}, {"neq", "<>"}, {"gt", ">"}, {"gte", ">="}, {"lt", "<"}, {"lte", "<="}};
      const auto op = ops.find(op_name);
      if (op == ops.end()) return error(400, "PGRST100", "unsupported operator");
      where += col + " " + op->second + " " + tx.quote(value);  // typed, as PostgREST does
    }
    if (request.method == "PATCH" || request.method == "DELETE") {
      std::string sql;
      if (request.method == "PATCH") {
        const json row = json::parse(request.body, nullptr, false);
        if (!row.is_object()) return error(400, "PGRST102", "Empty or invalid json");
        std::vector<std::string> columns;
        for (const auto& [k, v] : row.items()) {
          if (!plain_name(k))
            return error(400, "PGRST204", "Could not find the '" + k + "' column");
          columns.push_back(k);
        }
        sql = "update public." + table + " set (" + quoted_list(columns) + ") = (select " +
              quoted_list(columns) + " from json_populate_record(null::public." + table + ", " +
              tx.quote(row.dump()) + "::json))" + where;
      } else {
        sql = "delete from public." + table + where;
      }
      const auto r = tx.exec("with changed as (" + sql +
                             " returning *) select coalesce(json_agg(changed), '[]'::json)::text "
                             "from changed");
      tx.commit();
      if (representation) return {200, r[0][0].c_str()};
      return {204, ""};
    }
    if (request.method == "POST") {
      json rows = json::parse(request.body, nullptr, false);
      if (rows.is_discarded()) return error(400, "PGRST102", "Empty or invalid json");
      if (rows.is_object()) rows = json::array({rows});
      if (rows.empty()) return {201, ""};
      std::vector<std::string> columns;
      for (const auto& [k, v] : rows[0].items()) {
        if (!plain_name(k)) return error(400, "PGRST204", "Could not find the '" + k + "' column");
        columns.push_back(k);
      }
      std::string sql = "insert into public." + table + " (" + quoted_list(columns) + ") select " +
                        quoted_list(columns) + " from json_populate_recordset(null::public." +
                        table + ", $1::json)";
      if (params.count("on_conflict")) {
        const auto conflict = split(params["on_conflict"], ',');
        for (const auto& c : conflict)
          if (!plain_name(c)) return error(400, "PGRST100", "bad on_conflict");
        sql += " on conflict (" + quoted_list(conflict) + ")";
        if (prefer.find("resolution=ignore-duplicates") != std::string::npos) {
          sql += " do nothing";
        } else if (prefer.find("resolution=merge-duplicates") != std::string::npos) {
          std::string sets;
          for (const auto& c : columns) sets += (sets.empty() ? "" : ", ") + c + " = excluded." + c;
          sql += " do update set " + sets;
        }
      }
      if (representation) {
        const auto r = tx.exec_params("with added as (" + sql +
                                          " returning *) select coalesce(json_agg(added), "
                                          "'[]'::json)::text from added",
                                      rows.dump());
        tx.commit();
        return {201, r[0][0].c_str()};
      }
      tx.exec_params(sql, rows.dump());
      tx.commit();
      return {201, ""};
    }
    if (request.method == "GET") {
      std::string select = params.count("select") ? params["select"] : "*";
      for (const auto& c : split(select, ','))
        if (c != "*" && !plain_name(c)) return error(400, "PGRST100", "bad select");
      std::string order;
      if (params.count("order")) {
        for (const auto& term : split(params["order"], ',')) {
          const auto parts = split(term, '.');
          if (parts.empty() || !plain_name(parts[0])) return error(400, "PGRST100", "bad order");
          order += std::string(order.empty() ? " order by " : ", ") + parts[0] +
                   (parts.size() > 1 && parts[1] == "desc" ? " desc" : " asc");
        }
      }
      const std::string limit =
          (params.count("limit") ? " limit " + std::to_string(std::stol(params["limit"])) : "") +
          (params.count("offset") ? " offset " + std::to_string(std::stol(params["offset"])) : "");
      const auto r = tx.exec("select coalesce(json_agg(t), '[]'::json)::text from (select " +
                             select + " from public." + table + where + order + limit + ") t");
      tx.commit();
      return {200, r[0][0].c_str()};
    }
    return error(405, "PGRST117", "Unsupported HTTP method");
  } catch (const pqxx::insufficient_privilege& e) {
    // PostgREST: 401 for the anonymous role, 403 for others.
    return error(role == "anon" ? 401 : 403, "42501", "permission denied for table " + table);
  } catch (const pqxx::unique_violation& e) {
    return error(409, "23505", e.what());
  } catch (const pqxx::sql_error& e) {
    return error(400, e.sqlstate().empty() ? "22000" : e.sqlstate(), e.what());
  }
}

fake_response postgrest_standin::call_function(const recorded_request& request,
                                               const std::string& role, const std::string& name) {
  if (request.method != "POST") return error(405, "PGRST117", "Unsupported HTTP method");
  const json args =
      request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
  if (!plain_name(name) || !args.is_object())
    return error(400, "PGRST102", "Empty or invalid json");
  try {
    pqxx::work tx(db_);
    if (!tx.exec_params1("select to_regproc('public.' || $1) is not null", name)[0].as<bool>())
      return error(404, "PGRST202",
                   "Could not find the function public." + name + " in the schema cache");
    tx.exec("set local role " + role);
    // Named arguments, each a literal the function's signature gives its type, as PostgREST does.
    std::string call;
    for (const auto& [k, v] : args.items()) {
      if (!plain_name(k)) return error(400, "PGRST202", "bad argument " + k);
      call += (call.empty() ? "" : ", ") + k + " => " +
              (v.is_null() ? "null" : tx.quote(v.is_string() ? v.get<std::string>() : v.dump()));
    }
    const auto r = tx.exec1("select to_json(public." + name + "(" + call + "))::text");
    tx.commit();
    return {200, r[0].c_str()};
  } catch (const pqxx::insufficient_privilege&) {
    return error(role == "anon" ? 401 : 403, "42501", "permission denied for function " + name);
  } catch (const pqxx::sql_error& e) {
    return error(400, e.sqlstate().empty() ? "22000" : e.sqlstate(), e.what());
  }
}

}  // namespace costs::test
