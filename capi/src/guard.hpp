// Internal to libkpi.so: the one place where C++ exceptions become C status codes.
//
// Every extern "C" function body is `return kpi::capi::guarded([&] { ... });`. Inside the lambda, plain
// C++ may throw: kpi::error carries its pinned code (the same numbers as KPI_E*), std::bad_alloc becomes
// KPI_ENOMEM and anything else KPI_EINTERNAL. The message goes to the thread-local last error.
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <type_traits>

#include "kpi/error.hpp"
#include "kpi/kpi.h"

namespace kpi::capi {

/// Records `message` as the calling thread's last error and returns `status`.
int fail(int status, const char *message) noexcept;

/// Runs `body` and translates any exception into a status code. `body` returns void (success is
/// KPI_OK) or an int status of its own.
template <class F>
int guarded(F &&body) noexcept {
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      return KPI_OK;
    } else {
      return static_cast<int>(body());
    }
  } catch (const kpi::error &e) {
    return fail(static_cast<int>(e.code()), e.what());
  } catch (const std::bad_alloc &) {
    return fail(KPI_ENOMEM, "out of memory");
  } catch (const std::exception &e) {
    return fail(KPI_EINTERNAL, e.what());
  } catch (...) {
    return fail(KPI_EINTERNAL, "unknown exception");
  }
}

/// Throws errc::null_pointer naming the argument when `p` is NULL.
inline void require(const void *p, const char *argument) {
  if (p == nullptr) throw kpi::error(kpi::errc::null_pointer, std::string(argument) + " is NULL");
}

/// Throws errc::bad_version when a struct's `version` is 0 or newer than `current`.
inline void check_version(std::uint32_t version, std::uint32_t current, const char *struct_name) {
  if (version == 0 || version > current) {
    throw kpi::error(kpi::errc::bad_version, std::string(struct_name) + " version " +
                                                 std::to_string(version) +
                                                 " is not supported (this library knows 1.." +
                                                 std::to_string(current) + "; fill it with its _INIT macro)");
  }
}

}  // namespace kpi::capi
