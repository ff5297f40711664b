// 2F1 against closed forms (Abramowitz & Stegun 15.1.3-15.1.7) and against Boost.Math's generic pFq
// summation, an independent implementation.
#include <gtest/gtest.h>

#include <boost/math/special_functions/expm1.hpp>
#include <boost/math/special_functions/gamma.hpp>
// hypergeometric_pFq.hpp of Boost 1.74 uses lgamma and expm1 without including them.
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <limits>

#include "kpi/error.hpp"
#include "kpi/models/hypergeometric.hpp"

using kpi::models::hyp2f1;

namespace {

constexpr double kTolerance = 1e-9;  // the documented relative tolerance

void expect_relative(double got, double want, double tol = kTolerance) {
  EXPECT_NEAR(got / want, 1.0, tol) << "got " << got << ", want " << want;
}

kpi::errc code_of(double a, double b, double c, double z) {
  try {
    hyp2f1(a, b, c, z);
  } catch (const kpi::error &e) {
    return e.code();
  }
  return kpi::errc::ok;
}

}  // namespace

// 2F1(1, 1; 2; z) = -ln(1 - z) / z. Here c - a - b = 0 is an integer, the degenerate case of the
// 1 - z transformation, so z > 0.9 exercises the interpolation.
TEST(Hyp2f1, LogarithmClosedForm) {
  for (double z : {0.1, 0.5, 0.9, 0.9000001, 0.95, 0.999, 0.999999})
    expect_relative(hyp2f1(1, 1, 2, z), -std::log1p(-z) / z);
}

// 2F1(a, b; b; z) = (1 - z)^(-a); c - a - b = -a = -0.3.
TEST(Hyp2f1, PowerClosedForm) {
  for (double z : {0.3, 0.9, 0.97, 0.9999}) expect_relative(hyp2f1(0.3, 2.5, 2.5, z), std::pow(1 - z, -0.3));
}

// 2F1(1/2, 1/2; 3/2; y^2) = asin(y) / y (c - a - b = 1/2) and 2F1(1/2, 1; 3/2; y^2) = atanh(y) / y
// (c - a - b = 0, degenerate).
TEST(Hyp2f1, InverseTrigonometricClosedForms) {
  for (double z : {0.25, 0.81, 0.95, 0.99, 0.999999}) {
    const double y = std::sqrt(z);
    expect_relative(hyp2f1(0.5, 0.5, 1.5, z), std::asin(y) / y);
    expect_relative(hyp2f1(0.5, 1, 1.5, z), std::atanh(y) / y);
  }
}

// A non-positive integer a ends the series: 2F1(-2, 1.5; 2.5; 0.95)
//   = 1 + (-2)(1.5)/(2.5) 0.95 + (-2)(-1)(1.5)(2.5)/((2.5)(3.5) 2!) 0.95^2
//   = 1 - 1.14 + (7.5 / 17.5) 0.9025 = 0.24678571428571428...
TEST(Hyp2f1, TerminatingPolynomial) {
  expect_relative(hyp2f1(-2, 1.5, 2.5, 0.95), 0.24678571428571428, 1e-14);
}

TEST(Hyp2f1, ZeroArgumentIsOne) {
  EXPECT_EQ(hyp2f1(0.3, 4.5, 1.2, 0.0), 1.0);
}

// The parameters BG/NBD uses on CDNOW (r + x, b + x; a + b + x - 1 for x = 0, 2, 20) and two with
// sign changes, on both sides of the z = 0.9 switch, against Boost's summation of the same series.
TEST(Hyp2f1, MatchesBoostSeries) {
  const double params[][3] = {{0.243, 2.426, 2.219}, {2.243, 4.426, 4.219}, {20.243, 22.426, 22.219},
                              {1.4, 0.2, 3.1},       {0.5, 1.5, 0.7},       {1.876, -0.207, 2.219}};
  for (const auto &p : params) {
    for (double z : {0.3, 0.85, 0.9, 0.91, 0.95, 0.99}) {
      const double boost = boost::math::hypergeometric_pFq({p[0], p[1]}, {p[2]}, z);
      expect_relative(hyp2f1(p[0], p[1], p[2], z), boost);
    }
  }
}

TEST(Hyp2f1, RejectsArgumentsOutsideTheDomain) {
  EXPECT_EQ(code_of(1, 1, 2, 1.0), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of(1, 1, 2, -0.1), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of(1, 1, -2, 0.5), kpi::errc::invalid_argument);  // pole
  EXPECT_EQ(code_of(1, 1, 0, 0.5), kpi::errc::invalid_argument);   // pole
  EXPECT_EQ(code_of(std::numeric_limits<double>::quiet_NaN(), 1, 2, 0.5), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of(1, 1, 2, std::numeric_limits<double>::infinity()), kpi::errc::invalid_argument);
}
