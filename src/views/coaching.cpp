// Coaching flags: agents under their team's quantile for k consecutive periods
// (kpi/views/coaching.hpp).
#include "kpi/views/coaching.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include "detail.hpp"

namespace kpi::views {
namespace {

using detail::invalid;
using detail::num;

// Type-7 quantile of values already sorted ascending (not empty). Hand-written: Boost 1.74's
// univariate statistics offer the median and an interquartile range but no general sample quantile.
double quantile_sorted(const std::vector<double> &x, double p) {
  const double h = static_cast<double>(x.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= x.size()) return x.back();
  return x[lo] + (h - static_cast<double>(lo)) * (x[lo + 1] - x[lo]);
}

}  // namespace

value quantile_type7(std::span<const double> values, double p) {
  if (!(p >= 0.0 && p <= 1.0)) invalid("quantile p " + num(p) + " is outside [0, 1]");
  if (values.empty()) return std::nullopt;
  std::vector<double> x(values.begin(), values.end());
  for (double v : x) {
    if (!std::isfinite(v)) invalid("quantile of a non-finite value " + num(v));
  }
  std::sort(x.begin(), x.end());
  return quantile_sorted(x, p);
}

std::vector<coaching_flag> coaching_flags(std::span<const agent_series> agents,
                                          const coaching_options &options) {
  if (options.k == 0) invalid("coaching k must be >= 1 (consecutive periods), got 0");
  if (!(options.percentile > 0.0 && options.percentile < 1.0)) {
    invalid("coaching percentile " + num(options.percentile) + " is outside (0, 1)");
  }
  if (options.order != better::higher && options.order != better::lower) {
    invalid("coaching order " + std::to_string(static_cast<std::int32_t>(options.order)) +
            " is not higher (0) or lower (1)");
  }
  if (agents.empty()) return {};
  const std::size_t periods = agents.front().values.size();
  for (const auto &a : agents) {
    if (a.values.size() != periods) {
      invalid("coaching series of agent '" + a.agent + "' has " + std::to_string(a.values.size()) +
              " periods, agent '" + agents.front().agent + "' has " + std::to_string(periods));
    }
    for (const auto &v : a.values) {
      if (v && !std::isfinite(*v))
        invalid("coaching value " + num(*v) + " of agent '" + a.agent + "' is not finite");
    }
  }

  // Agents by team.
  std::map<std::string_view, std::vector<std::size_t>> teams;
  for (std::size_t i = 0; i < agents.size(); ++i) teams[agents[i].team].push_back(i);

  const bool higher = options.order == better::higher;
  const double p = higher ? options.percentile : 1.0 - options.percentile;
  std::vector<std::size_t> streak(agents.size(), 0);
  std::vector<double> sample;
  for (std::size_t t = 0; t < periods; ++t) {
    for (const auto &[team, members] : teams) {
      sample.clear();
      for (std::size_t i : members) {
        if (agents[i].values[t]) sample.push_back(*agents[i].values[t]);
      }
      std::sort(sample.begin(), sample.end());
      // An empty sample (nobody in the team has data at t) flags nobody.
      const bool has_q = !sample.empty();
      const double q = has_q ? quantile_sorted(sample, p) : 0.0;
      for (std::size_t i : members) {
        const value &v = agents[i].values[t];
        const bool under = has_q && v.has_value() && (higher ? *v < q : *v > q);
        streak[i] = under ? streak[i] + 1 : 0;
      }
    }
  }

  std::vector<coaching_flag> flags;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    if (streak[i] >= options.k) {
      flags.push_back(coaching_flag{i, agents[i].agent, agents[i].team, streak[i], periods - streak[i]});
    }
  }
  return flags;
}

}  // namespace kpi::views
