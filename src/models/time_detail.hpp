// Internal: calendar days of instants in a time zone, for the customer summaries. Not installed.
#pragma once

#include <cstdint>
#include <string>

namespace date {
class time_zone;
}

namespace kpi::models::detail {

/// Maps Unix epoch milliseconds to calendar day numbers (days since 1970-01-01) in one IANA time zone,
/// or in UTC when the zone name is empty.
class day_mapper {
 public:
  /// @throws kpi::error(invalid_argument) for an unknown zone name.
  explicit day_mapper(const std::string &time_zone);
  /// The local calendar day containing the instant.
  [[nodiscard]] std::int64_t day(std::int64_t time_ms) const;
  /// The instant (UTC epoch ms) of a local wall-clock time given as milliseconds since local
  /// 1970-01-01 00:00. A time skipped by a DST jump maps to the first instant after the gap.
  [[nodiscard]] std::int64_t local_to_utc_ms(std::int64_t local_ms) const;

 private:
  const date::time_zone *zone_ = nullptr;
};

}  // namespace kpi::models::detail
