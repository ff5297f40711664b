// The KPI catalog through the C ABI: a read-only view of the C++ registry (kpi/catalog.hpp).
#include <cstring>

#include "guard.hpp"
#include "kpi/catalog.hpp"

namespace {

void fill(kpi_kpi_info *out, const kpi::kpi_info &info) {
  // Version 1 is the only layout so far; a later version writes its extra fields only when
  // out->version says the caller's struct has them.
  out->id = static_cast<int32_t>(info.id);
  out->unit = static_cast<int32_t>(info.unit);
  out->families = info.families;
  // The registry's strings are literals, hence NUL-terminated and static.
  out->name = info.name.data();
  out->description = info.description.data();
  out->formula = info.formula.data();
  out->variants = info.variants.data();
  out->windowed = info.evaluate != nullptr ? 1 : 0;
}

void check_out(const kpi_kpi_info *out) {
  kpi::capi::require(out, "out");
  kpi::capi::check_version(out->version, KPI_KPI_INFO_VERSION, "kpi_kpi_info");
}

}  // namespace

extern "C" {

KPI_API int kpi_kpi_info_init(kpi_kpi_info *info, uint32_t version) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(info, "info");
    kpi::capi::check_version(version, KPI_KPI_INFO_VERSION, "kpi_kpi_info");
    std::memset(info, 0, sizeof *info);
    info->version = version;
  });
}

KPI_API int kpi_catalog_count(size_t *out) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    *out = kpi::catalog().size();
  });
}

KPI_API int kpi_catalog_get(kpi_kpi_info *out, size_t index) {
  return kpi::capi::guarded([&] {
    check_out(out);
    const auto all = kpi::catalog();
    if (index >= all.size()) {
      throw kpi::error(kpi::errc::invalid_argument, "catalog index " + std::to_string(index) +
                                                        " is out of range (the catalog has " +
                                                        std::to_string(all.size()) + " KPIs)");
    }
    fill(out, all[index]);
  });
}

KPI_API int kpi_catalog_info(kpi_kpi_info *out, int32_t id) {
  return kpi::capi::guarded([&] {
    check_out(out);
    fill(out, kpi::info(static_cast<kpi::kpi_id>(id)));
  });
}

KPI_API int kpi_catalog_find(kpi_kpi_info *out, const char *name) {
  return kpi::capi::guarded([&] {
    check_out(out);
    kpi::capi::require(name, "name");
    fill(out, kpi::info(std::string_view(name)));
  });
}

KPI_API const char *kpi_unit_str(int32_t unit) {
  const char *text = kpi::to_string(static_cast<kpi::unit>(unit));
  return text;
}

}  // extern "C"
