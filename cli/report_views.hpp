// The targets and alerts sections of `kpi report` (kpi::views over the report's engine).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kpi/engine.hpp"

namespace kpi::cli {

/// One target of the --targets file, evaluated.
struct target_row {
  std::string kpi, agent_id, team_id, campaign_id, period, op;
  double bound = 0;              ///< The target value (lower bound of `between`).
  std::optional<double> bound2;  ///< The upper bound of `between`.
  kpi::value actual, attainment, projection;
  double prorated_target = 0;
  std::string status;  ///< met, on_track, at_risk, missed; "no data"; or why it cannot be evaluated
};

/// One anomaly of a daily KPI series.
struct alert_row {
  std::string kpi, group, day;
  double actual = 0, expected = 0;
  kpi::value score;
};

/// The sections, empty when not asked for.
struct views_section {
  bool targets_asked = false, alerts_asked = false;
  std::vector<target_row> targets;         ///< Targets that could be evaluated.
  std::vector<std::string> not_evaluated;  ///< Why the others could not (one line each).
  std::vector<alert_row> alerts;
};

/// Evaluates the targets of `targets_file` (empty: none) against `eng` as of `as_of`, and, when
/// `alerts`, runs the anomaly detector over the daily series of every KPI and group of `request`
/// (whatever the report's own period: the engine keeps daily cells).
/// @throws kpi::parse_error for a bad target file.
views_section make_views(const std::string &targets_file, bool alerts, timestamp as_of, const engine &eng,
                         const report_request &request);

/// Adds "targets" and "alerts" arrays to a report's JSON when they were asked for.
void add_views_json(nlohmann::json &out, const views_section &views);

/// Prints the sections as aligned text tables.
void print_views_text(std::ostream &out, const views_section &views);

}  // namespace kpi::cli
