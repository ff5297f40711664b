// Tests of kpi/money.hpp: the ISO 4217 table, exact decimal parsing, checked arithmetic, conversion.
#include "kpi/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <unordered_set>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using kpi::currency;
using kpi::errc;
using kpi::money;

constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();  // 9223372036854775807
constexpr std::int64_t k_min = std::numeric_limits<std::int64_t>::min();  // -9223372036854775808

TEST(Currency, ExponentsFromIso4217) {
  // ISO 4217 minor units: IDR 2 (the standard's value, although rupiah cents are not used in cash),
  // JPY 0, KWD 3, USD 2, CLF 4, BHD 3, VND 0, ISK 0, UYW 4, EUR 2, KRW 0, TND 3.
  EXPECT_EQ(currency::of("IDR").exponent(), 2);
  EXPECT_EQ(currency::of("JPY").exponent(), 0);
  EXPECT_EQ(currency::of("KWD").exponent(), 3);
  EXPECT_EQ(currency::of("USD").exponent(), 2);
  EXPECT_EQ(currency::of("CLF").exponent(), 4);
  EXPECT_EQ(currency::of("BHD").exponent(), 3);
  EXPECT_EQ(currency::of("VND").exponent(), 0);
  EXPECT_EQ(currency::of("ISK").exponent(), 0);
  EXPECT_EQ(currency::of("UYW").exponent(), 4);
  EXPECT_EQ(currency::of("EUR").exponent(), 2);
  EXPECT_EQ(currency::of("KRW").exponent(), 0);
  EXPECT_EQ(currency::of("TND").exponent(), 3);
  EXPECT_EQ(currency::of("KWD").minor_per_major(), 1000);
  EXPECT_EQ(currency::of("JPY").minor_per_major(), 1);
  EXPECT_EQ(currency::of("IDR").code(), "IDR");
}

TEST(Currency, UnknownCodeIsCurrencyMismatch) {
  EXPECT_EQ(code_of([] { (void)currency::of("ABC"); }), errc::currency_mismatch);
  EXPECT_EQ(code_of([] { (void)currency::of("US"); }), errc::currency_mismatch);
  EXPECT_EQ(code_of([] { (void)currency::of("USDX"); }), errc::currency_mismatch);
  EXPECT_EQ(code_of([] { (void)currency::of(""); }), errc::currency_mismatch);
  // Croatia adopted the euro in 2023; HRK is withdrawn.
  EXPECT_EQ(code_of([] { (void)currency::of("HRK"); }), errc::currency_mismatch);
  // Codes are upper case; the message suggests the fix.
  const std::string msg = message_of([] { (void)currency::of("usd"); });
  EXPECT_NE(msg.find("'usd'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean USD"), std::string::npos) << msg;
  currency c;
  EXPECT_FALSE(currency::try_of("XYZ", c));
  EXPECT_TRUE(currency::try_of("KWD", c));
  EXPECT_EQ(c.code(), "KWD");
}

TEST(Currency, DefaultIsXxxAndComparable) {
  const currency none;
  EXPECT_EQ(none.code(), "XXX");
  EXPECT_EQ(none.exponent(), 0);
  EXPECT_EQ(none, currency::of("XXX"));
  EXPECT_NE(currency::of("IDR"), currency::of("USD"));
  EXPECT_EQ(currency::of("IDR"), currency::of("IDR"));
  std::unordered_set<currency> set{currency::of("IDR"), currency::of("USD"), currency::of("IDR")};
  EXPECT_EQ(set.size(), 2u);
  static_assert(sizeof(currency) == 2);
}

TEST(Currency, TableHasEveryCodeOnce) {
  // Debian iso-codes 4.15 lists 181 active codes; this table drops HRK (withdrawn 2023) and adds XCG
  // (Caribbean guilder, 2025) and ZWG (Zimbabwe Gold, 2024): 181 - 1 + 2 = 182.
  EXPECT_EQ(currency::table_size(), 182u);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < currency::table_size(); ++i) {
    const currency c = currency::at(i);
    EXPECT_EQ(c.index(), i);
    EXPECT_EQ(currency::of(c.code()), c) << c.code();
    EXPECT_TRUE(seen.insert(std::string(c.code())).second) << "duplicate " << c.code();
    EXPECT_GE(c.exponent(), 0);
    EXPECT_LE(c.exponent(), 4);
  }
  EXPECT_EQ(code_of([] { (void)currency::at(182); }), errc::invalid_argument);
}

