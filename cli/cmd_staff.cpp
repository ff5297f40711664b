// `kpi staff`: agents needed for a service-level target (Erlang C, or Erlang A with --patience), or the
// measures of a given number of agents, with a table of the staffing levels around the answer.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.hpp"
#include "kpi/staffing/erlang.hpp"
#include "table.hpp"

namespace kpi::cli {

namespace {

namespace st = kpi::staffing;

/// Rows of the table on each side of the answer.
constexpr std::int64_t table_reach = 3;

struct staff_options {
  double calls = 0.0;
  double interval_s = 0.0;
  double aht_s = 0.0;
  double target = 0.8;
  double answer_within_s = 20.0;
  double shrinkage = 0.0;
  double max_occupancy = 1.0;
  std::optional<double> patience_s;
  std::optional<std::int64_t> agents;
  std::string format = "text";
};

nlohmann::ordered_json optional_json(const kpi::value &v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json row_json(const st::queue_metrics &m, std::int64_t scheduled, bool meets) {
  return {{"agents", m.agents},
          {"scheduled", scheduled},
          {"service_level", m.service_level},
          {"p_wait", m.p_wait},
          {"asa_s", m.asa_s},
          {"occupancy", m.occupancy},
          {"p_abandon", optional_json(m.p_abandon)},
          {"mean_wait_s", m.mean_wait_s},
          {"meets_target", meets}};
}

std::string percent(double share) {
  return fmt::format("{:.1f}%", 100.0 * share);
}

/// A table cell: a percentage for people, or the fraction itself (shortest round-trip form) in CSV.
std::string share_cell(double share, output_format format) {
  return format == output_format::csv ? fmt::format("{}", share) : percent(share);
}

/// A table cell in seconds: two decimals for people, every digit in CSV.
std::string seconds_cell(double s, output_format format) {
  return format == output_format::csv ? fmt::format("{}", s) : fmt::format("{:.2f}", s);
}

void run_staff(const staff_options &o) {
  const output_format format = parse_format(o.format);
  st::queue_model model{o.calls, o.interval_s, o.aht_s, o.answer_within_s, o.patience_s};
  const st::staffing_target target{o.target, o.max_occupancy, o.shrinkage};
  const double traffic = st::traffic_erlangs(o.calls, o.interval_s, o.aht_s);
  const bool erlang_a = o.patience_s.has_value();

  std::int64_t agents = 0;
  st::queue_metrics answer;
  if (o.agents) {
    agents = *o.agents;
    answer = st::evaluate(model, agents);
  } else {
    const st::staffing_plan plan = st::solve(model, target);
    agents = plan.agents;
    answer = plan.metrics;
  }
  const std::int64_t scheduled = st::scheduled_agents(agents, o.shrinkage);
  const bool meets = st::meets_target(answer, target);

  // The table: the answer and up to table_reach levels on each side, from the fewest agents the model
  // accepts (more than the traffic under Erlang C, at least one under Erlang A).
  const std::int64_t fewest = erlang_a ? 1 : static_cast<std::int64_t>(std::floor(traffic)) + 1;
  const std::int64_t first = std::max(fewest, agents - table_reach);
  const std::int64_t last = std::min(st::max_agents, agents + table_reach);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  table t;
  t.header = {"", "agents", "scheduled", "service_level", "p_wait", "asa_s", "occupancy"};
  if (erlang_a) {
    t.header.insert(t.header.end(), {"p_abandon", "mean_wait_s"});
  }
  t.header.push_back("meets_target");
  t.right_align.assign(t.header.size(), true);
  t.right_align.front() = false;
  t.right_align.back() = false;
  for (std::int64_t n = first; n <= last; ++n) {
    const st::queue_metrics m = n == agents ? answer : st::evaluate(model, n);
    const std::int64_t sched = st::scheduled_agents(n, o.shrinkage);
    const bool ok = st::meets_target(m, target);
    rows.push_back(row_json(m, sched, ok));
    std::vector<std::string> cells = {n == agents ? "*" : "",         std::to_string(n),
                                      std::to_string(sched),          share_cell(m.service_level, format),
                                      share_cell(m.p_wait, format),   seconds_cell(m.asa_s, format),
                                      share_cell(m.occupancy, format)};
    if (erlang_a) {
      cells.push_back(share_cell(*m.p_abandon, format));
      cells.push_back(seconds_cell(m.mean_wait_s, format));
    }
    cells.emplace_back(ok ? "yes" : "no");
    t.rows.push_back(std::move(cells));
  }

  switch (format) {
    case output_format::json: {
      nlohmann::ordered_json j = row_json(answer, scheduled, meets);
      j["model"] = erlang_a ? "erlang_a" : "erlang_c";
      j["traffic_erlangs"] = traffic;
      j["table"] = rows;
      std::cout << j.dump(2) << '\n';
      break;
    }
    case output_format::csv:
      t.header.front() = "answer";
      write_csv(std::cout, t);
      break;
    case output_format::markdown:
      t.header.front() = "answer";
      write_markdown(std::cout, t);
      break;
    case output_format::text: {
      std::cout << fmt::format("{}: {:g} calls in {:g} s, AHT {:g} s = {:.4g} Erlangs",
                               erlang_a ? "Erlang A" : "Erlang C", o.calls, o.interval_s, o.aht_s, traffic);
      if (erlang_a) std::cout << fmt::format(", mean patience {:g} s", *o.patience_s);
      std::cout << fmt::format("\nTarget: {} answered within {:g} s, occupancy at most {}, shrinkage {}\n",
                               percent(o.target), o.answer_within_s, percent(o.max_occupancy),
                               percent(o.shrinkage));
      std::cout << fmt::format("{}: {}, scheduled with shrinkage: {}{}\n",
                               o.agents ? "Agents" : "Agents needed", agents, scheduled,
                               o.agents ? (meets ? " (meets the target)" : " (misses the target)") : "");
      std::cout << fmt::format("Service level {}, P(wait) {}, ASA {:.2f} s, occupancy {}",
                               percent(answer.service_level), percent(answer.p_wait), answer.asa_s,
                               percent(answer.occupancy));
      if (erlang_a) {
        std::cout << fmt::format(", P(abandon) {}, mean wait of all calls {:.2f} s",
                                 percent(*answer.p_abandon), answer.mean_wait_s);
      }
      std::cout << "\n\n";
      write_text(std::cout, t);
      break;
    }
  }
}

}  // namespace

void add_staff_command(CLI::App &app) {
  auto *cmd = app.add_subcommand(
      "staff",
      "Agents needed for a service-level target (Erlang C; Erlang A with --patience), or the measures of "
      "--agents N, with a table of agents against service level, ASA and occupancy. Times in seconds, "
      "shares as fractions 0..1.");
  auto o = std::make_shared<staff_options>();
  cmd->add_option("--calls", o->calls, "Calls offered in the interval (> 0)")->required();
  cmd->add_option("--interval", o->interval_s, "Interval length in seconds (> 0), e.g. 1800")->required();
  cmd->add_option("--aht", o->aht_s, "Average handle time in seconds (> 0)")->required();
  cmd->add_option("--target", o->target, "Service-level target, a share in [0, 1)")->capture_default_str();
  cmd->add_option("--answer-within", o->answer_within_s, "Service-level threshold in seconds")
      ->capture_default_str();
  cmd->add_option("--shrinkage", o->shrinkage, "Share of paid time off the phones, in [0, 1)")
      ->capture_default_str();
  cmd->add_option("--max-occupancy", o->max_occupancy, "Occupancy cap, in (0, 1]")->capture_default_str();
  cmd->add_option("--patience", o->patience_s, "Mean caller patience in seconds: selects Erlang A");
  cmd->add_option("--agents", o->agents, "Evaluate this many agents instead of solving for them");
  cmd->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown"}))
      ->capture_default_str();
  cmd->callback([o] { run_staff(*o); });
}

}  // namespace kpi::cli
