/// @file
/// @brief Targets over any KPI: attainment, the prorated (month-to-date) target, the run-rate
/// projection and the status met / on_track / at_risk / missed (kpis.md, "Views over KPIs").
///
/// Pure functions over values the engine produces: nothing here reads records or depends on the
/// engine. The definitions, with worked examples, are in docs/views.md.
///
/// Thread-safety: every free function is pure and reentrant; target_table is a plain value (const use
/// from many threads is safe, mutation is not).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/catalog.hpp"
#include "kpi/records.hpp"
#include "kpi/time.hpp"
#include "kpi/value.hpp"

namespace kpi::views {

/// The bound of a target, independent of KPI, group and period.
struct target_spec {
  target_op op = target_op::at_least;  ///< `>=`, `<=` or `between` (both bounds inclusive).
  double value = 0;                    ///< The bound; the lower bound of `between`. Finite.
  std::optional<double> value2;        ///< The upper bound of `between` (required then, >= value);
                                       ///< absent for the other ops.
  /// True for an additive KPI (a count or a sum that only grows as the period goes by: calls, orders,
  /// revenue): the target is prorated and the actual is projected by run rate. False for a rate, mean
  /// or snapshot (connection_rate, avg_talk_time_s, pipeline_value), which is neither prorated nor
  /// projected. See is_additive().
  bool additive = false;

  /// Throws kpi::error(errc::invalid_argument) naming the bad field: a non-finite bound, a `between`
  /// without value2 or with value2 < value, a value2 on `>=` / `<=`, an op out of range.
  void validate() const;
};

/// The status of a target. Values are pinned (the C ABI's `KPI_TARGET_*`).
enum class target_status : std::int32_t {
  met = 0,       ///< The condition holds and the period is over, or an additive `>=` target is
                 ///< already reached (it cannot be undone).
  on_track = 1,  ///< Period open; the projection (additive) or the current value (rate) meets it.
  at_risk = 2,   ///< Period open; the projection (additive) or the current value (rate) misses it.
  missed = 3,    ///< The period is over and the condition fails, or an additive `<=` target (or the
                 ///< upper bound of a `between`) is already exceeded.
};

/// "met", "on_track", "at_risk" or "missed". Static storage, never null.
const char *to_string(target_status s) noexcept;

/// The evaluation of one target against one actual value.
struct target_evaluation {
  /// Attainment ratio of the actual against the full-period target (not prorated):
  /// `>=`: actual / value (undefined unless value > 0); `<=`: value / actual (undefined unless
  /// actual > 0 and value >= 0: a `<=` actual of 0 has no finite ratio although it is met);
  /// `between`: 1 inside [value, value2], actual / value below (undefined unless value > 0),
  /// value2 / actual above. 1 means exactly on target; above 1 better than needed, below 1 short.
  /// Undefined when the actual is.
  value attainment;
  /// The prorated target `value × progress` (additive); the target itself for a rate. For `between`
  /// this is the lower bound; prorated_target2 the upper one.
  double prorated_target = 0;
  /// The prorated upper bound of a `between` (`value2 × progress`, or value2 for a rate); undefined
  /// for the other ops.
  value prorated_target2;
  /// The run-rate projection to the period's end, `actual / progress` (= actual × total / elapsed),
  /// for an additive KPI with progress > 0; undefined for a rate (not projected), for progress 0, or
  /// when the actual is undefined. Equal to the actual when the period is over.
  value projection;
  /// The status; undefined when the actual is undefined (no data is not a miss).
  std::optional<target_status> status;
};

/// Evaluates a target.
///
/// @param spec     The bound (validated).
/// @param actual   The KPI's value for the group over the elapsed part of the period (month-to-date),
///                 or for the whole period once it is over. Undefined gives undefined attainment,
///                 projection and status.
/// @param progress Elapsed fraction of the period in [0, 1] (see period_progress()); 1 = over.
///
/// Status, with c(x) the condition (`x >= value`, `x <= value`, `value <= x <= value2`):
/// - progress == 1: met if c(actual), else missed.
/// - progress < 1, additive: `>=`: met if actual >= value already, else on_track when the projection
///   reaches value, else at_risk. `<=`: missed if actual > value already, else on_track when the
///   projection is <= value, else at_risk. `between`: missed if actual > value2 already, else on_track
///   when the projection is inside [value, value2], else at_risk. With progress 0 there is no
///   projection and an unfinished target is on_track.
/// - progress < 1, rate (not additive): a rate can still move either way, so it is never met or missed
///   early: on_track if c(actual), else at_risk.
/// Comparisons are exact (an actual equal to the bound meets it).
/// @throws kpi::error errc::invalid_argument for an invalid spec, a progress outside [0, 1] or NaN, or
///         a non-finite actual.
target_evaluation evaluate_target(const target_spec &spec, value actual, double progress);

/// The elapsed fraction of period `p` cut in zone `tz` at instant `as_of`:
/// `(as_of − start) / (end − start)` of window_of(p, tz), clamped to [0, 1] (0 before the period,
/// 1 from its end on). Real elapsed time, so a 25-hour DST day counts as such.
/// @throws kpi::error errc::invalid_argument for a period of kind none.
double period_progress(period p, const time_zone &tz, timestamp as_of);

/// True for the KPIs that are sums over the records of a period and so grow with it: counts
/// (calls, outbound_calls, connected_calls, handled_calls, offered_calls, answered_calls,
/// abandoned_calls, orders, new_customers, leads, mqls, sqls, uncontacted_leads, new_opportunities,
/// customers_lost) and sums (talk_time_total_s, sales_revenue, gross_profit). Everything else (rates,
/// means, medians, snapshots, growth) is not. Pure.
bool is_additive(kpi_id id) noexcept;

/// is_additive() by the KPI's contract name ("sales_revenue"); false for an unknown name. Pure.
bool is_additive(std::string_view kpi_name) noexcept;

/// The spec of a target record, with `additive` from is_additive(record.kpi).
/// @throws kpi::error errc::invalid_argument when the record fails kpi::check().
target_spec spec_of(const target_record &record);

/// A set of targets keyed by (kpi, agent_id, team_id, campaign_id, period): read from the canonical
/// target CSV or set through the API. At most one target per key.
class target_table {
 public:
  /// Sets (adds or replaces) the target of the record's key. @throws kpi::error
  /// errc::invalid_argument when the record fails kpi::check().
  void set(const target_record &record);

  /// Reads the canonical target CSV (kpis.md: `kpi`, `agent_id`, `team_id`, `campaign_id`, `period`,
  /// `op`, `value`, `value2`) through kpi::io::read_csv and adds every row. `name` names the stream
  /// in errors.
  /// @throws kpi::parse_error for a bad header or row; kpi::error errc::invalid_argument when two rows
  ///         have the same key (the message names it); errc::io when the stream fails.
  void read_csv(std::istream &in, std::string_view name);

  /// The target of the exact key, or null. Empty ids mean "not grouped by this dimension". The pointer
  /// is valid until the table is next modified. O(size()): a linear scan (target files are small).
  [[nodiscard]] const target_record *find(std::string_view kpi, std::string_view agent_id,
                                          std::string_view team_id, std::string_view campaign_id,
                                          period p) const noexcept;

  /// Every target, in insertion order (a replaced target keeps its place).
  [[nodiscard]] std::span<const target_record> records() const noexcept { return records_; }

  /// Number of targets.
  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }

 private:
  target_record *find_mutable(const target_record &key) noexcept;
  std::vector<target_record> records_;
};

}  // namespace kpi::views
