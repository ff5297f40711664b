// Money: the ISO 4217 table, exact decimal parsing and formatting, checked arithmetic, exact conversion.
//
// Hand-written because no Debian C++ library offers the combination we need: an ISO 4217 table with
// minor-unit exponents (iso-codes ships codes and names, not exponents), exact decimal parsing into
// int64 minor units with overflow detection, and half-even integer conversion through caller rates.
#include "kpi/money.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "kpi/error.hpp"
#include "text.hpp"

namespace kpi {

using detail::quoted;

namespace {

__extension__ typedef __int128 i128;

struct currency_entry {
  char code[4];
  std::uint8_t exponent;
};

// The active codes of ISO 4217 List One (current currency and funds) with their minor units, written
// from the standard's table. Codes whose minor unit ISO gives as "N.A." (precious metals, bond-market
// units, SDR, SUCRE, ADB unit, test and no-currency codes) have exponent 0. HRK is absent: Croatia
// adopted the euro on 2023-01-01 and the code was withdrawn. Transitional pairs that are both still
// listed are both present (ANG/XCG, SLE/SLL, ZWG/ZWL). XXX must stay first: index 0 is the default.
constexpr currency_entry k_table[] = {
    {"XXX", 0}, {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2},
    {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3},
    {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2},
    {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2},
    {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2},
    {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2},
    {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2},
    {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3},
    {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3},
    {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
    {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2},
    {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2},
    {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
    {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0},
    {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2},
    {"XAF", 0}, {"XAG", 0}, {"XAU", 0}, {"XBA", 0}, {"XBB", 0}, {"XBC", 0}, {"XBD", 0}, {"XCD", 2},
    {"XCG", 2}, {"XDR", 0}, {"XOF", 0}, {"XPD", 0}, {"XPF", 0}, {"XPT", 0}, {"XSU", 0}, {"XTS", 0},
    {"XUA", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2}, {"ZWL", 2},
};
constexpr std::size_t k_table_size = sizeof(k_table) / sizeof(k_table[0]);
static_assert(k_table_size < 255, "the lookup table stores indices in a byte");

constexpr std::int64_t k_pow10[] = {1,
                                    10,
                                    100,
                                    1000,
                                    10000,
                                    100000,
                                    1000000,
                                    10000000,
                                    100000000,
                                    1000000000,
                                    10000000000,
                                    100000000000,
                                    1000000000000,
                                    10000000000000,
                                    100000000000000,
                                    1000000000000000,
                                    10000000000000000,
                                    100000000000000000,
                                    1000000000000000000};

constexpr int letters_key(char a, char b, char c) {
  return ((a - 'A') * 26 + (b - 'A')) * 26 + (c - 'A');
}

// O(1) code → index: a dense 26³ byte array built at compile time (0xFF: not a code).
constexpr std::array<std::uint8_t, 26 * 26 * 26> make_lookup() {
  std::array<std::uint8_t, 26 * 26 * 26> t{};
  for (auto &x : t) x = 0xFF;
  for (std::size_t i = 0; i < k_table_size; ++i) {
    t[static_cast<std::size_t>(letters_key(k_table[i].code[0], k_table[i].code[1], k_table[i].code[2]))] =
        static_cast<std::uint8_t>(i);
  }
  return t;
}
constexpr auto k_lookup = make_lookup();

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

[[noreturn]] void throw_mismatch(currency a, currency b, const char *what) {
  throw error(errc::currency_mismatch, std::string("cannot ") + what + " " + std::string(a.code()) + " and " +
                                           std::string(b.code()) +
                                           " amounts without conversion rates (use kpi::rate_table)");
}

}  // namespace

bool currency::try_of(std::string_view code, currency &out) noexcept {
  if (code.size() != 3 || !is_upper(code[0]) || !is_upper(code[1]) || !is_upper(code[2])) return false;
  const std::uint8_t i = k_lookup[static_cast<std::size_t>(letters_key(code[0], code[1], code[2]))];
  if (i == 0xFF) return false;
  out.index_ = i;
  return true;
}

currency currency::of(std::string_view code) {
  currency c;
  if (try_of(code, c)) return c;
  std::string msg = "unknown currency code " + quoted(code) + ": not an active ISO 4217 code";
  if (code.size() == 3) {
    std::string upper(code);
    for (char &ch : upper) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    }
    currency u;
    if (upper != code && try_of(upper, u)) msg += " (codes are upper case: did you mean " + upper + "?)";
  }
  throw error(errc::currency_mismatch, msg);
}

std::string_view currency::code() const noexcept {
  return {k_table[index_].code, 3};
}

int currency::exponent() const noexcept {
  return k_table[index_].exponent;
}

std::int64_t currency::minor_per_major() const noexcept {
  return k_pow10[k_table[index_].exponent];
}

std::size_t currency::table_size() noexcept {
  return k_table_size;
}

currency currency::at(std::size_t i) {
  if (i >= k_table_size) {
    throw error(errc::invalid_argument, "currency index " + std::to_string(i) +
                                            " is out of range (table has " + std::to_string(k_table_size) +
                                            " entries)");
  }
  currency c;
  c.index_ = static_cast<std::uint16_t>(i);
  return c;
}

money operator+(money a, money b) {
  if (a.cur != b.cur) throw_mismatch(a.cur, b.cur, "add");
  std::int64_t r;
  if (__builtin_add_overflow(a.minor, b.minor, &r)) {
    throw error(errc::overflow, "money overflow: " + format_money(a) + " + " + format_money(b) + " " +
                                    std::string(a.cur.code()) + " does not fit in int64 minor units");
  }
  return {r, a.cur};
}

money operator-(money a, money b) {
  if (a.cur != b.cur) throw_mismatch(a.cur, b.cur, "subtract");
  std::int64_t r;
  if (__builtin_sub_overflow(a.minor, b.minor, &r)) {
    throw error(errc::overflow, "money overflow: " + format_money(a) + " - " + format_money(b) + " " +
                                    std::string(a.cur.code()) + " does not fit in int64 minor units");
  }
  return {r, a.cur};
}

money operator-(money a) {
  if (a.minor == std::numeric_limits<std::int64_t>::min()) {
    throw error(errc::overflow, "money overflow: cannot negate " + format_money(a));
  }
  return {-a.minor, a.cur};
}

money &operator+=(money &a, money b) {
  a = a + b;
  return a;
}

money &operator-=(money &a, money b) {
  a = a - b;
  return a;
}

money operator*(money a, std::int64_t n) {
  std::int64_t r;
  if (__builtin_mul_overflow(a.minor, n, &r)) {
    throw error(errc::overflow, "money overflow: " + format_money(a) + " " + std::string(a.cur.code()) +
                                    " x " + std::to_string(n) + " does not fit in int64 minor units");
  }
  return {r, a.cur};
}

std::strong_ordering compare(money a, money b) {
  if (a.cur != b.cur) throw_mismatch(a.cur, b.cur, "compare");
  return a.minor <=> b.minor;
}

money parse_money(std::string_view text, currency cur) {
  auto bad = [&](const std::string &why) -> error {
    return error(errc::parse, "invalid amount " + quoted(text) + ": " + why);
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  const int exp = cur.exponent();
  // The magnitude in minor units may reach 2^63 for a negative amount, 2^63 - 1 for a positive one.
  const std::uint64_t limit = negative ? std::uint64_t{1} << 63
                                       : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t acc = 0;
  bool overflow = false;
  auto push = [&](unsigned d) {
    if (acc > (limit - d) / 10) {
      overflow = true;
    } else {
      acc = acc * 10 + d;
    }
  };
  std::size_t int_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    push(static_cast<unsigned>(text[i] - '0'));
  }
  if (int_digits == 0) {
    if (text.empty()) throw bad("empty");
    throw bad("expected a decimal number such as 12.50 (digits, optionally a '.' and more digits)");
  }
  int frac_used = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t frac_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      const unsigned d = static_cast<unsigned>(text[i] - '0');
      if (frac_used < exp) {
        push(d);
        ++frac_used;
      } else if (d != 0) {
        throw bad(std::string(cur.code()) + " has " + std::to_string(exp) + " decimal place" +
                  (exp == 1 ? "" : "s") + ", more fraction digits are not exact");
      }
    }
    if (frac_digits == 0) throw bad("a '.' must be followed by digits");
  }
  if (i != text.size()) {
    throw bad("unexpected character " + quoted(text.substr(i, 1)) +
              " (only digits, one '.', and a leading sign; no spaces, separators or exponents)");
  }
  for (; frac_used < exp; ++frac_used) push(0);
  if (overflow) {
    throw error(errc::overflow, "amount " + quoted(text) + " " + std::string(cur.code()) +
                                    " does not fit in int64 minor units");
  }
  const std::int64_t minor = negative ? static_cast<std::int64_t>(0 - acc) : static_cast<std::int64_t>(acc);
  return {minor, cur};
}

