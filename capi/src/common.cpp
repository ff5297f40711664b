// Status text, the thread-local last error and the version functions of the C ABI.
#include <string>

#include "guard.hpp"

namespace {
thread_local std::string last_error;
}  // namespace

namespace kpi::capi {

int fail(int status, const char *message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // Out of memory while reporting: keep the status, drop the detail.
  }
  return status;
}

}  // namespace kpi::capi

extern "C" {

KPI_API const char *kpi_status_str(int status) {
  if (status == KPI_OK) return "ok";
  const char *name = kpi::errc_name(static_cast<kpi::errc>(status));
  return name;
}

KPI_API const char *kpi_last_error_message(void) {
  return last_error.c_str();
}

KPI_API void kpi_clear_error(void) {
  last_error.clear();
}

KPI_API int32_t kpi_version_number(void) {
  return KPI_VERSION_NUMBER;
}

KPI_API const char *kpi_version_string(void) {
  return KPI_VERSION_STRING;
}

KPI_API int32_t kpi_abi_version(void) {
  return KPI_ABI_VERSION;
}

}  // extern "C"
