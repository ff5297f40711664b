// group_state::merge and evaluate() (include/kpi/state.hpp).
#include "kpi/state.hpp"

#include <string>
#include <utility>

#include "kpi/error.hpp"

namespace kpi {

void group_state::merge(const group_state &other) {
  // Copy and swap: a family merge may throw (different currencies, different caller tracking) after
  // others succeeded; the state must then be left as it was.
  group_state merged = *this;
  merged.calls.merge(other.calls);
  merged.orders.merge(other.orders);
  merged.leads.merge(other.leads);
  merged.opportunities.merge(other.opportunities);
  merged.customers.merge(other.customers);
  merged.spend.merge(other.spend);
  *this = std::move(merged);
}

value evaluate(kpi_id id, const kpi_context &ctx) {
  const kpi_info &k = info(id);  // throws unknown_kpi
  if (k.evaluate == nullptr)
    throw error(
        errc::invalid_argument,
        "KPI '" + std::string(k.name) + "' is not computed from a window's records (see its own function)");
  return k.evaluate(ctx);
}

}  // namespace kpi