std::string format_money(money m) {
  const bool negative = m.minor < 0;
  const std::uint64_t mag =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(m.minor) : static_cast<std::uint64_t>(m.minor);
  const int exp = m.cur.exponent();
  const auto scale = static_cast<std::uint64_t>(k_pow10[exp]);
  char buf[48];
  char *p = buf;
  if (negative) *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, mag / scale).ptr;
  if (exp > 0) {
    *p++ = '.';
    std::uint64_t frac = mag % scale;
    for (int k = exp - 1; k >= 0; --k) {
      p[k] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    p += exp;
  }
  return std::string(buf, p);
}

double to_major(money m) noexcept {
  return static_cast<double>(m.minor) / static_cast<double>(k_pow10[m.cur.exponent()]);
}

rate_table::rate_table(currency target) : target_(target), rates_(currency::table_size()) {
  rates_[target.index()] = rate{1, 0};
}

void rate_table::set(currency from, std::string_view text) {
  auto bad = [&](const std::string &why) -> error {
    return error(errc::invalid_argument, "invalid conversion rate " + quoted(text) + " for " +
                                             std::string(from.code()) + " to " + std::string(target_.code()) +
                                             ": " + why);
  };
  std::size_t i = 0;
  std::int64_t sig = 0;
  int sig_digits = 0, scale = 0;
  bool any_digit = false, dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') throw bad("expected a positive decimal such as 0.000063 or 15800");
    any_digit = true;
    if (dot) ++scale;
    if (sig == 0 && c == '0') continue;  // leading zeros are not significant
    if (++sig_digits > 18) throw bad("more than 18 significant digits");
    sig = sig * 10 + (c - '0');
  }
  if (!any_digit) throw bad("expected a positive decimal such as 0.000063 or 15800");
  if (sig == 0) throw bad("a rate must be greater than 0");
  while (scale > 0 && sig % 10 == 0) {  // normalize: 1.50 -> 15 / 10
    sig /= 10;
    --scale;
  }
  if (scale > 18) throw bad("more than 18 fraction digits");
  if (from == target_ && !(sig == 1 && scale == 0)) throw bad("the target currency's own rate is 1");
  rates_[from.index()] = rate{sig, scale};
}

