#include "costs/model.hpp"

namespace costs {

token_counts& token_counts::operator+=(const token_counts& other) noexcept {
  input += other.input;
  output += other.output;
  cache_write_5m += other.cache_write_5m;
  cache_write_1h += other.cache_write_1h;
  cache_read += other.cache_read;
  reasoning += other.reasoning;
  return *this;
}

bool operator==(const token_counts& a, const token_counts& b) noexcept {
  return a.input == b.input && a.output == b.output && a.cache_write_5m == b.cache_write_5m &&
         a.cache_write_1h == b.cache_write_1h && a.cache_read == b.cache_read &&
         a.reasoning == b.reasoning;
}

const char* to_string(cost_origin origin) noexcept {
  switch (origin) {
    case cost_origin::billed: return "billed";
    case cost_origin::reported: return "reported";
    case cost_origin::computed: return "computed";
    case cost_origin::unpriced: return "unpriced";
  }
  return "unpriced";
}

}  // namespace costs
