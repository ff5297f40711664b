// Predictive CLV: explicit time units, discounting, composition from the two models.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/models/clv.hpp"
#include "test_util.hpp"

namespace m = kpi::models;

namespace {

const std::string kCdnow = std::string(KPI_SHARED_DATA_DIR) + "/cdnow/";
constexpr m::bgnbd_params kBg{0.243, 4.414, 0.793, 2.426};
constexpr m::gamma_gamma_params kGg{6.25, 3.74, 15.44};
// CDNOW customer 1: 2 repeat purchases, the last at week 30.43, 38.86 weeks old, $22.35 a repeat.
const m::customer_summary kCustomer{"1", 2, 30.43, 38.86, 22.35};

double expected_y(double t) {
  return m::bgnbd_conditional_expected_purchases(kBg, t, 2, 30.43, 38.86);
}

}  // namespace

// A month is 4.345 weeks (52.14 / 12), or 30.415 days (4.345 * 7), never "30 units".
TEST(Clv, UnitsPerMonth) {
  EXPECT_EQ(m::units_per_month(m::time_unit::week), 4.345);
  EXPECT_DOUBLE_EQ(m::units_per_month(m::time_unit::day), 30.415);
}

// A model fitted in weeks: the month-k purchases are E[Y(4.345 k)] - E[Y(4.345 (k-1))], k = 1, 2, 3:
//   CLV = E[M] (Y(4.345) / 1.01 + (Y(8.69) - Y(4.345)) / 1.01^2 + (Y(13.035) - Y(8.69)) / 1.01^3).
// The lifetimes bug (30 units a month) would sum to week 90 instead of week 13.035.
TEST(Clv, WeeklyModelUsesFourPointThreeFourFiveWeeksAMonth) {
  m::clv_options o;
  o.horizon_months = 3;
  o.monthly_discount = 0.01;
  o.unit = m::time_unit::week;
  const double em = *m::gamma_gamma_expected_value(kGg, 2, 22.35);
  const double y1 = expected_y(4.345), y2 = expected_y(8.69), y3 = expected_y(13.035);
  const double want = em * (y1 / 1.01 + (y2 - y1) / (1.01 * 1.01) + (y3 - y2) / (1.01 * 1.01 * 1.01));
  EXPECT_NEAR(*m::clv(kBg, kGg, kCustomer, o), want, 1e-12);
  m::clv_options thirty = o;
  thirty.units_per_month = 30;
  EXPECT_GT(*m::clv(kBg, kGg, kCustomer, thirty), 3 * want);  // the wrong horizon inflates CLV
}

// With no discount the sum telescopes: CLV = E[M] * E[Y(H f)].
TEST(Clv, UndiscountedSumTelescopes) {
  m::clv_options o;
  o.horizon_months = 12;
  o.monthly_discount = 0;
  const double em = *m::gamma_gamma_expected_value(kGg, 2, 22.35);
  EXPECT_NEAR(*m::clv(kBg, kGg, kCustomer, o), em * expected_y(12 * 4.345), 1e-12);
  o.horizon_months = 0;
  EXPECT_EQ(*m::clv(kBg, kGg, kCustomer, o), 0.0);
}

// The same transactions summarized in days and in weeks give the same CLV, because the day model's
// alpha is 7 times the week model's and its month is 7 times longer.
TEST(Clv, DayAndWeekModelsAgree) {
  std::ifstream raw(kCdnow + "CDNOW_sample.txt");
  ASSERT_TRUE(raw);
  const auto tx = m::read_transactions(raw, "CDNOW_sample.txt");
  m::summary_options so;
  so.calibration_end_ms = 875577600000;  // 1997-09-30
  so.unit = m::time_unit::week;
  const auto weeks = m::summarize(tx, so);
  so.unit = m::time_unit::day;
  const auto days = m::summarize(tx, so);
  m::clv_options o;
  o.unit = m::time_unit::week;
  const auto w = m::analyze_customers(weeks, o);
  o.unit = m::time_unit::day;
  const auto d = m::analyze_customers(days, o);
  ASSERT_EQ(w.customers.size(), d.customers.size());
  EXPECT_NEAR(d.purchases.params.alpha / w.purchases.params.alpha, 7.0, 1e-4);
  for (std::size_t i = 0; i < w.customers.size(); i += 97) {
    EXPECT_NEAR(d.customers[i].p_alive, w.customers[i].p_alive, 1e-5);
    EXPECT_NEAR(d.customers[i].expected_purchases, w.customers[i].expected_purchases, 1e-4);
    EXPECT_NEAR(*d.customers[i].clv, *w.customers[i].clv, 1e-3 * (1 + *w.customers[i].clv));
  }
}

