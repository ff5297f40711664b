/// @file
/// @brief Per-customer purchase summaries (x, t_x, T, mean repeat value) for the customer value
/// models, built from raw transactions or read from a summary file.
///
/// The models of this library (BG/NBD, Gamma-Gamma) see a customer as four numbers, all in one time
/// unit: x, the number of *repeat* purchases in the calibration period; t_x, the time of the last
/// purchase measured from the first; T, the time from the first purchase to the end of the calibration
/// period; and zbar, the mean value of the repeat purchases. Purchases are counted per calendar day:
/// several purchases by one customer on one day are one purchase whose value is their sum, which is
/// how Fader, Hardie and Lee built the CDNOW summary (`cdnow_customers_summary_with_transactions.csv`
/// is reproduced exactly from `CDNOW_sample.txt` this way).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kpi::models {

/// The time unit of t_x and T and of every model time (horizons, alpha). Values are pinned (they
/// cross the C ABI).
enum class time_unit : std::int32_t {
  day = 0,   ///< One calendar day.
  week = 1,  ///< Seven days (the unit of the CDNOW benchmark summaries).
};

/// Days in one `unit` (1 or 7).
double days_per_unit(time_unit unit);

/// One purchase.
struct transaction {
  std::string customer_id;   ///< Who bought (any non-empty string).
  std::int64_t time_ms = 0;  ///< When: Unix epoch milliseconds, UTC.
  double amount = 0;  ///< The value of the purchase in major currency units (one currency per data set).
};

/// One customer as the models see it. All times are in the summary's time unit.
struct customer_summary {
  std::string id;   ///< Customer id (free text; may be empty for summaries read without an id column).
  double x = 0;     ///< Repeat purchases in the calibration period: a whole number >= 0.
  double t_x = 0;   ///< Time of the last purchase after the first one (0 when x = 0); 0 <= t_x <= T.
  double T = 0;     ///< Time from the first purchase to the end of the calibration period; >= 0.
  double zbar = 0;  ///< Mean value of the repeat purchases (0 when x = 0); >= 0.
};

/// How summarize() turns transactions into customer summaries.
struct summary_options {
  /// The unit of t_x and T in the result (and so of every model fitted on it).
  time_unit unit = time_unit::week;
  /// An instant in the **last calendar day** of the calibration period: purchases on that day are
  /// included and T runs to the start of that day (FHL's convention: the CDNOW calibration "ends on
  /// 1997-09-30", so a customer whose first purchase was on 1997-01-01 has T = 272 days = 38.86
  /// weeks). Customers whose first purchase is after this day are left out. Empty: the day of the
  /// latest transaction.
  std::optional<std::int64_t> calibration_end_ms;
  /// The IANA time zone ("Asia/Jakarta") whose calendar days group the purchases; empty for UTC. Any
  /// name kpi::time_zone::locate() accepts.
  std::string time_zone;
};

/// Summarizes transactions per customer (x, t_x, T, zbar), in the order in which each customer first
/// appears in `transactions`.
/// @throws kpi::error (errc::invalid_argument) for an empty customer id or a non-finite amount;
///         (errc::not_found) for an unknown time zone. Thread-safe (no shared state).
std::vector<customer_summary> summarize(std::span<const transaction> transactions,
                                        const summary_options &options = {});

/// Reads transactions from a text stream in one of two layouts, chosen by the first line:
/// - CSV (the first line contains a comma) with a header row and columns matched by name in any order:
///   `customer_id` (or `id`), `time` (or `date`) and `amount`; other columns are ignored, so the
///   canonical order CSV reads as is. RFC 4180 quoting.
/// - The CDNOW layout: whitespace-separated `id [other columns] YYYYMMDD [other columns] amount`, an
///   optional header line (skipped when its first field is not a number). The first 8-digit field
///   after the id is the date and the last field is the amount, so both `CDNOW_master.txt` (id, date,
///   CDs, dollars) and `CDNOW_sample.txt` (id, sample id, date, CDs, dollars) read as given.
///
/// A time is a date alone (`YYYY-MM-DD` or `YYYYMMDD`: the first instant of that day in `time_zone`,
/// UTC when empty, so pass the same zone to summarize()) or anything kpi::parse_timestamp() reads: an
/// ISO 8601 date-time with an offset (`2026-11-23T09:15:00+07:00`, `...Z`) or integer Unix seconds.
/// @param in the text to read.
/// @param name the file name used in error messages.
/// @param time_zone the IANA zone of dates given without a time; empty for UTC.
/// @throws kpi::parse_error naming the line and column of a missing column or a value that does not
///         parse; kpi::error (errc::not_found) for an unknown time zone.
std::vector<transaction> read_transactions(std::istream &in, const std::string &name,
                                           const std::string &time_zone = "");

/// Reads customer summaries from a CSV stream with a header row; columns matched by name: an optional
/// id (`ID`, `id` or `customer_id`), `x` (or `frequency`), `t_x` (or `recency`), `T`, and an optional
/// `zbar` (or `monetary_value`; 0 when absent). Both CDNOW summary files read as given.
/// @throws kpi::parse_error for a missing column, a value that does not parse, or a row that breaks the
///         rules of customer_summary (naming the line and the column).
std::vector<customer_summary> read_summary(std::istream &in, const std::string &name);

/// Checks one summary against the rules documented on customer_summary.
/// @throws kpi::error (errc::invalid_argument) naming the customer and the bad value.
void validate(const customer_summary &customer);

}  // namespace kpi::models
