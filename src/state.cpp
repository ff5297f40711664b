// group_state::merge and evaluate() (include/kpi/state.hpp).
#include "kpi/state.hpp"

#include <string>
#include <utility>

#include "kpi/error.hpp"

namespace kpi {

namespace {

// Merges one money family; when the two sides are in different currencies the family is left as it
// was and marked mixed, so that the other families of a roll-up can still be answered.
template <class Stats>
void merge_money(Stats &into, const Stats &from, std::uint32_t bit, group_state &state) {
  if (state.mixed_currency_families & bit) return;
  try {
    into.merge(from);
  } catch (const error &e) {
    if (e.code() != errc::currency_mismatch) throw;
    state.mixed_currency_families |= bit;
    if (state.mixed_currency_detail.empty()) state.mixed_currency_detail = e.what();
  }
}

const char *family_name(std::uint32_t bit) noexcept {
  switch (bit) {
    case family_orders:
      return "order";
    case family_opportunities:
      return "opportunity";
    case family_spend:
      return "spend";
    default:
      return "money";
  }
}

}  // namespace

void group_state::merge_in_place(const group_state &other) {
  mixed_currency_families |= other.mixed_currency_families;
  if (mixed_currency_detail.empty()) mixed_currency_detail = other.mixed_currency_detail;
  calls.merge(other.calls);
  merge_money(orders, other.orders, family_orders, *this);
  leads.merge(other.leads);
  merge_money(opportunities, other.opportunities, family_opportunities, *this);
  customers.merge(other.customers);
  merge_money(spend, other.spend, family_spend, *this);
  activity.merge(other.activity);
}

void group_state::merge(const group_state &other) {
  // Copy and swap: a family merge may throw (overflow, different caller tracking) after others
  // succeeded; the state must then be left as it was.
  group_state merged = *this;
  merged.merge_in_place(other);
  *this = std::move(merged);
}

value evaluate(kpi_id id, const kpi_context &ctx) {
  const kpi_info &k = info(id);  // throws unknown_kpi
  if (k.evaluate == nullptr)
    throw error(
        errc::invalid_argument,
        "KPI '" + std::string(k.name) + "' is not computed from a window's records (see its own function)");
  for (const group_state *s : {&ctx.window(), &ctx.before(), ctx.previous(), ctx.year_before()}) {
    if (s == nullptr) continue;
    if (const std::uint32_t clash = k.families & s->mixed_currency_families; clash != 0) {
      const std::uint32_t bit = clash & (~clash + 1);  // the lowest family at fault
      throw error(errc::currency_mismatch, "KPI '" + std::string(k.name) + "' needs " + family_name(bit) +
                                               " records that are in several currencies in this roll-up (" +
                                               s->mixed_currency_detail +
                                               "): give conversion rates or group by currency");
    }
  }
  return k.evaluate(ctx);
}

}  // namespace kpi
