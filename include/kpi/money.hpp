/// @file
/// @brief Money: an exact integer count of minor units plus an ISO 4217 currency.
///
/// The contract (kpis.md, "Money") says amounts are integers of minor units with the exponent taken from
/// the currency, sums never overflow silently, and two currencies are never added without caller-supplied
/// rates. This header is the whole of that rule:
///
/// - kpi::currency is a value from a built-in table of the active ISO 4217 codes with their minor-unit
///   exponents (IDR 2, JPY 0, KWD 3, CLF 4, ...). It is 2 bytes, trivially copyable and comparable.
/// - kpi::money is `{minor, currency}` with checked `+` and `-`.
/// - parse_money() reads a decimal string exactly (no binary floating point on the way in);
///   format_money() writes it back.
/// - kpi::rate_table converts between currencies with exact integer arithmetic and half-even rounding.
///
/// Thread-safety: every function here is pure and reentrant; a rate_table may be read from many threads
/// at once once it is no longer being modified.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kpi {

/// An ISO 4217 currency: its three-letter alphabetic code and its minor-unit exponent (the number of
/// decimal places of its minor unit: USD 2, JPY 0, KWD 3, CLF 4, IDR 2).
///
/// Only codes of the built-in table (the active codes of ISO 4217 List One, see docs/records.md) can be
/// made; a currency object is therefore always valid. The default-constructed currency is `XXX`, ISO's
/// "no currency" code (exponent 0), which compares unequal to every real currency, so an accumulator that
/// was never fed cannot be silently added to a real amount.
///
/// Codes ISO lists with no minor unit ("N.A.": XAU, XAG, XPD, XPT, XDR, XSU, XUA, XBA..XBD, XTS, XXX)
/// have exponent 0 here.
///
/// Size 2 bytes, trivially copyable; thread-safe.
class currency {
 public:
  /// The `XXX` ("no currency") value.
  constexpr currency() noexcept = default;

  /// The currency with ISO 4217 alphabetic code `code` (exactly three upper-case ASCII letters,
  /// e.g. "IDR"). O(1), no allocation.
  /// @throws kpi::error errc::currency_mismatch when `code` is not an active ISO 4217 code (the message
  ///         names the code).
  static currency of(std::string_view code);

  /// Like of(), but returns false instead of throwing. Thread-safe, O(1), no allocation.
  static bool try_of(std::string_view code, currency &out) noexcept;

  /// The three-letter code ("IDR"). The view points into a static table: valid for the program's life.
  [[nodiscard]] std::string_view code() const noexcept;

  /// The minor-unit exponent: the number of decimal places (0..4). USD 2, JPY 0, KWD 3, CLF 4.
  [[nodiscard]] int exponent() const noexcept;

  /// 10^exponent(): the number of minor units in one major unit (USD 100, JPY 1, KWD 1000).
  [[nodiscard]] std::int64_t minor_per_major() const noexcept;

  /// The position of this currency in the built-in table, 0 <= index() < table_size(). Stable within one
  /// build of the library only; meant for dense per-currency arrays, never for storage.
  [[nodiscard]] std::size_t index() const noexcept { return index_; }

  /// The number of currencies in the built-in table.
  static std::size_t table_size() noexcept;

  /// The currency at position `i` of the built-in table (0 <= i < table_size()), for listing them all.
  /// @throws kpi::error errc::invalid_argument when `i` is out of range.
  static currency at(std::size_t i);

  /// Same code.
  friend constexpr bool operator==(currency a, currency b) noexcept = default;

 private:
  std::uint16_t index_ = 0;  // 0 is XXX by construction of the table
};

/// An amount of money: an exact integer number of minor units (cents, sen, fils) in one currency.
/// `{85000000, IDR}` is Rp850,000.00. Plain aggregate; thread-safe as a value.
struct money {
  std::int64_t minor = 0;  ///< The amount in minor units of `cur` (may be negative).
  currency cur;            ///< The currency; `XXX` when default-constructed.

  /// Same amount in the same currency.
  friend constexpr bool operator==(const money &, const money &) noexcept = default;
};

/// `a + b`.
/// @throws kpi::error errc::currency_mismatch when the currencies differ (use a rate_table first);
///         errc::overflow when the sum does not fit in int64 minor units.
money operator+(money a, money b);

/// `a - b`.
/// @throws kpi::error errc::currency_mismatch when the currencies differ; errc::overflow on overflow.
money operator-(money a, money b);

/// `-a`. @throws kpi::error errc::overflow for INT64_MIN minor units.
money operator-(money a);

