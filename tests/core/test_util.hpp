// Helpers shared by the GoogleTest files of the core.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kpi/error.hpp"

/// The errc that `f()` throws as kpi::error, or errc::ok when it throws nothing.
template <class F>
kpi::errc code_of(F &&f) {
  try {
    f();
  } catch (const kpi::error &e) {
    return e.code();
  }
  return kpi::errc::ok;
}

/// The message of the kpi::error that `f()` throws, or "" when it throws nothing.
template <class F>
std::string message_of(F &&f) {
  try {
    f();
  } catch (const kpi::error &e) {
    return e.what();
  }
  return "";
}

/// Where the errors a read kept were, in order: (line, column) of each.
using error_places = std::vector<std::pair<std::uint64_t, std::string>>;
inline error_places places_of(const std::vector<kpi::parse_error> &errors) {
  error_places out;
  for (const kpi::parse_error &e : errors) out.emplace_back(e.line(), e.column());
  return out;
}
