// Tests of the KPI registry (kpi/catalog.hpp, src/catalog.cpp) and of evaluate() (kpi/state.hpp).
#include "kpi/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kpi/error.hpp"
#include "kpi/state.hpp"

namespace {

#define EXPECT_KPI_ERROR(expr, want_code, needle)                                             \
  do {                                                                                        \
    try {                                                                                     \
      (void)(expr);                                                                           \
      ADD_FAILURE() << #expr " did not throw";                                                \
    } catch (const kpi::error &caught) {                                                      \
      EXPECT_EQ(caught.code(), want_code) << caught.what();                                   \
      EXPECT_NE(std::string(caught.what()).find(needle), std::string::npos) << caught.what(); \
    }                                                                                         \
  } while (0)

// Every enumerator of kpi::kpi_id, written out from include/kpi/catalog.hpp.
const std::vector<int> all_ids = {
    1,   2,   3,   4,   5,   6,   7,   8,   9,   10,  11,  12,  13,  14,  15,  16,  17,
    18,  19,  20,  21,  22,  23,  24,  25,                                                // calls
    100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115,       // sales
    200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216,  // funnel
    300, 301, 302, 303, 304, 305, 306, 307, 308, 309};                                    // customers

TEST(Catalog, EveryIdOnceSortedWithValidNames) {
  const auto cat = kpi::catalog();
  ASSERT_EQ(cat.size(), all_ids.size());  // 25 + 16 + 17 + 10 = 68
  std::vector<int> ids;
  std::set<std::string_view> names;
  const std::regex snake("^[a-z0-9_]+$");
  for (const kpi::kpi_info &k : cat) {
    ids.push_back(static_cast<int>(k.id));
    EXPECT_TRUE(names.insert(k.name).second) << "duplicate name " << k.name;
    EXPECT_TRUE(std::regex_match(std::string(k.name), snake)) << k.name;
    EXPECT_FALSE(k.description.empty()) << k.name;
    EXPECT_FALSE(k.formula.empty()) << k.name;
    EXPECT_NE(k.families, 0u) << k.name;
    // The C ABI hands out .data() as C strings: each must be NUL-terminated (string literals are).
    EXPECT_EQ(k.name.data()[k.name.size()], '\0') << k.name;
    EXPECT_EQ(k.formula.data()[k.formula.size()], '\0') << k.name;
    EXPECT_EQ(k.description.data()[k.description.size()], '\0') << k.name;
    EXPECT_EQ(k.variants.data()[k.variants.size()], '\0') << k.name;
    EXPECT_STRNE(kpi::to_string(k.unit), "unknown") << k.name;
  }
  EXPECT_EQ(ids, all_ids);  // same ids, in increasing order, none twice
}

TEST(Catalog, CallFamilyRows) {
  for (int id = 1; id <= 25; ++id) {
    const kpi::kpi_info &k = kpi::info(static_cast<kpi::kpi_id>(id));
    EXPECT_NE(k.evaluate, nullptr) << k.name;
    const std::uint32_t want = id >= 24 ? (kpi::family_calls | kpi::family_orders) : kpi::family_calls;
    EXPECT_EQ(k.families, want) << k.name;
  }
  EXPECT_EQ(kpi::info(kpi::kpi_id::connection_rate).name, "connection_rate");
  EXPECT_EQ(kpi::info(kpi::kpi_id::connection_rate).unit, kpi::unit::rate);
  EXPECT_EQ(kpi::info(kpi::kpi_id::aht_s).unit, kpi::unit::seconds);
  EXPECT_EQ(kpi::info(kpi::kpi_id::revenue_per_call).unit, kpi::unit::money);
  EXPECT_EQ(kpi::info(kpi::kpi_id::calls).unit, kpi::unit::count);
}

TEST(Catalog, Lookups) {
  EXPECT_EQ(kpi::info("service_level").id, kpi::kpi_id::service_level);
  EXPECT_EQ(kpi::find_kpi("win_rate")->id, kpi::kpi_id::win_rate);
  EXPECT_EQ(kpi::find_kpi("no_such_kpi"), nullptr);
  EXPECT_EQ(kpi::find_kpi(""), nullptr);
  EXPECT_EQ(kpi::find_kpi("Connection_Rate"), nullptr);  // exact, case-sensitive
  EXPECT_KPI_ERROR(kpi::info("no_such_kpi"), kpi::errc::unknown_kpi, "no_such_kpi");
  EXPECT_KPI_ERROR(kpi::info(static_cast<kpi::kpi_id>(26)), kpi::errc::unknown_kpi, "26");
  EXPECT_KPI_ERROR(kpi::info(static_cast<kpi::kpi_id>(0)), kpi::errc::unknown_kpi, "0");
  EXPECT_KPI_ERROR(kpi::info(static_cast<kpi::kpi_id>(-1)), kpi::errc::unknown_kpi, "-1");
  for (const kpi::kpi_info &k : kpi::catalog()) {
    EXPECT_EQ(&kpi::info(k.id), &k);
    EXPECT_EQ(kpi::find_kpi(k.name), &k);
  }
}

TEST(Catalog, UnitNames) {
  EXPECT_STREQ(kpi::to_string(kpi::unit::count), "count");
  EXPECT_STREQ(kpi::to_string(kpi::unit::rate), "rate");
  EXPECT_STREQ(kpi::to_string(kpi::unit::ratio), "ratio");
  EXPECT_STREQ(kpi::to_string(kpi::unit::seconds), "seconds");
  EXPECT_STREQ(kpi::to_string(kpi::unit::days), "days");
  EXPECT_STREQ(kpi::to_string(kpi::unit::money), "money");
  EXPECT_STREQ(kpi::to_string(kpi::unit::score), "score");
  EXPECT_STREQ(kpi::to_string(static_cast<kpi::unit>(99)), "unknown");
}

TEST(Catalog, EvaluateErrors) {
  const kpi::group_state empty;
  const kpi::kpi_params p;
  const kpi::kpi_context ctx(empty, empty, p);
  EXPECT_KPI_ERROR(kpi::evaluate(static_cast<kpi::kpi_id>(99), ctx), kpi::errc::unknown_kpi, "99");
  EXPECT_KPI_ERROR(kpi::evaluate(kpi::kpi_id::opportunity_score, ctx), kpi::errc::invalid_argument,
                   "opportunity_score");
  // Every windowed KPI evaluates on an empty window without throwing; the call counts are 0 and the
  // call rates undefined.
  for (const kpi::kpi_info &k : kpi::catalog()) {
    if (k.evaluate != nullptr) {
      EXPECT_NO_THROW((void)kpi::evaluate(k.id, ctx)) << k.name;
    }
  }
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::calls, ctx), 0.0);
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::connection_rate, ctx), std::nullopt);
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::revenue_per_call, ctx), std::nullopt);
}

