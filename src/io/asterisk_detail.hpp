// Helpers shared by the Asterisk importers (asterisk_cdr.cpp, asterisk_queue_log.cpp): local clock
// readings, numbers and a bounded line reader. Internal: not installed, not part of the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/io/csv.hpp"
#include "kpi/time.hpp"

namespace kpi::io::detail {

/// Parses a local clock reading `YYYY-MM-DD HH:MM:SS` with an optional fraction `.f…` (digits beyond
/// milliseconds truncated) into milliseconds since 1970-01-01 00:00 of that local clock. Returns an
/// empty string on success, else why it failed.
std::string parse_local_datetime(std::string_view text, std::int64_t &local_ms);

/// The last second the importers accept, 9999-12-31 23:59:59 UTC in epoch seconds (the canonical CSV
/// form's range ends there too). Also the longest duration they accept, in seconds: with both bounds,
/// an instant minus a duration cannot overflow the milliseconds of a kpi::timestamp.
inline constexpr std::int64_t k_max_epoch_s = 253'402'300'799;

/// Parses epoch seconds `1706368044` or `1706368044.123` (digits beyond milliseconds truncated) into
/// milliseconds. Returns false when the text is not of that form or lies after k_max_epoch_s.
bool parse_epoch_seconds(std::string_view text, std::int64_t &ms);

/// Parses a non-negative decimal integer without sign or spaces. Returns false when it is not one or it
/// does not fit.
bool parse_count(std::string_view text, std::int64_t &out);

/// Parses a duration in whole seconds: parse_count, and at most k_max_epoch_s. Returns false otherwise.
bool parse_duration_s(std::string_view text, std::int64_t &out);

/// Converts local clock readings of one zone into UTC instants.
class local_clock {
 public:
  explicit local_clock(const time_zone &tz);

  /// The UTC instant of local reading `local_ms`: for a reading that occurs twice (clocks set back), the
  /// earlier one. Returns false (leaving `out` alone) for a reading that does not exist (clocks set
  /// forward over it).
  bool to_utc(std::int64_t local_ms, timestamp &out) const;

  /// The zone's name.
  [[nodiscard]] std::string_view zone_name() const noexcept { return tz_.name(); }

 private:
  time_zone tz_;
  const void *zone_ = nullptr;  // a date::time_zone, or null for UTC
};

/// Reads `text` as a local `YYYY-MM-DD HH:MM:SS[.f]` in `clock`'s zone, or (when `allow_epoch`) as epoch
/// seconds. Throws kpi::error errc::parse naming the text and the reason.
timestamp parse_asterisk_time(std::string_view text, const local_clock &clock, bool allow_epoch);

/// Reads lines from a stream in constant memory: a fixed read buffer plus one line of at most
/// `max_bytes` bytes. Lines end with LF, CRLF or CR; the last one may lack an end. A UTF-8 byte-order
/// mark at the start is skipped.
class line_reader {
 public:
  line_reader(std::istream &in, std::string name, std::size_t max_bytes);

  /// The next line without its end, or false at the end of input.
  /// @throws kpi::parse_error for a line longer than the limit; kpi::error errc::io on a stream failure.
  bool next(std::string_view &line);

  /// The 1-based number of the line last returned.
  [[nodiscard]] std::uint64_t line_number() const noexcept { return line_no_; }

 private:
  bool fill();
  std::istream *in_;
  std::string name_;
  std::size_t max_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0;
  bool eof_ = false, started_ = false, pending_cr_ = false;
  std::uint64_t line_no_ = 0;
  std::string line_;
};

/// Seconds from `from` to `to`, at least 0 (a duration read from a log never goes backwards).
double seconds_between(timestamp from, timestamp to) noexcept;

/// A bad row: rethrows `e` in strict mode; in lenient mode counts it in `report.rejected` and keeps it
/// among the first `max_kept` errors.
void reject(const parse_error &e, read_mode mode, std::size_t max_kept, read_report &report);

/// Lower-case ASCII copy test: true when `hay` contains `needle` (lower-case) ignoring ASCII case.
bool contains_nocase(std::string_view hay, std::string_view needle) noexcept;

}  // namespace kpi::io::detail