/// `a += b` with the checks of operator+. On error `a` is unchanged.
money &operator+=(money &a, money b);

/// `a -= b` with the checks of operator-. On error `a` is unchanged.
money &operator-=(money &a, money b);

/// `a × n` for an integer count `n`. @throws kpi::error errc::overflow on overflow.
money operator*(money a, std::int64_t n);

/// Orders two amounts of the same currency by their minor units.
/// @throws kpi::error errc::currency_mismatch when the currencies differ.
std::strong_ordering compare(money a, money b);

/// Parses a decimal amount in major units exactly, e.g. "850000", "12.50", "-3.5", "+7".
///
/// Grammar: an optional sign, one or more ASCII digits, optionally a '.' followed by one or more digits.
/// More fraction digits than the currency's exponent are accepted only when the extra ones are zeros
/// ("12.500" for USD, "100.0" for JPY). Rejected, with a reason naming the input: empty text, spaces,
/// thousands separators, exponents ("1e3"), "nan"/"inf", a lone '.', too many significant fraction
/// digits ("0.001" USD).
/// O(length), no allocation.
/// @throws kpi::error errc::parse for malformed text; errc::overflow when the amount does not fit in
///         int64 minor units.
money parse_money(std::string_view decimal, currency cur);

/// Formats an amount in major units with exactly exponent() fraction digits and no grouping:
/// `{85000000, IDR}` → "850000.00", `{-5, USD}` → "-0.05", `{7, JPY}` → "7". The inverse of
/// parse_money(). Thread-safe.
std::string format_money(money m);

/// The amount in major units as a double (`minor / 10^exponent`), for reporting ratios and averages:
/// the correctly rounded quotient for |minor| <= 2^53, within 1 ulp beyond. Never use it to sum money.
double to_major(money m) noexcept;

/// Caller-supplied conversion rates into one target currency, with exact conversion.
///
/// A rate says how many major units of the target one major unit of the source is worth
/// (target USD, source IDR, rate "0.000063": Rp1 = US$0.000063). Rates are kept as exact decimals
/// (an int64 significand with at most 18 digits and a power of ten), so conversion is pure integer
/// arithmetic:
///
///     target_minor = round_half_even( source_minor × rate × 10^(exp_target − exp_source) )
///
/// computed in 128-bit integers; the only rounding is the final one, to the nearest target minor unit,
/// ties to even (banker's rounding: 0.5 → 0, 1.5 → 2, 2.5 → 2, −0.5 → 0).
///
/// Thread-safety: set() must not run concurrently with anything else on the same table; convert() is
/// const and may run from many threads at once.
class rate_table {
 public:
  /// A table converting into `target`. The target's own rate is 1 and needs no entry.
  explicit rate_table(currency target);

  /// The target currency.
  [[nodiscard]] currency target() const noexcept { return target_; }

  /// Sets the rate of `from` as an exact decimal string ("15800", "0.000063"; at most 18 significant
  /// digits and at most 18 fraction digits; must be > 0). Replaces an earlier rate for `from`.
  /// @throws kpi::error errc::invalid_argument for a rate that is not a positive decimal within those
  ///         limits, or for `from == target()` with a rate other than 1.
  void set(currency from, std::string_view decimal_rate);

  /// Sets the rate of `from` from a double. The double is first turned into its shortest decimal
  /// representation that reads back as the same double (so 0.1 is the decimal 0.1, not
  /// 0.1000000000000000055...), then stored exactly as with the string overload.
  /// @throws kpi::error errc::invalid_argument for a rate that is not finite and > 0, or that needs more
  ///         than 18 significant digits or 18 fraction digits.
  void set(currency from, double rate);

  /// True when a rate for `from` is known (always true for target()).
  [[nodiscard]] bool has(currency from) const noexcept;

  /// Converts `m` into `to`. `to` must be target() or `m.cur` (a no-op).
  /// @throws kpi::error errc::currency_mismatch when `to` is neither, or no rate for `m.cur` was set;
  ///         errc::overflow when the result does not fit in int64 minor units.
  [[nodiscard]] money convert(money m, currency to) const;

 private:
  struct rate {
    std::int64_t significand = 0;  // 0: no rate
    std::int32_t scale = 0;        // rate = significand / 10^scale
  };
  currency target_;
  std::vector<rate> rates_;  // indexed by currency::index()
};

}  // namespace kpi

/// Hash of a currency (its table index), so it can key unordered containers.
template <>
struct std::hash<kpi::currency> {
  /// The hash value.
  std::size_t operator()(kpi::currency c) const noexcept { return c.index(); }
};
