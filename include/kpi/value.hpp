/// @file
/// @brief A KPI result: a number, or *undefined*.
///
/// The contract says "undefined is not zero": a ratio whose denominator is 0 has no value. The C++
/// surface uses `std::optional<double>` for that, so `std::nullopt` is the distinct undefined state and
/// no caller can mistake it for 0 or NaN.
#pragma once

#include <optional>

namespace kpi {

/// A KPI result: a finite number, or std::nullopt when the KPI is undefined for the window (a zero
/// denominator, no records of the population it averages over).
using value = std::optional<double>;

/// `num / den`, or undefined when `den == 0`. Thread-safe, pure.
constexpr value ratio(double num, double den) noexcept {
  if (den == 0.0) return std::nullopt;
  return num / den;
}

}  // namespace kpi
