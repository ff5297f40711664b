// Internal helpers shared by the views (src/views/*.cpp); not installed.
#pragma once

#include <cstdio>
#include <string>

#include "kpi/error.hpp"

namespace kpi::views::detail {

/// `x` with all the digits of a double (std::to_string's six decimals hide close values).
inline std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// Throws kpi::error(errc::invalid_argument, message).
[[noreturn]] inline void invalid(const std::string &message) {
  throw error(errc::invalid_argument, message);
}

}  // namespace kpi::views::detail
