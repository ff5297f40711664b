// group_state: a roll-up across two currencies answers every KPI that does not need the mixed family,
// and refuses (errc::currency_mismatch) those that do, whatever the order of the merges.
#include <gtest/gtest.h>

#include "kpi/error.hpp"
#include "kpi/state.hpp"

namespace {

kpi::timestamp at(std::int64_t ms) {
  return kpi::timestamp(std::chrono::milliseconds(ms));
}

kpi::group_state window(const char *agent, const char *currency_code, std::int64_t amount_minor) {
  kpi::group_state s;
  kpi::call_record call;
  call.call_id = std::string("c-") + agent;
  call.agent_id = agent;
  call.direction = kpi::direction::outbound;
  call.outcome = kpi::call_outcome::connected;
  call.start = at(1795399200000);
  call.talk_s = 300;
  s.calls.add(call, 20415);
  kpi::order_record order;
  order.order_id = std::string("o-") + agent;
  order.agent_id = agent;
  order.time = at(1795399200000);
  order.amount = kpi::money{amount_minor, kpi::currency::of(currency_code)};
  s.orders.add(order);
  return s;
}

kpi::value kpi_of(kpi::kpi_id id, const kpi::group_state &s) {
  const kpi::group_state empty;
  const kpi::kpi_params params;
  return kpi::evaluate(id, kpi::kpi_context(s, empty, params));
}

}  // namespace

TEST(GroupState, RollUpAcrossCurrenciesKeepsOtherFamiliesAnswerable) {
  kpi::group_state all = window("A1", "IDR", 85000000);  // Rp850,000.00
  all.merge(window("A2", "USD", 5000));                  // US$50.00
  EXPECT_EQ(all.mixed_currency_families, static_cast<std::uint32_t>(kpi::family_orders));
  // Calls do not care: 2 calls, both connected.
  EXPECT_EQ(kpi_of(kpi::kpi_id::calls, all), 2.0);
  EXPECT_EQ(kpi_of(kpi::kpi_id::connection_rate, all), 1.0);
  // Anything built on orders is refused, counts included (the order family was not merged).
  for (kpi::kpi_id id : {kpi::kpi_id::sales_revenue, kpi::kpi_id::orders, kpi::kpi_id::revenue_per_call}) {
    try {
      (void)kpi_of(id, all);
      ADD_FAILURE() << "expected currency_mismatch for " << kpi::info(id).name;
    } catch (const kpi::error &e) {
      EXPECT_EQ(e.code(), kpi::errc::currency_mismatch);
      EXPECT_NE(std::string(e.what()).find("several currencies"), std::string::npos);
    }
  }
}

TEST(GroupState, MixedMarkIsOrderIndependent) {
  kpi::group_state left = window("A1", "IDR", 100);
  left.merge(window("A2", "USD", 100));
  left.merge(window("A3", "IDR", 100));
  kpi::group_state right = window("A3", "IDR", 100);
  right.merge(window("A1", "IDR", 100));
  EXPECT_EQ(right.mixed_currency_families, 0u);
  EXPECT_EQ(kpi_of(kpi::kpi_id::orders, right), 2.0);
  right.merge(window("A2", "USD", 100));
  EXPECT_EQ(left.mixed_currency_families, right.mixed_currency_families);
  EXPECT_EQ(kpi_of(kpi::kpi_id::calls, left), kpi_of(kpi::kpi_id::calls, right));
}

TEST(GroupState, SameCurrencyMergesNormally) {
  kpi::group_state all = window("A1", "IDR", 85000000);
  all.merge(window("A2", "IDR", 15000000));
  EXPECT_EQ(all.mixed_currency_families, 0u);
  EXPECT_EQ(kpi_of(kpi::kpi_id::sales_revenue, all), 1000000.0);  // Rp850,000 + Rp150,000
  EXPECT_EQ(kpi_of(kpi::kpi_id::avg_purchase_value, all), 500000.0);
}
