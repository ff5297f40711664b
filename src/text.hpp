// Internal: small text helpers shared by the core's translation units (error messages and the
// hand-written parsers of timestamps and Asterisk fields). Not installed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kpi::detail {

/// `s` in single quotes, for error messages. Built by appending: GCC 12 at -O3 misreports
/// `"'" + std::string(s) + "'"` under -Wrestrict.
inline std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('\'');
  out.append(s);
  out.push_back('\'');
  return out;
}

/// Reads exactly `n` decimal digits at `text[i..]` into `out`. False, with `out` unchanged, when they
/// run past the end or are not all digits (no sign, no space).
inline bool read_digits(std::string_view text, std::size_t i, std::size_t n, int &out) {
  if (i + n > text.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = text[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace kpi::detail