void rate_table::set(currency from, double r) {
  if (!std::isfinite(r) || r <= 0) {
    throw error(errc::invalid_argument, "invalid conversion rate " + std::to_string(r) + " for " +
                                            std::string(from.code()) + ": must be finite and greater than 0");
  }
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed);
  if (res.ec != std::errc{}) {
    throw error(errc::invalid_argument, "conversion rate for " + std::string(from.code()) + " is too large");
  }
  set(from, std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
}

bool rate_table::has(currency from) const noexcept {
  return rates_[from.index()].significand != 0;
}

money rate_table::convert(money m, currency to) const {
  if (m.cur == to) return m;
  if (to != target_) {
    throw error(errc::currency_mismatch, "this rate table converts into " + std::string(target_.code()) +
                                             ", not " + std::string(to.code()));
  }
  const rate r = rates_[m.cur.index()];
  if (r.significand == 0) {
    throw error(errc::currency_mismatch, "no conversion rate from " + std::string(m.cur.code()) + " to " +
                                             std::string(to.code()) + " was supplied");
  }
  auto overflow = [&]() -> error {
    return error(errc::overflow, "converting " + format_money(m) + " " + std::string(m.cur.code()) + " to " +
                                     std::string(to.code()) + " overflows int64 minor units");
  };
  // |minor| <= 2^63 and significand < 10^18 < 2^60: the product is below 2^123.
  i128 p = static_cast<i128>(m.minor) * r.significand;
  const int s = to.exponent() - m.cur.exponent() - r.scale;
  if (s >= 0) {
    // s <= 4. If |p| already exceeds 2^63 the result cannot fit; otherwise p × 10^s < 2^77 is safe.
    const i128 lim = static_cast<i128>(1) << 63;
    if (p > lim || p < -lim) throw overflow();
    p *= k_pow10[s];
  } else {
    // -s <= 18 + 4: 10^22 fits easily in 128 bits.
    i128 d = 1;
    for (int k = 0; k < -s; ++k) d *= 10;
    i128 q = p / d;  // truncates toward zero
    const i128 rem = p % d;
    const i128 twice = (rem < 0 ? -rem : rem) * 2;
    if (twice > d || (twice == d && (q % 2 != 0))) q += (p < 0 ? -1 : 1);
    p = q;
  }
  if (p > std::numeric_limits<std::int64_t>::max() || p < std::numeric_limits<std::int64_t>::min()) {
    throw overflow();
  }
  return {static_cast<std::int64_t>(p), to};
}

}  // namespace kpi
