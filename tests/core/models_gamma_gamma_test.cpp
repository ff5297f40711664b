// Gamma-Gamma against the published CDNOW estimates, Hardie's spreadsheet (note 025), hand computations
// and simulated data.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/models/gamma_gamma.hpp"
#include "kpi/models/summary.hpp"
#include "test_util.hpp"

namespace m = kpi::models;

namespace {

std::vector<m::customer_summary> cdnow_with_value() {
  std::ifstream in(std::string(KPI_SHARED_DATA_DIR) + "/cdnow/cdnow_customers_summary_with_transactions.csv");
  EXPECT_TRUE(in);
  return m::read_summary(in, "cdnow_customers_summary_with_transactions.csv");
}

}  // namespace

// Fader & Hardie (note 025) on the 946 repeat buyers of the CDNOW sample: p = 6.25, q = 3.74,
// gamma = 15.44. domain-notes §5.3: an independent refit reached LL = -4055.92.
TEST(GammaGamma, CdnowReproducesPublishedEstimates) {
  const auto fit = m::fit_gamma_gamma(cdnow_with_value());
  EXPECT_EQ(fit.customers, 946);
  EXPECT_NEAR(fit.params.p, 6.25, 0.005);
  EXPECT_NEAR(fit.params.q, 3.74, 0.005);
  EXPECT_NEAR(fit.params.gamma, 15.44, 0.01);
  EXPECT_NEAR(fit.loglik, -4055.92, 0.005);
}

// Hardie's Gamma-Gamma spreadsheet (note 025), E[M] of the first ten CDNOW customers at the published
// estimates, as pinned by lifetimes' test_conditional_expected_average_profit (to 0.1, the precision the
// rounded parameters allow). Customers 3, 4, 5, 8, 10 have x = 0 and get the population mean.
TEST(GammaGamma, ExpectedValueMatchesHardieSpreadsheet) {
  const auto customers = cdnow_with_value();
  const m::gamma_gamma_params published{6.25, 3.74, 15.44};
  const double expected[] = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
  for (int i = 0; i < 10; ++i) {
    const auto v = m::gamma_gamma_expected_value(published, customers[i].x, customers[i].zbar);
    ASSERT_TRUE(v.has_value());
    EXPECT_NEAR(*v, expected[i], 0.1) << "customer " << customers[i].id;
  }
}

// E[M] = p (gamma + x zbar) / (p x + q - 1). p = 2, q = 3, gamma = 10:
//   x = 4, zbar = 5: 2 (10 + 20) / (8 + 3 - 1) = 60 / 10 = 6
//   x = 0:           the population mean p gamma / (q - 1) = 20 / 2 = 10
TEST(GammaGamma, ExpectedValueByHand) {
  const m::gamma_gamma_params p{2, 3, 10};
  EXPECT_DOUBLE_EQ(*m::gamma_gamma_expected_value(p, 4, 5), 6.0);
  EXPECT_DOUBLE_EQ(*m::gamma_gamma_expected_value(p, 0, 0), 10.0);
}

// No finite mean when p x + q <= 1: q = 1 and x = 0 (1 - 1 = 0); p = 0.2, q = 0.5, x = 2 (0.4 + 0.5 < 1).
TEST(GammaGamma, ExpectedValueUndefinedWithoutFiniteMean) {
  EXPECT_FALSE(m::gamma_gamma_expected_value({6.25, 1.0, 15.44}, 0, 0).has_value());
  EXPECT_FALSE(m::gamma_gamma_expected_value({0.2, 0.5, 15.44}, 2, 30).has_value());
  EXPECT_TRUE(m::gamma_gamma_expected_value({0.2, 0.5, 15.44}, 3, 30).has_value());  // 0.6 + 0.5 > 1
}

// One customer, p = q = gamma = 1, x = 1, zbar = 1:
//   f = Gamma(2) / (Gamma(1) Gamma(1)) * 1^1 * 1^0 * 1^1 / (1 + 1)^2 = 1/4  -> ln f = -1.386294...
// Customers with x = 0 (or zbar = 0) do not enter the likelihood.
TEST(GammaGamma, LoglikByHand) {
  const std::vector<m::customer_summary> customers{{"a", 1, 2, 3, 1}, {"b", 0, 0, 3, 0}, {"c", 2, 2, 3, 0}};
  EXPECT_NEAR(m::gamma_gamma_loglik({1, 1, 1}, customers), -1.3862943611198906, 1e-14);
}

// Simulated repeat buyers (x = 1..10, purchase values Gamma(p, nu), nu ~ Gamma(q, rate gamma)).
TEST(GammaGamma, FitRecoversSimulatedParameters) {
  const m::gamma_gamma_params truth{4.0, 3.0, 20.0};
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> nu_dist(truth.q, 1 / truth.gamma);
  std::vector<m::customer_summary> customers;
  for (int i = 0; i < 20000; ++i) {
    const double nu = nu_dist(rng);
    std::gamma_distribution<double> value(truth.p, 1 / nu);
    const int x = 1 + i % 10;
    double sum = 0;
    for (int k = 0; k < x; ++k) sum += value(rng);
    customers.push_back({std::to_string(i), double(x), 1, 2, sum / x});
  }
  const auto fit = m::fit_gamma_gamma(customers);
  EXPECT_NEAR(fit.params.p / truth.p, 1.0, 0.05);
  EXPECT_NEAR(fit.params.q / truth.q, 1.0, 0.1);
  EXPECT_NEAR(fit.params.gamma / truth.gamma, 1.0, 0.15);
  EXPECT_GE(fit.loglik, m::gamma_gamma_loglik(truth, customers));
}

TEST(GammaGamma, RejectsInvalidInput) {
  const std::vector<m::customer_summary> one{{"a", 1, 1, 2, 10}, {"b", 0, 0, 2, 0}};
  EXPECT_EQ(code_of([&] { m::fit_gamma_gamma(one); }), kpi::errc::invalid_argument);  // 1 repeat buyer
  const std::vector<m::customer_summary> negative{{"a", 1, 1, 2, -10}, {"b", 2, 1, 2, 5}, {"c", 1, 1, 2, 5}};
  EXPECT_EQ(code_of([&] { m::fit_gamma_gamma(negative); }), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of([] { m::gamma_gamma_expected_value({0, 1, 1}, 1, 1); }), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of([] { m::gamma_gamma_expected_value({1, 1, 1}, 1.5, 1); }), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of([] { m::gamma_gamma_expected_value({1, 1, 1}, 1, -1); }), kpi::errc::invalid_argument);
}
