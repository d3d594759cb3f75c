// Private: a fast 64-bit hash for dedup keys (not cryptographic; collisions at 2^-64 odds).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace costs::detail {

inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// Hashes bytes, continuing from `seed` so several fields can be chained.
inline std::uint64_t hash_bytes(std::string_view s,
                                std::uint64_t seed = 0x9e3779b97f4a7c15ULL) noexcept {
  std::uint64_t h = seed ^ (s.size() * 0xff51afd7ed558ccdULL);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  return mix64(h ^ tail ^ (s.size() - i));
}

inline std::uint64_t hash_int(std::int64_t v, std::uint64_t seed) noexcept {
  return mix64(seed ^ mix64(static_cast<std::uint64_t>(v) + 0x632be59bd9b4e019ULL));
}

}  // namespace costs::detail
