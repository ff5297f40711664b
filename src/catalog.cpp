// The KPI registry (include/kpi/catalog.hpp): the family tables of src/kpis/ concatenated, lookups,
// unit names and the validation of the variant parameters.
#include "kpi/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "kpis/tables.hpp"

namespace kpi {
namespace {

const std::vector<kpi_info> &all_kpis() {
  static const std::vector<kpi_info> all = [] {
    std::vector<kpi_info> v;
    for (auto table :
         {detail::call_kpis(), detail::sales_kpis(), detail::funnel_kpis(), detail::customer_kpis()})
      v.insert(v.end(), table.begin(), table.end());
    std::sort(v.begin(), v.end(), [](const kpi_info &a, const kpi_info &b) { return a.id < b.id; });
    return v;
  }();
  return all;
}

const kpi_info *find_by_id(kpi_id id) noexcept {
  const auto &all = all_kpis();
  const auto it =
      std::lower_bound(all.begin(), all.end(), id, [](const kpi_info &k, kpi_id x) { return k.id < x; });
  return it == all.end() || it->id != id ? nullptr : &*it;
}

std::string num(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

[[noreturn]] void invalid(const std::string &message) {
  throw error(errc::invalid_argument, message);
}

void require_whole_seconds(double x, const char *name) {
  if (!(std::isfinite(x) && x >= 0 && x == std::floor(x) && x < 4611686018427387904.0))
    invalid(std::string("kpi_params.") + name + " must be a whole number of seconds >= 0, got " + num(x));
}

void require_positive(double x, double at_most, const char *name) {
  if (!(std::isfinite(x) && x > 0 && x <= at_most))
    invalid(std::string("kpi_params.") + name + " must be a finite number > 0 and <= " + num(at_most) +
            ", got " + num(x));
}

template <class E>
void require_enum(E v, int last, const char *name) {
  const auto i = static_cast<int>(v);
  if (i < 0 || i > last)
    invalid(std::string("kpi_params.") + name + " must be between 0 and " + std::to_string(last) + ", got " +
            std::to_string(i));
}

}  // namespace

std::span<const kpi_info> catalog() {
  return all_kpis();
}

const kpi_info &info(kpi_id id) {
  if (const kpi_info *k = find_by_id(id)) return *k;
  throw error(errc::unknown_kpi, "unknown KPI id " + std::to_string(static_cast<std::int32_t>(id)));
}

const kpi_info *find_kpi(std::string_view name) noexcept {
  for (const kpi_info &k : all_kpis())
    if (k.name == name) return &k;
  return nullptr;
}

const kpi_info &info(std::string_view name) {
  if (const kpi_info *k = find_kpi(name)) return *k;
  throw error(errc::unknown_kpi, "unknown KPI '" + std::string(name) + "' (see `kpi kpis` for the catalog)");
}

const char *to_string(unit u) noexcept {
  switch (u) {
    case unit::count:
      return "count";
    case unit::rate:
      return "rate";
    case unit::ratio:
      return "ratio";
    case unit::seconds:
      return "seconds";
    case unit::days:
      return "days";
    case unit::money:
      return "money";
    case unit::score:
      return "score";
  }
  return "unknown";
}

void kpi_params::validate() const {
  require_whole_seconds(short_call_threshold_s, "short_call_threshold_s");
  require_whole_seconds(service_level_threshold_s, "service_level_threshold_s");
  require_enum(service_level_formula, 4, "service_level_formula");
  require_whole_seconds(short_abandon_threshold_s, "short_abandon_threshold_s");
  require_positive(repeat_call_window_days, 36500, "repeat_call_window_days");
  require_positive(callback_window_hours, 876000, "callback_window_hours");
  require_enum(revenue_per_call_denominator, 2, "revenue_per_call_denominator");
  require_enum(lead_to_opportunity_mode, 1, "lead_to_opportunity_mode");
  require_enum(win_rate_mode, 1, "win_rate_mode");
  require_enum(sales_growth_base, 1, "sales_growth_base");
  if (find_by_id(sales_growth_of) == nullptr)
    invalid("kpi_params.sales_growth_of: unknown KPI id " +
            std::to_string(static_cast<int>(sales_growth_of)));
  require_enum(churn_formula, 1, "churn_formula");
  require_enum(marketing_roi_basis, 1, "marketing_roi_basis");
  if (clv_margin && !std::isfinite(*clv_margin))
    invalid("kpi_params.clv_margin must be a finite amount, got " + num(*clv_margin));
  if (clv_retention && !(*clv_retention >= 0 && *clv_retention < 1))
    invalid("kpi_params.clv_retention must be in [0, 1), got " + num(*clv_retention));
  if (!(std::isfinite(clv_discount) && clv_discount >= 0))
    invalid("kpi_params.clv_discount must be a finite number >= 0, got " + num(clv_discount));
  if (!(std::isfinite(churn_inactivity_days) && churn_inactivity_days >= 0 && churn_inactivity_days <= 36500))
    invalid(
        "kpi_params.churn_inactivity_days must be 0 (contractual churn) or a number of days in (0, 36500], "
        "got " +
        num(churn_inactivity_days));
  if (control_revenue && !(std::isfinite(*control_revenue) && *control_revenue >= 0))
    invalid("kpi_params.control_revenue must be a finite amount >= 0, got " + num(*control_revenue));
  if (!(std::isfinite(control_size) && control_size > 0))
    invalid("kpi_params.control_size must be a finite number > 0, got " + num(control_size));
  if (!(std::isfinite(treated_size) && treated_size > 0))
    invalid("kpi_params.treated_size must be a finite number > 0, got " + num(treated_size));
}

}  // namespace kpi
