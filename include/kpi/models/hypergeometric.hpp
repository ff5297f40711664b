/// @file
/// @brief The Gauss hypergeometric function 2F1 on [0, 1), as the BG/NBD model needs it.
#pragma once

namespace kpi::models {

/// The Gauss hypergeometric function 2F1(a, b; c; z) = sum_n (a)_n (b)_n / ((c)_n n!) z^n for real
/// parameters and 0 <= z < 1.
///
/// For z <= 0.9 the power series is summed until its bounded tail is below 1e-17 of the sum; for
/// z > 0.9 the linear transformation to 1 - z (Abramowitz & Stegun 15.3.6) is used, and where
/// c - a - b lies within 1e-5 of an integer k (where that formula degenerates) the value is the cubic
/// interpolation in c through c - a - b = k - 3e-5, k - 1e-5, k + 1e-5 and k + 3e-5.
///
/// Tolerance: relative error below 1e-9 wherever the terms of the series do not cancel (for example
/// a, b, c > 0, and every call the models of this library make); tested against closed forms and
/// Boost.Math's generic pFq summation.
///
/// @throws kpi::error (errc::invalid_argument) if an argument is not finite, z is outside [0, 1) or
///         c is a non-positive integer (a pole).
/// @throws kpi::error (errc::no_convergence) if a series needs more than a million terms.
/// @throws kpi::error (errc::overflow) if the value is not representable as a double.
/// Thread-safe and pure.
double hyp2f1(double a, double b, double c, double z);

}  // namespace kpi::models
