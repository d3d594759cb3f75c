// Serving the exported /costs page (frontend/out) beside the API: one origin, no CORS needed.
// Pistache sends no Content-Type for files unless told, so the type comes from the extension.
#include <filesystem>
#include <map>

#include <pistache/http.h>

#include "routes.hpp"

namespace costs::server {
namespace fs = std::filesystem;
using namespace Pistache;

namespace {

std::string content_type(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".map", "application/json"}};
  const auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

bool serve_static(const fs::path& root, const Rest::Request& request,
                  Http::ResponseWriter& response) {
  std::string path = request.resource();
  if (path.find("..") != std::string::npos || path.find('\0') != std::string::npos) return false;
  if (path.empty() || path.back() == '/') path += "index.html";
  fs::path file = root / fs::path(path).relative_path();
  std::error_code ec;
  if (fs::is_directory(file, ec)) file /= "index.html";  // "/costs" -> costs/index.html
  if (!fs::is_regular_file(file, ec)) return false;
  const auto canonical = fs::weakly_canonical(file, ec);
  const auto base = fs::weakly_canonical(root, ec);
  if (canonical.string().rfind(base.string(), 0) != 0) return false;  // never outside the root
  Http::serveFile(response, canonical.string(),
                  Http::Mime::MediaType::fromString(content_type(canonical)));
  return true;
}

}  // namespace costs::server
