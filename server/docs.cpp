// GET /docs: the API reference as one HTML page, rendered here from /openapi.json so it can never
// disagree with it, and served with nothing from another origin: it reads offline.
#include <string_view>

#include <pistache/http.h>

#include "routes.hpp"

namespace costs::server {
namespace {

using json = nlohmann::json;

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string text_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "get" -> "GET", for the method badges.
std::string upper(std::string_view method) {
  std::string out;
  for (char c : method) out += static_cast<char>(c - 'a' + 'A');
  return out;
}

// "get /api/budgets/{id}" -> "get-api-budgets-id": a stable anchor per operation.
std::string anchor(const std::string& method, const std::string& path) {
  std::string id = method;
  bool dash = true;
  for (char c : path) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (word) {
      if (dash) id += '-';
      id += c;
    }
    dash = !word;
  }
  return id;
}

// A schema as nested lists: each property with its type, whether it may be null, and what it is.
// References are followed into components.schemas, to a bounded depth (they may be recursive).
void render_schema(const json& spec, const json& schema, std::string& out, int depth) {
  const json* s = &schema;
  if (const auto ref = text_of(schema, "$ref"); !ref.empty()) {
    const std::string prefix = "#/components/schemas/";
    const auto& all = spec["components"]["schemas"];
    const std::string name = ref.rfind(prefix, 0) == 0 ? ref.substr(prefix.size()) : ref;
    if (!all.contains(name) || depth > 6) {
      out += "<code>" + escape(name) + "</code>";
      return;
    }
    s = &all[name];
  }
  std::string type = text_of(*s, "type");
  if (type.empty() && s->contains("oneOf")) type = "one of";
  out += "<span class=\"t\">" + escape(type.empty() ? "any" : type);
  if (s->value("nullable", false)) out += " or null";
  out += "</span>";
  if (s->contains("enum")) {
    out += " <span class=\"e\">";
    bool first = true;
    for (const auto& v : (*s)["enum"]) {
      out += (first ? "" : " | ") + escape(v.is_string() ? v.get<std::string>() : v.dump());
      first = false;
    }
    out += "</span>";
  }
  if (const auto d = text_of(*s, "description"); !d.empty()) out += " &mdash; " + escape(d);
  if (type == "array" && s->contains("items")) {
    out += "<ul><li>each: ";
    render_schema(spec, (*s)["items"], out, depth + 1);
    out += "</li></ul>";
  }
  if (s->contains("oneOf")) {
    out += "<ul>";
    for (const auto& option : (*s)["oneOf"]) {
      out += "<li>";
      render_schema(spec, option, out, depth + 1);
      out += "</li>";
    }
    out += "</ul>";
  }
  if (s->contains("properties")) {
    const auto required = s->value("required", json::array());
    out += "<ul>";
    for (const auto& [name, property] : (*s)["properties"].items()) {
      const bool must = std::find(required.begin(), required.end(), name) != required.end();
      out += "<li><code>" + escape(name) + "</code>" + (must ? "" : " <i>optional</i>") + ": ";
      render_schema(spec, property, out, depth + 1);
      out += "</li>";
    }
    out += "</ul>";
  }
}

void render_operation(const json& spec, const std::string& path, const std::string& method,
                      const json& op, std::string& out) {
  out += "<section id=\"" + anchor(method, path) + "\"><h2><span class=\"m " + method + "\">" +
         upper(method) + "</span> <code>" + escape(path) + "</code></h2>";
  out += "<p>" + escape(text_of(op, "summary")) + "</p>";
  if (method == "get" && path.find('{') == std::string::npos)
    out += "<p class=\"try\">Try it: <a href=\"" + escape(path) + "\">" + escape(path) + "</a></p>";
  const auto params = op.value("parameters", json::array());
  if (!params.empty()) {
    out +=
        "<h3>Parameters</h3><table><thead><tr><th>Name</th><th>In</th><th>Type</th>"
        "<th>Description</th></tr></thead><tbody>";
    for (const auto& p : params) {
      out += "<tr><td><code>" + escape(text_of(p, "name")) + "</code>" +
             (p.value("required", false) ? " <i>required</i>" : "") + "</td><td>" +
             escape(text_of(p, "in")) + "</td><td>" +
             escape(p.contains("schema") ? text_of(p["schema"], "type") : "") + "</td><td>" +
             escape(text_of(p, "description")) + "</td></tr>";
    }
    out += "</tbody></table>";
  }
  if (op.contains("requestBody")) {
    out += "<h3>Body</h3><p>" + escape(text_of(op["requestBody"], "description")) + "</p>";
    const auto& content = op["requestBody"].value("content", json::object());
    if (content.contains("application/json") && content["application/json"].contains("schema")) {
      out += "<div class=\"s\">";
      render_schema(spec, content["application/json"]["schema"], out, 0);
      out += "</div>";
    }
  }
  out += "<h3>Responses</h3><dl>";
  const json responses = op.value("responses", json::object());  // items() needs it alive
  for (const auto& [status, response] : responses.items()) {
    out += "<dt>" + escape(status) + "</dt><dd>" + escape(text_of(response, "description"));
    const auto content = response.value("content", json::object());
    if (content.contains("application/json") && content["application/json"].contains("schema")) {
      out += "<div class=\"s\">";
      render_schema(spec, content["application/json"]["schema"], out, 0);
      out += "</div>";
    }
    out += "</dd>";
  }
  out += "</dl></section>";
}

constexpr std::string_view style = R"(
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header,main,nav{max-width:60rem;margin:0 auto;padding:0 1rem}
h1{margin:1.5rem 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .25rem;overflow-wrap:anywhere}
h3{font-size:.95rem;margin:1rem 0 .25rem}code{font:13px ui-monospace,monospace}
nav ul{columns:2 18rem;padding-left:1rem}nav li{break-inside:avoid}
.m{display:inline-block;min-width:3.5rem;padding:0 .3rem;border-radius:3px;color:#fff;
font:600 12px ui-monospace,monospace;text-align:center;white-space:nowrap}
.get{background:#1a7f37}.post{background:#0969da}.delete{background:#cf222e}.put{background:#9a6700}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
dt{font-weight:600}dd{margin:0 0 .5rem 1.5rem}.t{color:#6e40c9}.e{color:#9a6700}
.s ul{margin:.1rem 0;padding-left:1.2rem}section{border-top:1px solid #d0d7de}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}a{color:#58a6ff}
.t{color:#d2a8ff}.e{color:#e3b341}th,td,section{border-color:#30363d}}
)";

}  // namespace

std::string render_docs(const nlohmann::json& spec) {
  const std::string title = text_of(spec["info"], "title") + " API";
  std::string nav, body;
  for (const auto& [path, item] : spec["paths"].items()) {
    for (const char* method : {"get", "post", "put", "delete"}) {
      if (!item.contains(method)) continue;
      nav += "<li><a href=\"#" + anchor(method, path) + "\"><span class=\"m " + method + "\">" +
             upper(method) + "</span> " + escape(path) + "</a></li>";
      render_operation(spec, path, method, item[method], body);
    }
  }
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width,initial-scale=1\"><title>" +
         escape(title) + "</title><style>" + std::string(style) +
         "</style></head><body><header><h1>" + escape(title) + " <small>" +
         escape(text_of(spec["info"], "version")) +
         "</small></h1><p>Every route of this server, from <a "
         "href=\"/openapi.json\">/openapi.json</a>. Money is integer micro-dollars and null "
         "where a model could not be priced. A server started with a token wants it on every "
         "<code>/api/</code> call as <code>Authorization: Bearer &lt;token&gt;</code> or "
         "<code>x-auth-token</code>; writes want the admin token.</p></header><nav><ul>" +
         nav + "</ul></nav><main>" + body + "</main></body></html>";
}

}  // namespace costs::server
