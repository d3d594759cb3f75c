// Private: finding a short marker in a large buffer, fast.
//
// Most bytes of an agent log are prompts and tool output; the scan only wants the lines that
// carry usage. Looking for the marker's first two bytes sixteen positions at a time (SSE2,
// every x86-64 has it) and confirming the rare candidates beats memmem several times over.
#pragma once

#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define COSTS_HAVE_AVX2_DISPATCH 1
#endif

namespace costs::detail {

#if defined(COSTS_HAVE_AVX2_DISPATCH)
// Thirty-two positions at a time where the CPU has AVX2 (chosen at run time, so the binary
// still runs on any x86-64). Returns how far it got, or sets `found`.
__attribute__((target("avx2"))) inline std::size_t find_marker_avx2(const char* data,
                                                                    std::size_t last,
                                                                    std::string_view needle,
                                                                    std::size_t& found) {
  const __m256i first = _mm256_set1_epi8(needle[0]);
  const __m256i second = _mm256_set1_epi8(needle[1]);
  std::size_t i = 0;
  for (; i + 32 <= last; i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i + 1));
    unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, second))));
    while (mask != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(data + i + bit + 2, needle.data() + 2, needle.size() - 2) == 0) {
        found = i + bit;
        return i;
      }
      mask &= mask - 1;
    }
  }
  return i;
}

inline bool cpu_has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
#endif

/// The offset of `needle` (at least 2 bytes) in `hay`, or npos.
inline std::size_t find_marker(std::string_view hay, std::string_view needle) {
  const std::size_t n = needle.size();
  if (n < 2 || hay.size() < n) return hay.find(needle);
  const char* data = hay.data();
  const std::size_t last = hay.size() - n;  // the last position a match can start
  std::size_t i = 0;
#if defined(COSTS_HAVE_AVX2_DISPATCH)
  if (cpu_has_avx2()) {
    std::size_t found = std::string_view::npos;
    i = find_marker_avx2(data, last, needle, found);
    if (found != std::string_view::npos) return found;
  }
#endif
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i second = _mm_set1_epi8(needle[1]);
  for (; i + 16 <= last; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i + 1));
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, second))));
    while (mask != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(data + i + bit + 2, needle.data() + 2, n - 2) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
#endif
  for (; i <= last; ++i) {
    if (data[i] == needle[0] && data[i + 1] == needle[1] &&
        std::memcmp(data + i + 2, needle.data() + 2, n - 2) == 0)
      return i;
  }
  return std::string_view::npos;
}

inline bool contains(std::string_view hay, std::string_view needle) {
  return find_marker(hay, needle) != std::string_view::npos;
}

}  // namespace costs::detail
