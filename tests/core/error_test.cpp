// kpi::error, kpi::parse_error and kpi::value: the vocabulary every other part of the core uses.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "kpi/error.hpp"
#include "kpi/value.hpp"

TEST(Error, CarriesPinnedCodeAndMessage) {
  const kpi::error e(kpi::errc::invalid_argument, "agents must be > 0");
  EXPECT_EQ(e.code(), kpi::errc::invalid_argument);
  EXPECT_EQ(static_cast<int>(e.code()), -2);
  EXPECT_STREQ(e.what(), "agents must be > 0");
}

TEST(Error, CodesArePinned) {
  // These numbers are the C ABI's KPI_E* values: they must never change.
  EXPECT_EQ(static_cast<int>(kpi::errc::ok), 0);
  EXPECT_EQ(static_cast<int>(kpi::errc::undefined), -1);
  EXPECT_EQ(static_cast<int>(kpi::errc::null_pointer), -3);
  EXPECT_EQ(static_cast<int>(kpi::errc::bad_version), -4);
  EXPECT_EQ(static_cast<int>(kpi::errc::buffer_too_small), -5);
  EXPECT_EQ(static_cast<int>(kpi::errc::unknown_kpi), -6);
  EXPECT_EQ(static_cast<int>(kpi::errc::currency_mismatch), -7);
  EXPECT_EQ(static_cast<int>(kpi::errc::overflow), -8);
  EXPECT_EQ(static_cast<int>(kpi::errc::parse), -9);
  EXPECT_EQ(static_cast<int>(kpi::errc::corrupt), -10);
  EXPECT_EQ(static_cast<int>(kpi::errc::no_memory), -11);
  EXPECT_EQ(static_cast<int>(kpi::errc::not_found), -12);
  EXPECT_EQ(static_cast<int>(kpi::errc::no_convergence), -13);
  EXPECT_EQ(static_cast<int>(kpi::errc::io), -14);
  EXPECT_EQ(static_cast<int>(kpi::errc::internal), -99);
}

TEST(Error, NamesEveryCodeAndUnknownOnes) {
  EXPECT_STREQ(kpi::errc_name(kpi::errc::buffer_too_small), "buffer too small");
  EXPECT_STREQ(kpi::errc_name(static_cast<kpi::errc>(-12345)), "unknown status");
}

TEST(ParseError, NamesFileLineColumnAndReason) {
  const kpi::parse_error e("calls.csv", 17, "talk_s", "negative duration -3");
  EXPECT_EQ(e.code(), kpi::errc::parse);
  EXPECT_EQ(e.file(), "calls.csv");
  EXPECT_EQ(e.line(), 17u);
  EXPECT_EQ(e.column(), "talk_s");
  EXPECT_EQ(e.reason(), "negative duration -3");
  EXPECT_STREQ(e.what(), "calls.csv:17: column 'talk_s': negative duration -3");
}

TEST(ParseError, RowLevelErrorHasNoColumn) {
  const kpi::parse_error e("orders.csv", 3, "", "4 fields, header has 5");
  EXPECT_STREQ(e.what(), "orders.csv:3: 4 fields, header has 5");
}

TEST(Value, ZeroDenominatorIsUndefinedNotZero) {
  EXPECT_FALSE(kpi::ratio(0.0, 0.0).has_value());
  EXPECT_FALSE(kpi::ratio(5.0, 0.0).has_value());
  ASSERT_TRUE(kpi::ratio(61.0, 100.0).has_value());
  EXPECT_DOUBLE_EQ(*kpi::ratio(61.0, 100.0), 0.61);
  // A zero numerator over a real population is a defined 0.
  ASSERT_TRUE(kpi::ratio(0.0, 10.0).has_value());
  EXPECT_EQ(*kpi::ratio(0.0, 10.0), 0.0);
}