TEST(KpiParams, DefaultsAreValid) {
  EXPECT_NO_THROW(kpi::kpi_params{}.validate());
}

TEST(KpiParams, EachBadValueIsNamed) {
  auto bad = [](auto change, const char *name) {
    kpi::kpi_params p;
    change(p);
    EXPECT_KPI_ERROR(p.validate(), kpi::errc::invalid_argument, name);
  };
  bad([](kpi::kpi_params &p) { p.short_call_threshold_s = 119.5; }, "short_call_threshold_s");
  bad([](kpi::kpi_params &p) { p.short_call_threshold_s = -1; }, "short_call_threshold_s");
  bad([](kpi::kpi_params &p) { p.service_level_threshold_s = std::nan(""); }, "service_level_threshold_s");
  bad([](kpi::kpi_params &p) { p.service_level_formula = static_cast<kpi::service_level_variant>(5); },
      "service_level_formula");
  bad([](kpi::kpi_params &p) { p.short_abandon_threshold_s = 2.5; }, "short_abandon_threshold_s");
  bad([](kpi::kpi_params &p) { p.repeat_call_window_days = 0; }, "repeat_call_window_days");
  bad([](kpi::kpi_params &p) { p.callback_window_hours = -3; }, "callback_window_hours");
  bad([](kpi::kpi_params &p) { p.revenue_per_call_denominator = static_cast<kpi::calls_denominator>(3); },
      "revenue_per_call_denominator");
  bad([](kpi::kpi_params &p) { p.lead_to_opportunity_mode = static_cast<kpi::funnel_mode>(2); },
      "lead_to_opportunity_mode");
  bad([](kpi::kpi_params &p) { p.win_rate_mode = static_cast<kpi::funnel_mode>(-1); }, "win_rate_mode");
  bad([](kpi::kpi_params &p) { p.sales_growth_base = static_cast<kpi::growth_base>(2); },
      "sales_growth_base");
  bad([](kpi::kpi_params &p) { p.sales_growth_of = static_cast<kpi::kpi_id>(42); }, "sales_growth_of");
  bad([](kpi::kpi_params &p) { p.churn_formula = static_cast<kpi::churn_denominator>(2); }, "churn_formula");
  bad([](kpi::kpi_params &p) { p.marketing_roi_basis = static_cast<kpi::roi_basis>(2); },
      "marketing_roi_basis");
  bad([](kpi::kpi_params &p) { p.clv_margin = std::numeric_limits<double>::infinity(); }, "clv_margin");
  bad([](kpi::kpi_params &p) { p.clv_retention = 1.0; }, "clv_retention");
  bad([](kpi::kpi_params &p) { p.clv_discount = -0.01; }, "clv_discount");
  // Boundaries that are valid.
  kpi::kpi_params ok;
  ok.short_call_threshold_s = 0;
  ok.clv_retention = 0.0;
  ok.clv_margin = -5.0;  // a loss-making customer is a valid margin
  ok.clv_discount = 0;
  EXPECT_NO_THROW(ok.validate());
}

}  // namespace
