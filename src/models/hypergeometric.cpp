// The Gauss hypergeometric function 2F1 on [0, 1).
//
// Boost.Math 1.74 has hypergeometric_pFq, a generic summation of the power series. It applies no
// transformation near z = 1, where the series needs ~log(eps)/log(z) terms (35,000 at z = 0.999) and
// the CLV sums call 2F1 a dozen times per customer. So 2F1 is written here: the plain series up to
// z = 0.9 and the 1 - z connection formula above it. The tests check it against closed forms and
// against Boost's pFq.
#include "kpi/models/hypergeometric.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <string>

#include "kpi/error.hpp"
#include "models/detail.hpp"

namespace kpi::models {
namespace {

constexpr double kTailTolerance = 1e-17;  // series stops when its bounded tail is below this * |sum|
constexpr int kMaxTerms = 1'000'000;
constexpr double kConnectionAbove = 0.9;  // z above which the 1 - z connection formula is used
constexpr double kIntegerGap = 1e-5;      // c - a - b closer than this to an integer: interpolate

bool is_non_positive_integer(double v) {
  return v <= 0 && v == std::floor(v);
}

// sum_n (a)_n (b)_n / ((c)_n n!) z^n for |z| < 1, c not a non-positive integer.
double series(double a, double b, double c, double z) {
  double sum = 1;
  double term = 1;
  // Past this index a + n, b + n and c + n are positive and the term ratio is monotone in n, so the
  // tail after term n is bounded by |term| q / (1 - q) with q = max(next ratio, z).
  const double settled = std::max({std::abs(a), std::abs(b), std::abs(c)}) + 2;
  for (int n = 0; n < kMaxTerms; ++n) {
    const double dn = n;
    term *= (a + dn) * (b + dn) / ((c + dn) * (dn + 1)) * z;
    sum += term;
    if (term == 0) return sum;  // a or b is a non-positive integer: a polynomial
    if (dn > settled) {
      const double next = std::abs((a + dn + 1) * (b + dn + 1) / ((c + dn + 1) * (dn + 2))) * z;
      const double q = std::max(next, z);
      if (q < 1 && std::abs(term) * q / (1 - q) <= kTailTolerance * std::abs(sum)) return sum;
    }
  }
  throw error(errc::no_convergence, "hyp2f1: the hypergeometric series did not converge in " +
                                        std::to_string(kMaxTerms) + " terms");
}

// sign * exp(log|Gamma(x)|), as a log and a sign; x not a non-positive integer.
double log_abs_gamma(double x, int &sign) {
  return boost::math::lgamma(x, &sign);
}

// Abramowitz & Stegun 15.3.6, for c - a - b = m not an integer:
//   2F1(a,b;c;z) = G(c)G(m)/(G(c-a)G(c-b)) 2F1(a,b;1-m;w) + w^m G(c)G(-m)/(G(a)G(b)) 2F1(c-a,c-b;1+m;w)
// with w = 1 - z. A term whose 1/Gamma factor has a pole (a non-positive integer argument) is zero.
double connection(double a, double b, double c, double w) {
  const double m = c - a - b;
  int s_c = 1;
  const double lg_c = log_abs_gamma(c, s_c);
  double result = 0;
  if (!is_non_positive_integer(c - a) && !is_non_positive_integer(c - b)) {
    int s_m = 1, s_ca = 1, s_cb = 1;
    const double log_coef =
        lg_c + log_abs_gamma(m, s_m) - log_abs_gamma(c - a, s_ca) - log_abs_gamma(c - b, s_cb);
    result += s_c * s_m * s_ca * s_cb * std::exp(log_coef) * series(a, b, 1 - m, w);
  }
  if (!is_non_positive_integer(a) && !is_non_positive_integer(b)) {
    int s_m = 1, s_a = 1, s_b = 1;
    const double log_coef =
        m * std::log(w) + lg_c + log_abs_gamma(-m, s_m) - log_abs_gamma(a, s_a) - log_abs_gamma(b, s_b);
    result += s_c * s_m * s_a * s_b * std::exp(log_coef) * series(c - a, c - b, 1 + m, w);
  }
  return result;
}

}  // namespace

namespace detail {

double hyp2f1(double a, double b, double c, double z, double w) {
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c) || !std::isfinite(z))
    throw error(errc::invalid_argument, "hyp2f1: arguments must be finite");
  if (!(z >= 0 && z < 1))
    throw error(errc::invalid_argument, "hyp2f1: z = " + std::to_string(z) + " is outside [0, 1)");
  if (is_non_positive_integer(c))
    throw error(errc::invalid_argument,
                "hyp2f1: c = " + std::to_string(c) + " is a non-positive integer (a pole)");
  if (z == 0) return 1;
  double value = 0;
  if (z <= kConnectionAbove || is_non_positive_integer(a) || is_non_positive_integer(b)) {
    value = series(a, b, c, z);
  } else {
    const double m = c - a - b;
    const double k = std::round(m);
    if (std::abs(m - k) >= kIntegerGap) {
      value = connection(a, b, c, w);
    } else {
      // The formula degenerates at integer m (Gamma(m) or Gamma(-m) has a pole and the two terms
      // cancel). 2F1 is analytic in c, so interpolate with the cubic through m = k - 3h, k - h, k + h,
      // k + 3h: the interpolation error is O(h^4 log^4 w) and negligible, the cancellation at each
      // node costs ~eps / h = 2e-11 relative.
      const double u = (m - k) / kIntegerGap;  // in (-1, 1)
      constexpr double nodes[4] = {-3, -1, 1, 3};
      value = 0;
      for (int j = 0; j < 4; ++j) {
        double weight = 1;
        for (int i = 0; i < 4; ++i)
          if (i != j) weight *= (u - nodes[i]) / (nodes[j] - nodes[i]);
        value += weight * connection(a, b, c + (nodes[j] - u) * kIntegerGap, w);
      }
    }
  }
  if (!std::isfinite(value))
    throw error(errc::overflow, "hyp2f1: the value is not representable as a double");
  return value;
}

}  // namespace detail

double hyp2f1(double a, double b, double c, double z) {
  return detail::hyp2f1(a, b, c, z, 1 - z);
}

}  // namespace kpi::models
