#include "report_views.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>

#include "commands.hpp"
#include "kpi/error.hpp"
#include "kpi/views/anomaly.hpp"
#include "kpi/views/targets.hpp"
#include "table.hpp"

namespace kpi::cli {

namespace {

std::string group_label(const group_values &g) {
  if (g.empty()) return "(all)";
  std::string text;
  for (const auto &[dim, val] : g)
    text += (text.empty() ? "" : ",") + std::string(to_string(dim)) + "=" + val;
  return text;
}

target_row evaluate_one(const target_record &t, timestamp as_of, const engine &eng,
                        const kpi_params &params) {
  target_row row{t.kpi,           t.agent_id, t.team_id, t.campaign_id, label(t.period),
                 to_string(t.op), t.value,    t.value2,  std::nullopt,  std::nullopt,
                 std::nullopt,    0,          ""};
  const kpi_info *k = find_kpi(t.kpi);
  if (k == nullptr || k->evaluate == nullptr) {
    row.status = "not a windowed KPI";
    return row;
  }
  group_filter filter;
  const auto &dims = eng.options().group_by;
  const std::pair<dimension, const std::string *> ids[] = {{dimension::agent_id, &t.agent_id},
                                                           {dimension::team_id, &t.team_id},
                                                           {dimension::campaign_id, &t.campaign_id}};
  for (const auto &[d, id] : ids) {
    if (id->empty()) continue;
    if (std::find(dims.begin(), dims.end(), d) == dims.end()) {
      row.status = std::string("needs --group-by ") + to_string(d);
      return row;
    }
    filter.where(d, *id);
  }
  try {
    row.actual = eng.evaluate(k->id, filter, t.period, params);
  } catch (const kpi::error &e) {
    row.status = e.what();
    return row;
  }
  const views::target_evaluation ev = views::evaluate_target(
      views::spec_of(t), row.actual, views::period_progress(t.period, eng.options().zone, as_of));
  row.attainment = ev.attainment;
  row.projection = ev.projection;
  row.prorated_target = ev.prorated_target;
  row.status = ev.status ? views::to_string(*ev.status) : "no data";
  return row;
}

std::string number(const value &v) {
  return v ? fmt::format("{:.4g}", *v) : "-";
}

}  // namespace

views_section make_views(const std::string &targets_file, bool alerts, timestamp as_of, const engine &eng,
                         const report_request &request) {
  const kpi_params &params = request.params;
  views_section out;
  if (!targets_file.empty()) {
    out.targets_asked = true;
    views::target_table table;
    std::ifstream in(targets_file, std::ios::binary);
    if (!in) throw exit_error{exit_bad_input, "cannot open '" + targets_file + "'"};
    table.read_csv(in, targets_file);
    for (const target_record &t : table.records()) {
      target_row row = evaluate_one(t, as_of, eng, params);
      if (row.status.rfind("needs --group-by", 0) == 0) {
        out.not_evaluated.push_back(row.kpi + " " + row.agent_id + row.team_id + row.campaign_id + " " +
                                    row.period + ": " + row.status);
      } else {
        out.targets.push_back(std::move(row));
      }
    }
  }
  if (alerts) {
    out.alerts_asked = true;
    report_request daily = request;
    daily.period = period_kind::day;
    daily.from.reset();
    daily.to.reset();
    const report r = eng.make_report(daily);
    views::anomaly_options options;
    options.zone = eng.options().zone;
    for (std::size_t k = 0; k < r.kpis.size(); ++k) {
      std::map<group_values, std::vector<views::series_point>> series;
      for (const report_row &row : r.rows) {
        series[row.group].push_back({window_of(row.period, options.zone).start, row.values[k]});
      }
      for (const auto &[group, points] : series) {
        for (const views::anomaly_alert &a : views::detect_anomalies(points, options)) {
          out.alerts.push_back({std::string(info(r.kpis[k]).name), group_label(group),
                                label(period_of(a.time, period_kind::day, options.zone)), a.actual,
                                a.expected, a.score});
        }
      }
    }
  }
  return out;
}

void add_views_json(nlohmann::json &out, const views_section &views) {
  auto opt = [](const value &v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  if (views.targets_asked) {
    nlohmann::json targets = nlohmann::json::array();
    for (const target_row &t : views.targets) {
      targets.push_back({{"kpi", t.kpi},
                         {"agent_id", t.agent_id},
                         {"team_id", t.team_id},
                         {"campaign_id", t.campaign_id},
                         {"period", t.period},
                         {"op", t.op},
                         {"value", t.bound},
                         {"value2", t.bound2 ? nlohmann::json(*t.bound2) : nlohmann::json(nullptr)},
                         {"actual", opt(t.actual)},
                         {"attainment", opt(t.attainment)},
                         {"prorated_target", t.prorated_target},
                         {"projection", opt(t.projection)},
                         {"status", t.status}});
    }
    out["targets"] = targets;
    out["targets_not_evaluated"] = views.not_evaluated;
  }
  if (views.alerts_asked) {
    nlohmann::json alerts = nlohmann::json::array();
    for (const alert_row &a : views.alerts) {
      alerts.push_back({{"kpi", a.kpi},
                        {"group", a.group},
                        {"day", a.day},
                        {"actual", a.actual},
                        {"expected", a.expected},
                        {"score", opt(a.score)}});
    }
    out["alerts"] = alerts;
  }
}

void print_views_text(std::ostream &out, const views_section &views) {
  if (views.targets_asked) {
    out << "\nTargets\n";
    table t{{"kpi", "group", "period", "target", "actual", "attainment", "projection", "status"},
            {},
            {false, false, false, false, true, true, true, false}};
    for (const target_row &r : views.targets) {
      std::string group = r.agent_id +
                          (r.team_id.empty() ? "" : (r.agent_id.empty() ? "" : ",") + r.team_id) +
                          (r.campaign_id.empty() ? "" : "," + r.campaign_id);
      std::string target =
          r.op + " " + fmt::format("{:g}", r.bound) + (r.bound2 ? fmt::format("..{:g}", *r.bound2) : "");
      t.rows.push_back({r.kpi, group.empty() ? "(all)" : group, r.period, target, number(r.actual),
                        number(r.attainment), number(r.projection), r.status});
    }
    write_text(out, t);
    if (!views.not_evaluated.empty()) {
      out << views.not_evaluated.size() << " more target" << (views.not_evaluated.size() == 1 ? "" : "s")
          << " need a grouping this report does not have, e.g. " << views.not_evaluated.front() << "\n";
    }
  }
  if (views.alerts_asked) {
    out << "\nAlerts on the daily series (robust z-score over 28 days, day-of-week removed, |z| > 3.5)\n";
    if (views.alerts.empty()) {
      out << "none\n";
      return;
    }
    table t{{"day", "kpi", "group", "actual", "expected", "z"}, {}, {false, false, false, true, true, true}};
    for (const alert_row &a : views.alerts) {
      t.rows.push_back({a.day, a.kpi, a.group, fmt::format("{:.4g}", a.actual),
                        fmt::format("{:.4g}", a.expected), number(a.score)});
    }
    write_text(out, t);
  }
}

}  // namespace kpi::cli
