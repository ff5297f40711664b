/// @file
/// @brief Time: UTC instants, IANA time zones, calendar periods and half-open windows.
///
/// - kpi::timestamp is a UTC instant with millisecond resolution (Unix epoch, leap seconds ignored, as
///   std::chrono::system_clock).
/// - kpi::time_zone names an IANA zone of the operating system's tz database (/usr/share/zoneinfo),
///   reached through Howard Hinnant's date/tz library (Debian libhowardhinnant-date-dev), because GCC 12
///   has no std::chrono::tzdb. The dependency stays in the implementation: this header is standard only.
/// - kpi::period is a calendar day, ISO week, month, quarter or year of LOCAL dates in some zone;
///   window_of() turns it into the half-open UTC window `[start, end)` between its local midnights, so a
///   day in a zone with daylight saving lasts 23 or 25 hours when the clocks change.
///
/// Thread-safety: all free functions are pure and reentrant; time_zone is an immutable handle that may
/// be shared between threads; period_bucketer is a mutable cache, one per thread.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kpi {

/// A UTC instant in milliseconds since 1970-01-01T00:00:00Z.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// The timestamp `ms` milliseconds after the Unix epoch (the C ABI's representation).
constexpr timestamp from_unix_ms(std::int64_t ms) noexcept {
  return timestamp{std::chrono::milliseconds{ms}};
}

/// Milliseconds since the Unix epoch.
constexpr std::int64_t to_unix_ms(timestamp t) noexcept {
  return t.time_since_epoch().count();
}

/// Parses a timestamp of the canonical CSV form:
/// - ISO 8601 / RFC 3339 extended format with a UTC designator or an offset:
///   `2026-11-23T09:15:00+07:00`, `2026-11-23T02:15:00Z`, `2026-11-23T09:15+07:00` (no seconds),
///   `2026-11-23T09:15:00.250+0700`, `2026-11-23 09:15:00+07` ('T', 't' or one space between date and
///   time; offset `Z`, `z`, `±HH:MM`, `±HHMM` or `±HH`). Fraction digits beyond milliseconds are
///   truncated toward the past.
/// - integer Unix seconds: `1763864100`, `-86400`.
///
/// Rejected with a reason: a timestamp without an offset (a naive local time is ambiguous, the contract
/// requires the offset), a date alone, out-of-range fields (month 13, 2026-02-29, hour 24, second 60,
/// offset beyond ±23:59), any surrounding space or trailing text.
/// O(length), no allocation. Thread-safe.
/// @throws kpi::error errc::parse with a reason naming the text.
timestamp parse_timestamp(std::string_view text);

/// Formats as ISO 8601 UTC: `2026-11-23T02:15:00Z`, with `.mmm` only when the milliseconds are not 0
/// (`2026-11-23T02:15:00.250Z`). parse_timestamp() reads it back exactly. Thread-safe.
std::string format_timestamp(timestamp t);

class time_zone;

/// Formats as ISO 8601 local time in `tz` with its offset: `2026-11-23T09:15:00+07:00`
/// (`Z` is never used; UTC gives `+00:00`). parse_timestamp() reads it back to the same instant.
std::string format_timestamp(timestamp t, const time_zone &tz);

/// An IANA time zone ("Asia/Jakarta", "America/New_York", "UTC") of the system tz database.
///
/// A small handle (one pointer) over a zone owned by the tz database for the life of the program: cheap
/// to copy, immutable, thread-safe. UTC is a special fast case that needs no database.
class time_zone {
 public:
  /// UTC.
  constexpr time_zone() noexcept = default;

  /// The zone named `iana` ("Asia/Jakarta"). "UTC", "Etc/UTC" and "Z" give utc().
  /// The first call loads the zone list of the system tz database (thread-safe, once).
  /// @throws kpi::error errc::not_found when the database has no such zone (the message names it);
  ///         errc::io when the tz database cannot be read.
  static time_zone locate(std::string_view iana);

  /// UTC.
  static constexpr time_zone utc() noexcept { return time_zone{}; }

  /// The IANA name ("Asia/Jakarta"; "UTC" for utc()). Valid for the program's life.
  [[nodiscard]] std::string_view name() const noexcept;

  /// True for UTC.
  [[nodiscard]] bool is_utc() const noexcept { return impl_ == nullptr; }

  /// The zone's UTC offset at instant `t` (Jakarta: +7 h; New York: −5 h or −4 h). Thread-safe.
  [[nodiscard]] std::chrono::seconds offset(timestamp t) const;

  /// The local calendar day of instant `t` in this zone, as days since 1970-01-01 (local). Thread-safe.
  [[nodiscard]] std::int32_t local_day(timestamp t) const;

  /// The UTC instant of the first moment of local day `day` (days since 1970-01-01): local midnight, or
  /// the end of the gap when the clocks jump over midnight, or the first of two midnights when they fall
  /// back over it. Thread-safe.
  [[nodiscard]] timestamp start_of_local_day(std::int32_t day) const;

  /// Same zone.
  friend bool operator==(const time_zone &a, const time_zone &b) noexcept { return a.impl_ == b.impl_; }

 private:
  struct impl;  // in fact a date::time_zone, owned by the tz database
  explicit constexpr time_zone(const impl *p) noexcept : impl_(p) {}
  const impl *impl_ = nullptr;  // nullptr: UTC
};

