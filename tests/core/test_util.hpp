// Helpers shared by the GoogleTest files of the core.
#pragma once

#include <string>

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