TEST(Money, ParseExactIdrJpyKwd) {
  const currency idr = currency::of("IDR"), jpy = currency::of("JPY"), kwd = currency::of("KWD"),
                 usd = currency::of("USD");
  // Rp850,000 = 850000 × 10^2 sen.
  EXPECT_EQ(kpi::parse_money("850000", idr), (money{85000000, idr}));
  EXPECT_EQ(kpi::parse_money("850000.5", idr), (money{85000050, idr}));
  // 12.50 USD = 1250 cents; "12.5" and "12.500" (extra zero) are the same amount.
  EXPECT_EQ(kpi::parse_money("12.50", usd), (money{1250, usd}));
  EXPECT_EQ(kpi::parse_money("12.5", usd), (money{1250, usd}));
  EXPECT_EQ(kpi::parse_money("12.500", usd), (money{1250, usd}));
  EXPECT_EQ(kpi::parse_money("0.01", usd), (money{1, usd}));
  EXPECT_EQ(kpi::parse_money("007", usd), (money{700, usd}));
  // JPY has no minor unit: 1500 yen = 1500; "100.0" is exact.
  EXPECT_EQ(kpi::parse_money("1500", jpy), (money{1500, jpy}));
  EXPECT_EQ(kpi::parse_money("100.0", jpy), (money{100, jpy}));
  // KWD has 3: 1.234 KWD = 1234 fils.
  EXPECT_EQ(kpi::parse_money("1.234", kwd), (money{1234, kwd}));
  EXPECT_EQ(kpi::parse_money("0.5", kwd), (money{500, kwd}));
  // Signs.
  EXPECT_EQ(kpi::parse_money("-3.5", usd), (money{-350, usd}));
  EXPECT_EQ(kpi::parse_money("+7", usd), (money{700, usd}));
  EXPECT_EQ(kpi::parse_money("-0", usd), (money{0, usd}));
}

TEST(Money, ParseRejectsInexactAndGarbage) {
  const currency usd = currency::of("USD"), jpy = currency::of("JPY"), kwd = currency::of("KWD");
  // More significant fraction digits than the exponent cannot be represented exactly.
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("0.001", usd); }), errc::parse);
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("1.5", jpy); }), errc::parse);
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("0.0005", kwd); }), errc::parse);
  for (const char *bad : {"", " 1", "1 ", "1,000", "1e3", "1E3", "nan", "inf", ".5", "5.", "--1", "+", "-",
                          "1.2.3", "0x10", "12.5O", "Rp100"}) {
    EXPECT_EQ(code_of([&] { (void)kpi::parse_money(bad, usd); }), errc::parse) << "'" << bad << "'";
  }
  const std::string msg = message_of([&] { (void)kpi::parse_money("1,000", usd); });
  EXPECT_NE(msg.find("'1,000'"), std::string::npos) << msg;
}

TEST(Money, ParseOverflowNearInt64Max) {
  const currency jpy = currency::of("JPY"), usd = currency::of("USD");
  // JPY (exponent 0): INT64_MAX = 9223372036854775807 fits, one more does not.
  EXPECT_EQ(kpi::parse_money("9223372036854775807", jpy).minor, k_max);
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("9223372036854775808", jpy); }), errc::overflow);
  // The negative range reaches INT64_MIN = -9223372036854775808.
  EXPECT_EQ(kpi::parse_money("-9223372036854775808", jpy).minor, k_min);
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("-9223372036854775809", jpy); }), errc::overflow);
  // USD: 92233720368547758.07 dollars = INT64_MAX cents; .08 overflows.
  EXPECT_EQ(kpi::parse_money("92233720368547758.07", usd).minor, k_max);
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("92233720368547758.08", usd); }), errc::overflow);
  // 92233720368547759 dollars overflows only when scaled to cents (the padding step).
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("92233720368547759", usd); }), errc::overflow);
  EXPECT_EQ(code_of([&] { (void)kpi::parse_money("99999999999999999999999999", usd); }), errc::overflow);
}