/// The kind of a calendar period. Values are pinned (the C ABI and the CLI use them).
enum class period_kind : std::int32_t {
  none = 0,     ///< No calendar bucketing: one period covering all time.
  day = 1,      ///< A local calendar day.
  week = 2,     ///< An ISO 8601 week: Monday to Sunday, numbered in its ISO week-year.
  month = 3,    ///< A calendar month.
  quarter = 4,  ///< A calendar quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
  year = 5,     ///< A calendar year.
};

/// "none", "day", "week", "month", "quarter" or "year". Never null; static storage.
const char *to_string(period_kind k) noexcept;

/// The inverse of to_string(period_kind). @throws kpi::error errc::parse for any other text.
period_kind parse_period_kind(std::string_view text);

/// A half-open interval of UTC instants `[start, end)`. Plain aggregate.
struct window {
  timestamp start;  ///< First instant inside the window.
  timestamp end;    ///< First instant after the window (not inside).

  /// `start <= t && t < end`: an instant exactly at `end` belongs to the next window.
  [[nodiscard]] constexpr bool contains(timestamp t) const noexcept { return start <= t && t < end; }

  /// `end - start`.
  [[nodiscard]] constexpr std::chrono::milliseconds length() const noexcept { return end - start; }

  /// Same bounds.
  friend constexpr bool operator==(const window &, const window &) noexcept = default;
};

/// A calendar period of local dates, independent of any zone: `{month, day of 2026-11-01}` is
/// "2026-11" wherever it is cut; window_of() places it in a zone. 8 bytes; ordered by kind then start.
struct period {
  period_kind kind = period_kind::none;  ///< Day, week, month, quarter, year (none: all time).
  std::int32_t start_day = 0;            ///< Days since 1970-01-01 of the period's first local day
                                         ///< (a Monday for weeks, the 1st for months); 0 for none.

  /// Lexicographic on (kind, start_day): chronological within one kind.
  friend constexpr auto operator<=>(const period &, const period &) noexcept = default;
};

/// The period of kind `k` that contains instant `t` in zone `tz`. Thread-safe.
/// Cost: one tz offset lookup (a binary search over the zone's transitions; none for UTC) plus civil
/// date arithmetic. @throws kpi::error errc::invalid_argument for an out-of-range kind, or an instant
/// whose local date is outside 0001-01-01..9999-12-31.
period period_of(timestamp t, period_kind k, const time_zone &tz);

/// The period of kind `k` that contains local day `day` (days since 1970-01-01).
/// @throws kpi::error errc::invalid_argument for an out-of-range kind.
period period_of_day(std::int32_t day, period_kind k);

/// The UTC window `[local midnight of the first day, local midnight after the last day)` of `p` in `tz`.
/// For a kind of none: `[timestamp::min(), timestamp::max())`. Thread-safe.
window window_of(period p, const time_zone &tz);

/// The period after `p` (the next day, week, month, quarter or year).
/// @throws kpi::error errc::invalid_argument for kind none.
period next(period p);

/// The period before `p`. @throws kpi::error errc::invalid_argument for kind none.
period previous(period p);

/// The number of local calendar days in `p` (1, 7, 28..31, 90..92, 365 or 366).
/// @throws kpi::error errc::invalid_argument for kind none.
std::int32_t days_in(period p);

/// The canonical label: "2026-11-23" (day), "2026-W48" (ISO week, in its ISO week-year: the week of
/// 2026-12-31 is "2026-W53", that of 2027-01-04 is "2027-W01"), "2026-11" (month), "2026-Q4" (quarter),
/// "2026" (year), "all" (none). Thread-safe.
std::string label(period p);

/// The inverse of label(): "2026-11-23", "2026-W48", "2026-11", "2026-Q4", "2026", "all".
/// @throws kpi::error errc::parse for any other text, or a date, week, month or quarter that does not
///         exist ("2026-02-30", "2026-W54", "2026-Q5").
period parse_period(std::string_view text);

/// Maps timestamps to periods for the ingest hot path.
///
/// Keeps the window of the last period it returned. Cost per call: two integer compares when `t` falls
/// in the same period as the previous call (the common case for time-ordered input); otherwise one
/// period_of() (a tz offset lookup) plus one window_of() (two local-midnight lookups), after which the
/// new period is cached. Unordered input still gives correct results, only slower.
///
/// Not thread-safe (it mutates its cache): use one bucketer per thread. Cheap to copy.
class period_bucketer {
 public:
  /// A bucketer cutting periods of kind `k` in zone `tz`.
  /// @throws kpi::error errc::invalid_argument for an out-of-range kind.
  period_bucketer(period_kind k, time_zone tz);

  /// The period of `t`: the same as period_of(t, kind(), zone()).
  period operator()(timestamp t) {
    if (cached_.contains(t)) return current_;
    return refill(t);
  }

  /// The window of the period last returned (empty before the first call).
  [[nodiscard]] const window &current_window() const noexcept { return cached_; }

  /// The kind of the periods.
  [[nodiscard]] period_kind kind() const noexcept { return kind_; }

  /// The zone the periods are cut in.
  [[nodiscard]] const time_zone &zone() const noexcept { return tz_; }

 private:
  period refill(timestamp t);
  period_kind kind_;
  time_zone tz_;
  period current_{};
  window cached_{};  // empty until the first call: contains() is false for every t
};

}  // namespace kpi

/// Hash of a period, so it can key unordered containers.
template <>
struct std::hash<kpi::period> {
  /// The hash value (kind and start day packed into 64 bits, then mixed).
  std::size_t operator()(const kpi::period &p) const noexcept {
    std::uint64_t x = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p.kind)) << 32) |
                      static_cast<std::uint32_t>(p.start_day);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<std::size_t>(x);
  }
};
