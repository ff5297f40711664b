// Customer summaries (x, t_x, T, zbar) from transactions.
#include "kpi/models/summary.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

#include "kpi/error.hpp"
#include "kpi/time.hpp"
#include "models/detail.hpp"

namespace kpi::models {

double days_per_unit(time_unit unit) {
  switch (unit) {
    case time_unit::day:
      return 1.0;
    case time_unit::week:
      return 7.0;
  }
  throw error(errc::invalid_argument,
              "time unit " + std::to_string(static_cast<int>(unit)) + " is neither day (0) nor week (1)");
}

void validate(const customer_summary &c) {
  const std::string who = "customer '" + c.id + "': ";
  auto fail = [&](const std::string &what) { throw error(errc::invalid_argument, who + what); };
  if (!std::isfinite(c.x) || c.x < 0 || c.x != std::floor(c.x))
    fail("x (repeat purchases) must be a whole number >= 0, got " + std::to_string(c.x));
  if (!std::isfinite(c.T) || c.T < 0) fail("T must be finite and >= 0, got " + std::to_string(c.T));
  if (!std::isfinite(c.t_x) || c.t_x < 0 || c.t_x > c.T)
    fail("t_x must be in [0, T] = [0, " + std::to_string(c.T) + "], got " + std::to_string(c.t_x));
  if (!std::isfinite(c.zbar) || c.zbar < 0)
    fail("zbar must be finite and >= 0, got " + std::to_string(c.zbar));
}

std::vector<customer_summary> summarize(std::span<const transaction> transactions,
                                        const summary_options &options) {
  const double unit_days = days_per_unit(options.unit);
  const time_zone zone = options.time_zone.empty() ? time_zone::utc() : time_zone::locate(options.time_zone);
  auto day_of = [&](std::int64_t ms) -> std::int64_t { return zone.local_day(from_unix_ms(ms)); };

  struct purchases {
    std::string id;
    std::vector<std::pair<std::int64_t, double>> by_day;  // (day, amount)
  };
  std::vector<purchases> customers;
  std::unordered_map<std::string, std::size_t> index;
  std::int64_t last_day = 0;
  bool any = false;
  for (const transaction &t : transactions) {
    if (t.customer_id.empty()) throw error(errc::invalid_argument, "a transaction has an empty customer id");
    if (!std::isfinite(t.amount))
      throw error(errc::invalid_argument,
                  "customer '" + t.customer_id + "': a transaction amount is not finite");
    auto [it, inserted] = index.try_emplace(t.customer_id, customers.size());
    if (inserted) customers.push_back({t.customer_id, {}});
    const std::int64_t day = day_of(t.time_ms);
    customers[it->second].by_day.emplace_back(day, t.amount);
    last_day = any ? std::max(last_day, day) : day;
    any = true;
  }
  const std::int64_t end_day = options.calibration_end_ms ? day_of(*options.calibration_end_ms) : last_day;

  std::vector<customer_summary> out;
  out.reserve(customers.size());
  for (purchases &c : customers) {
    auto &v = c.by_day;
    std::sort(v.begin(), v.end(), [](const auto &l, const auto &r) { return l.first < r.first; });
    const std::int64_t first = v.front().first;
    if (first > end_day) continue;  // acquired after the calibration period
    double repeats = 0;
    double repeat_value = 0;
    std::int64_t last = first;
    std::int64_t current = first;
    double current_value = 0;
    // Walk the days after the first: each distinct day is one purchase worth the day's total.
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto [day, amount] = v[i];
      if (day > end_day) break;
      if (day == first) continue;
      if (day != current) {
        if (current != first) {
          repeats += 1;
          repeat_value += current_value;
        }
        current = day;
        current_value = 0;
      }
      current_value += amount;
      last = day;
    }
    if (current != first) {
      repeats += 1;
      repeat_value += current_value;
    }
    customer_summary s;
    s.id = std::move(c.id);
    s.x = repeats;
    s.t_x = static_cast<double>(last - first) / unit_days;
    s.T = static_cast<double>(end_day - first) / unit_days;
    s.zbar = repeats > 0 ? repeat_value / repeats : 0.0;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace kpi::models