// Both fits and every customer's scores on the CDNOW sample summary.
TEST(Clv, AnalyzeCdnowSample) {
  std::ifstream in(kCdnow + "cdnow_customers_summary_with_transactions.csv");
  const auto customers = m::read_summary(in, "cdnow_customers_summary_with_transactions.csv");
  const auto report = m::analyze_customers(customers);
  EXPECT_NEAR(report.purchases.params.r, 0.243, 0.0005);
  ASSERT_TRUE(report.value.has_value());
  EXPECT_NEAR(report.value->params.p, 6.25, 0.005);
  ASSERT_EQ(report.customers.size(), 2357u);
  const auto &first = report.customers[0];
  EXPECT_EQ(first.id, "1");
  EXPECT_EQ(first.p_alive, m::bgnbd_p_alive(report.purchases.params, 2, 30.43, 38.86));
  EXPECT_EQ(first.expected_purchases,
            m::bgnbd_conditional_expected_purchases(report.purchases.params, 12 * 4.345, 2, 30.43, 38.86));
  EXPECT_EQ(*first.expected_value, *m::gamma_gamma_expected_value(report.value->params, 2, 22.35));
  EXPECT_EQ(*first.clv, *m::clv(report.purchases.params, report.value->params, customers[0]));
  // Customer 3 has no repeat purchase: P(alive) = 1 and E[M] is the population mean p gamma / (q - 1).
  EXPECT_EQ(report.customers[2].p_alive, 1.0);
  const auto &gg = report.value->params;
  EXPECT_NEAR(*report.customers[2].expected_value, gg.p * gg.gamma / (gg.q - 1), 1e-12);
}

// Without a value model (fewer than two repeat buyers) the value and the CLV are undefined, not 0.
TEST(Clv, UndefinedWithoutValueModel) {
  const std::vector<m::customer_summary> customers{
      {"a", 0, 0, 10, 0}, {"b", 1, 3, 10, 5}, {"c", 0, 0, 8, 0}, {"d", 0, 0, 9, 0}, {"e", 0, 0, 7, 0}};
  const auto scores = m::score_customers(kBg, std::nullopt, customers);
  ASSERT_EQ(scores.size(), 5u);
  EXPECT_FALSE(scores[1].expected_value.has_value());
  EXPECT_FALSE(scores[1].clv.has_value());
  EXPECT_GT(scores[1].expected_purchases, 0.0);
  // A value model without a finite mean (q <= 1) leaves x = 0 customers undefined too.
  EXPECT_FALSE(m::clv(kBg, {6.25, 0.9, 15.44}, customers[0]).has_value());
}

TEST(Clv, RejectsInvalidOptions) {
  m::clv_options o;
  o.horizon_months = -1;
  EXPECT_EQ(code_of([&] { m::clv(kBg, kGg, kCustomer, o); }), kpi::errc::invalid_argument);
  o = {};
  o.monthly_discount = -0.01;
  EXPECT_EQ(code_of([&] { m::clv(kBg, kGg, kCustomer, o); }), kpi::errc::invalid_argument);
  o = {};
  o.units_per_month = NAN;
  EXPECT_EQ(code_of([&] { m::clv(kBg, kGg, kCustomer, o); }), kpi::errc::invalid_argument);
  o = {};
  o.unit = static_cast<m::time_unit>(7);
  EXPECT_EQ(code_of([&] { m::clv(kBg, kGg, kCustomer, o); }), kpi::errc::invalid_argument);
  const m::customer_summary late{"late", 1, 50, 40, 10};
  EXPECT_EQ(code_of([&] { m::clv(kBg, kGg, late); }), kpi::errc::invalid_argument);
}
