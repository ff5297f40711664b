// Targets: attainment, prorating, run-rate projection and status (kpi/views/targets.hpp).
#include "kpi/views/targets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <istream>
#include <string>

#include "detail.hpp"
#include "kpi/error.hpp"
#include "kpi/io/csv.hpp"

namespace kpi::views {
namespace {

using detail::invalid;
using detail::num;

bool holds(const target_spec &s, double x) {
  switch (s.op) {
    case target_op::at_least:
      return x >= s.value;
    case target_op::at_most:
      return x <= s.value;
    case target_op::between:
      return s.value <= x && x <= *s.value2;
  }
  return false;
}

value attainment_of(const target_spec &s, double actual) {
  switch (s.op) {
    case target_op::at_least:
      if (s.value > 0) return actual / s.value;
      return std::nullopt;
    case target_op::at_most:
      if (actual > 0 && s.value >= 0) return s.value / actual;
      return std::nullopt;
    case target_op::between:
      if (actual < s.value) {
        if (s.value > 0) return actual / s.value;
        return std::nullopt;
      }
      if (actual > *s.value2) return *s.value2 / actual;  // value2 >= value and actual > value2
      return 1.0;
  }
  return std::nullopt;
}

// The names of is_additive(kpi_id), kept next to the ids so the two overloads cannot drift.
struct additive_kpi {
  kpi_id id;
  std::string_view name;
};
constexpr std::array<additive_kpi, 18> additive_kpis{{
    {kpi_id::calls, "calls"},
    {kpi_id::outbound_calls, "outbound_calls"},
    {kpi_id::connected_calls, "connected_calls"},
    {kpi_id::handled_calls, "handled_calls"},
    {kpi_id::talk_time_total_s, "talk_time_total_s"},
    {kpi_id::offered_calls, "offered_calls"},
    {kpi_id::answered_calls, "answered_calls"},
    {kpi_id::abandoned_calls, "abandoned_calls"},
    {kpi_id::sales_revenue, "sales_revenue"},
    {kpi_id::orders, "orders"},
    {kpi_id::gross_profit, "gross_profit"},
    {kpi_id::new_customers, "new_customers"},
    {kpi_id::leads, "leads"},
    {kpi_id::mqls, "mqls"},
    {kpi_id::sqls, "sqls"},
    {kpi_id::uncontacted_leads, "uncontacted_leads"},
    {kpi_id::new_opportunities, "new_opportunities"},
    {kpi_id::customers_lost, "customers_lost"},
}};

bool same_key(const target_record &a, std::string_view kpi, std::string_view agent, std::string_view team,
              std::string_view campaign, period p) noexcept {
  return a.kpi == kpi && a.agent_id == agent && a.team_id == team && a.campaign_id == campaign &&
         a.period == p;
}

std::string key_text(const target_record &r) {
  std::string s = "kpi '" + r.kpi + "'";
  if (!r.agent_id.empty()) s += ", agent_id '" + r.agent_id + "'";
  if (!r.team_id.empty()) s += ", team_id '" + r.team_id + "'";
  if (!r.campaign_id.empty()) s += ", campaign_id '" + r.campaign_id + "'";
  return s + ", period " + label(r.period);
}

}  // namespace

void target_spec::validate() const {
  if (op != target_op::at_least && op != target_op::at_most && op != target_op::between) {
    invalid("target op " + std::to_string(static_cast<std::int32_t>(op)) +
            " is not >= (0), <= (1) or between (2)");
  }
  if (!std::isfinite(value)) invalid("target value " + num(value) + " is not finite");
  if (op == target_op::between) {
    if (!value2) invalid("a between target needs value2 (its upper bound)");
    if (!std::isfinite(*value2)) invalid("target value2 " + num(*value2) + " is not finite");
    if (*value2 < value) {
      invalid("target value2 " + num(*value2) + " is below value " + num(value) +
              " (between needs value <= value2)");
    }
  } else if (value2) {
    invalid(std::string("target value2 is only for between, not for ") + to_string(op));
  }
}

const char *to_string(target_status s) noexcept {
  switch (s) {
    case target_status::met:
      return "met";
    case target_status::on_track:
      return "on_track";
    case target_status::at_risk:
      return "at_risk";
    case target_status::missed:
      return "missed";
  }
  return "unknown";
}

target_evaluation evaluate_target(const target_spec &spec, value actual, double progress) {
  spec.validate();
  if (!(progress >= 0.0 && progress <= 1.0)) {
    invalid("target progress " + num(progress) + " is outside [0, 1] (elapsed fraction of the period)");
  }
  if (actual && !std::isfinite(*actual)) invalid("target actual " + num(*actual) + " is not finite");

  target_evaluation e;
  const double factor = spec.additive ? progress : 1.0;
  e.prorated_target = spec.value * factor;
  if (spec.op == target_op::between) e.prorated_target2 = *spec.value2 * factor;
  if (!actual) return e;

  const double x = *actual;
  e.attainment = attainment_of(spec, x);
  if (spec.additive && progress > 0) e.projection = x / progress;

  if (progress == 1.0) {
    e.status = holds(spec, x) ? target_status::met : target_status::missed;
    return e;
  }
  if (!spec.additive) {
    // A rate or mean can still move either way: judge its current value, never final early.
    e.status = holds(spec, x) ? target_status::on_track : target_status::at_risk;
    return e;
  }
  // Additive: the actual only grows from here on.
  switch (spec.op) {
    case target_op::at_least:
      if (x >= spec.value) {
        e.status = target_status::met;
        return e;
      }
      break;
    case target_op::at_most:
      if (x > spec.value) {
        e.status = target_status::missed;
        return e;
      }
      break;
    case target_op::between:
      if (x > *spec.value2) {
        e.status = target_status::missed;
        return e;
      }
      break;
  }
  if (!e.projection) {
    e.status = target_status::on_track;  // progress 0: nothing to project yet
  } else {
    e.status = holds(spec, *e.projection) ? target_status::on_track : target_status::at_risk;
  }
  return e;
}

double period_progress(period p, const time_zone &tz, timestamp as_of) {
  if (p.kind == period_kind::none) invalid("period_progress needs a calendar period, not 'all'");
  const window w = window_of(p, tz);
  if (as_of <= w.start) return 0.0;
  if (as_of >= w.end) return 1.0;
  return static_cast<double>((as_of - w.start).count()) / static_cast<double>(w.length().count());
}

bool is_additive(kpi_id id) noexcept {
  return std::any_of(additive_kpis.begin(), additive_kpis.end(),
                     [id](const additive_kpi &k) { return k.id == id; });
}

bool is_additive(std::string_view kpi_name) noexcept {
  return std::any_of(additive_kpis.begin(), additive_kpis.end(),
                     [kpi_name](const additive_kpi &k) { return k.name == kpi_name; });
}

target_spec spec_of(const target_record &record) {
  validate(record);
  target_spec s;
  s.op = record.op;
  s.value = record.value;
  s.value2 = record.value2;
  s.additive = is_additive(record.kpi);
  return s;
}

target_record *target_table::find_mutable(const target_record &key) noexcept {
  for (auto &r : records_) {
    if (same_key(r, key.kpi, key.agent_id, key.team_id, key.campaign_id, key.period)) return &r;
  }
  return nullptr;
}

void target_table::set(const target_record &record) {
  validate(record);
  if (target_record *existing = find_mutable(record)) {
    *existing = record;
  } else {
    records_.push_back(record);
  }
}

void target_table::read_csv(std::istream &in, std::string_view name) {
  std::vector<target_record> rows;
  io::read_csv<target_record>(in, name, [&rows](const target_record &r) { rows.push_back(r); });
  // Check the whole file before changing the table, so a failed read leaves it as it was.
  target_table merged = *this;
  const std::size_t before = merged.records_.size();
  for (const auto &r : rows) {
    const target_record *dup = merged.find_mutable(r);
    if (dup != nullptr && static_cast<std::size_t>(dup - merged.records_.data()) >= before) {
      invalid(std::string(name) + ": two targets for " + key_text(r));
    }
    merged.set(r);
  }
  records_ = std::move(merged.records_);
}

const target_record *target_table::find(std::string_view kpi, std::string_view agent_id,
                                        std::string_view team_id, std::string_view campaign_id,
                                        period p) const noexcept {
  for (const auto &r : records_) {
    if (same_key(r, kpi, agent_id, team_id, campaign_id, p)) return &r;
  }
  return nullptr;
}

}  // namespace kpi::views