TEST(Money, CheckedArithmetic) {
  const currency usd = currency::of("USD");
  // 12.50 + 0.75 = 13.25; 12.50 − 0.75 = 11.75; 0.75 × 3 = 2.25.
  EXPECT_EQ((money{1250, usd} + money{75, usd}), (money{1325, usd}));
  EXPECT_EQ((money{1250, usd} - money{75, usd}), (money{1175, usd}));
  EXPECT_EQ((money{75, usd} * 3), (money{225, usd}));
  EXPECT_EQ(-(money{75, usd}), (money{-75, usd}));
  money acc{0, usd};
  acc += money{100, usd};
  acc -= money{30, usd};
  EXPECT_EQ(acc, (money{70, usd}));
  EXPECT_EQ(kpi::compare(money{1, usd}, money{2, usd}), std::strong_ordering::less);
  // Overflow is an error, not a wrap.
  EXPECT_EQ(code_of([&] { (void)(money{k_max, usd} + money{1, usd}); }), errc::overflow);
  EXPECT_EQ(code_of([&] { (void)(money{k_min, usd} - money{1, usd}); }), errc::overflow);
  EXPECT_EQ(code_of([&] { (void)(-money{k_min, usd}); }), errc::overflow);
  EXPECT_EQ(code_of([&] { (void)(money{k_max / 2 + 1, usd} * 2); }), errc::overflow);
  // A failed += leaves the accumulator unchanged.
  money big{k_max, usd};
  EXPECT_EQ(code_of([&] { big += money{1, usd}; }), errc::overflow);
  EXPECT_EQ(big.minor, k_max);
}

TEST(Money, MixedCurrenciesAreNeverAdded) {
  const money rp{85000000, currency::of("IDR")};
  const money us{1250, currency::of("USD")};
  EXPECT_EQ(code_of([&] { (void)(rp + us); }), errc::currency_mismatch);
  EXPECT_EQ(code_of([&] { (void)(rp - us); }), errc::currency_mismatch);
  EXPECT_EQ(code_of([&] { (void)kpi::compare(rp, us); }), errc::currency_mismatch);
  // A default (XXX) amount does not absorb a real one.
  EXPECT_EQ(code_of([&] { (void)(money{} + us); }), errc::currency_mismatch);
  const std::string msg = message_of([&] { (void)(rp + us); });
  EXPECT_NE(msg.find("IDR"), std::string::npos) << msg;
  EXPECT_NE(msg.find("USD"), std::string::npos) << msg;
}

TEST(Money, FormatIsTheInverseOfParse) {
  const currency idr = currency::of("IDR"), usd = currency::of("USD"), jpy = currency::of("JPY"),
                 kwd = currency::of("KWD"), clf = currency::of("CLF");
  EXPECT_EQ(kpi::format_money({85000000, idr}), "850000.00");
  EXPECT_EQ(kpi::format_money({-5, usd}), "-0.05");
  EXPECT_EQ(kpi::format_money({0, usd}), "0.00");
  EXPECT_EQ(kpi::format_money({7, jpy}), "7");
  EXPECT_EQ(kpi::format_money({1234, kwd}), "1.234");
  EXPECT_EQ(kpi::format_money({12345, clf}), "1.2345");
  EXPECT_EQ(kpi::format_money({k_min, jpy}), "-9223372036854775808");
  EXPECT_EQ(kpi::format_money({k_min, usd}), "-92233720368547758.08");
  EXPECT_EQ(kpi::format_money({k_max, usd}), "92233720368547758.07");
  for (const money m : {money{85000000, idr}, money{-5, usd}, money{k_min, usd}, money{1234, kwd}}) {
    EXPECT_EQ(kpi::parse_money(kpi::format_money(m), m.cur), m);
  }
}

TEST(Money, ToMajor) {
  EXPECT_DOUBLE_EQ(kpi::to_major({1250, currency::of("USD")}), 12.5);
  EXPECT_DOUBLE_EQ(kpi::to_major({1234, currency::of("KWD")}), 1.234);
  EXPECT_DOUBLE_EQ(kpi::to_major({85000000, currency::of("IDR")}), 850000.0);
  EXPECT_DOUBLE_EQ(kpi::to_major({-7, currency::of("JPY")}), -7.0);
}

TEST(RateTable, ConvertsExactly) {
  const currency usd = currency::of("USD"), idr = currency::of("IDR"), kwd = currency::of("KWD");
  kpi::rate_table to_usd(usd);
  to_usd.set(idr, "0.000063");
  to_usd.set(kwd, "3.25");
  // Rp850,000.00 × 0.000063 = 53.55 USD exactly: 85000000 sen × 63 / 10^6 = 5355 cents.
  EXPECT_EQ(to_usd.convert({85000000, idr}, usd), (money{5355, usd}));
  // 1.234 KWD × 3.25 = 4.0105 USD = 401.05 cents → 401 (below the half).
  EXPECT_EQ(to_usd.convert({1234, kwd}, usd), (money{401, usd}));
  // Same currency: unchanged; the target's own rate is 1.
  EXPECT_EQ(to_usd.convert({99, usd}, usd), (money{99, usd}));
  EXPECT_TRUE(to_usd.has(usd));
  EXPECT_TRUE(to_usd.has(idr));
  EXPECT_FALSE(to_usd.has(currency::of("EUR")));

  kpi::rate_table to_idr(idr);
  to_idr.set(usd, "15800");
  // 12.50 USD × 15800 = 197500.00 IDR = 19750000 sen.
  EXPECT_EQ(to_idr.convert({1250, usd}, idr), (money{19750000, idr}));
}

TEST(RateTable, RoundsHalfToEvenInTargetMinorUnits) {
  const currency usd = currency::of("USD"), jpy = currency::of("JPY");
  kpi::rate_table t(usd);
  t.set(jpy, "0.005");  // 1 yen = 0.5 cent
  // n yen = n/2 cents: ties go to the even neighbour.
  EXPECT_EQ(t.convert({1, jpy}, usd).minor, 0);    // 0.5 → 0
  EXPECT_EQ(t.convert({3, jpy}, usd).minor, 2);    // 1.5 → 2
  EXPECT_EQ(t.convert({5, jpy}, usd).minor, 2);    // 2.5 → 2
  EXPECT_EQ(t.convert({7, jpy}, usd).minor, 4);    // 3.5 → 4
  EXPECT_EQ(t.convert({-1, jpy}, usd).minor, 0);   // −0.5 → 0
  EXPECT_EQ(t.convert({-3, jpy}, usd).minor, -2);  // −1.5 → −2
  EXPECT_EQ(t.convert({-5, jpy}, usd).minor, -2);  // −2.5 → −2
  t.set(jpy, "0.0051");                            // above the half: 1 yen = 0.51 cent → 1
  EXPECT_EQ(t.convert({1, jpy}, usd).minor, 1);
  t.set(jpy, "0.0049");  // below: 0.49 cent → 0
  EXPECT_EQ(t.convert({1, jpy}, usd).minor, 0);
}

TEST(RateTable, DoubleRateIsItsShortestDecimal) {
  const currency usd = currency::of("USD"), idr = currency::of("IDR"), jpy = currency::of("JPY");
  kpi::rate_table t(usd);
  t.set(idr, 0.000063);  // the decimal 0.000063, not the binary neighbour
  EXPECT_EQ(t.convert({85000000, idr}, usd), (money{5355, usd}));
  t.set(jpy, 0.005);  // a true tie, still 0.5 cent: rounds to even
  EXPECT_EQ(t.convert({1, jpy}, usd).minor, 0);
  EXPECT_EQ(code_of([&] { t.set(jpy, 0.0); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { t.set(jpy, -1.0); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { t.set(jpy, std::numeric_limits<double>::quiet_NaN()); }), errc::invalid_argument);
  EXPECT_EQ(code_of([&] { t.set(jpy, 1e-30); }), errc::invalid_argument);  // 30 fraction digits
}

TEST(RateTable, Errors) {
  const currency usd = currency::of("USD"), idr = currency::of("IDR"), eur = currency::of("EUR");
  kpi::rate_table t(usd);
  // No rate supplied: never a silent conversion.
  EXPECT_EQ(code_of([&] { (void)t.convert({100, eur}, usd); }), errc::currency_mismatch);
  // Only into the table's target.
  t.set(idr, "0.000063");
  EXPECT_EQ(code_of([&] { (void)t.convert({100, idr}, eur); }), errc::currency_mismatch);
  for (const char *bad : {"", "0", "0.000", "-1", "abc", "1e5", "1..2", "1234567890123456789"}) {
    EXPECT_EQ(code_of([&] { t.set(eur, bad); }), errc::invalid_argument) << "'" << bad << "'";
  }
  EXPECT_EQ(code_of([&] { t.set(usd, "2"); }), errc::invalid_argument);
  t.set(usd, "1.0");  // the identity is accepted
  // Overflow: INT64_MAX cents into JPY at 1000000 yen per dollar.
  kpi::rate_table to_jpy(currency::of("JPY"));
  to_jpy.set(usd, "1000000");
  EXPECT_EQ(code_of([&] { (void)to_jpy.convert({k_max, usd}, currency::of("JPY")); }), errc::overflow);
  // 100.00 USD → 100000000 JPY: 10000 cents × 10^6 / 10^2.
  EXPECT_EQ(to_jpy.convert({10000, usd}, currency::of("JPY")).minor, 100000000);
}

}  // namespace
