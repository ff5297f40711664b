// `kpi clv`: what each customer is worth. Fits BG/NBD (purchases, P(alive)) and Gamma-Gamma (value per
// purchase) on customer summaries, built from transactions or read from a summary file, and prints
// every customer's P(alive), expected purchases, expected value and discounted CLV.
#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kpi/error.hpp"
#include "kpi/models/clv.hpp"
#include "kpi/models/summary.hpp"
#include "kpi/time.hpp"
#include "table.hpp"

namespace kpi::cli {

namespace {

namespace m = kpi::models;

struct clv_options {
  std::string transactions;
  std::string summary;
  std::string unit = "week";
  std::string calibration_end;
  std::string time_zone;
  std::int32_t horizon = 12;
  double discount = 0.01;
  std::string format = "text";
};

std::ifstream open_input(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw exit_error{exit_bad_input, "cannot open '" + path + "'"};
  return in;
}

/// `--calibration-end`: a date (YYYY-MM-DD: that day in --time-zone) or an ISO 8601 instant with an
/// offset, as Unix milliseconds of an instant in the last calibration day.
std::int64_t calibration_end_ms(const std::string &text, const kpi::time_zone &zone) {
  if (text.size() == 10) {  // a date: kpi::parse_period reads "1997-09-30" as that day
    try {
      const kpi::period p = kpi::parse_period(text);
      if (p.kind == kpi::period_kind::day) return kpi::to_unix_ms(zone.start_of_local_day(p.start_day));
    } catch (const kpi::error &) {
    }
    throw exit_error{exit_usage, "--calibration-end: '" + text + "' is not a valid date (YYYY-MM-DD)"};
  }
  try {
    return kpi::to_unix_ms(kpi::parse_timestamp(text));
  } catch (const kpi::error &) {
    throw exit_error{exit_usage, "--calibration-end: '" + text +
                                     "' is neither a date (YYYY-MM-DD) nor an ISO 8601 time with an offset"};
  }
}

nlohmann::ordered_json optional_json(const kpi::value &v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

/// A number cell: 4 decimals for people, every digit (shortest round trip) in CSV; "" when undefined.
std::string cell(const kpi::value &v, output_format format) {
  if (!v) return format == output_format::csv ? "" : "-";
  return format == output_format::csv ? fmt::format("{}", *v) : fmt::format("{:.4f}", *v);
}

void run_clv(const clv_options &o) {
  const output_format format = parse_format(o.format);
  const m::time_unit unit = o.unit == "day" ? m::time_unit::day : m::time_unit::week;
  if (o.transactions.empty() == o.summary.empty())
    throw exit_error{exit_usage, "give exactly one of --transactions FILE and --summary FILE"};
  if (!o.summary.empty() && (!o.calibration_end.empty() || !o.time_zone.empty()))
    throw exit_error{exit_usage, "--calibration-end and --time-zone apply to --transactions only"};

  std::vector<m::customer_summary> customers;
  if (!o.transactions.empty()) {
    std::ifstream in = open_input(o.transactions);
    m::summary_options so;
    so.unit = unit;
    so.time_zone = o.time_zone;
    const kpi::time_zone zone =
        o.time_zone.empty() ? kpi::time_zone::utc() : kpi::time_zone::locate(o.time_zone);
    if (!o.calibration_end.empty()) so.calibration_end_ms = calibration_end_ms(o.calibration_end, zone);
    customers = m::summarize(m::read_transactions(in, o.transactions, o.time_zone), so);
  } else {
    std::ifstream in = open_input(o.summary);
    customers = m::read_summary(in, o.summary);
  }
  if (customers.empty()) throw exit_error{exit_bad_input, "no customers in the input"};

  m::clv_options co;
  co.horizon_months = o.horizon;
  co.monthly_discount = o.discount;
  co.unit = unit;
  const m::clv_report report = m::analyze_customers(customers, co);
  const auto &bg = report.purchases;

  if (format == output_format::json) {
    nlohmann::ordered_json j;
    j["bgnbd"] = {{"r", bg.params.r}, {"alpha", bg.params.alpha}, {"a", bg.params.a},
                  {"b", bg.params.b}, {"loglik", bg.loglik},      {"customers", bg.customers}};
    if (report.value) {
      const auto &gg = *report.value;
      j["gamma_gamma"] = {{"p", gg.params.p},
                          {"q", gg.params.q},
                          {"gamma", gg.params.gamma},
                          {"loglik", gg.loglik},
                          {"customers", gg.customers}};
    } else {
      j["gamma_gamma"] = nullptr;
    }
    j["unit"] = o.unit;
    j["units_per_month"] = m::units_per_month(unit);
    j["horizon_months"] = o.horizon;
    j["monthly_discount"] = o.discount;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto &c : report.customers) {
      rows.push_back({{"id", c.id},
                      {"p_alive", c.p_alive},
                      {"expected_purchases", c.expected_purchases},
                      {"expected_value", optional_json(c.expected_value)},
                      {"clv", optional_json(c.clv)}});
    }
    j["customers"] = std::move(rows);
    std::cout << j.dump(2) << '\n';
    return;
  }

  table t;
  t.header = {"id", "p_alive", "expected_purchases", "expected_value", "clv"};
  t.right_align = {false, true, true, true, true};
  for (const auto &c : report.customers) {
    t.rows.push_back({c.id, cell(c.p_alive, format), cell(c.expected_purchases, format),
                      cell(c.expected_value, format), cell(c.clv, format)});
  }
  switch (format) {
    case output_format::csv:
      write_csv(std::cout, t);
      break;
    case output_format::markdown:
      write_markdown(std::cout, t);
      break;
    default: {
      const char *unit_name = unit == m::time_unit::day ? "days" : "weeks";
      std::cout << fmt::format(
          "BG/NBD ({} customers, {}): r {:.4f}, alpha {:.4f}, a {:.4f}, b {:.4f}, "
          "log-likelihood {:.2f}\n",
          bg.customers, unit_name, bg.params.r, bg.params.alpha, bg.params.a, bg.params.b, bg.loglik);
      if (report.value) {
        const auto &gg = *report.value;
        std::cout << fmt::format(
            "Gamma-Gamma ({} repeat buyers): p {:.4f}, q {:.4f}, gamma {:.4f}, "
            "log-likelihood {:.2f}\n",
            gg.customers, gg.params.p, gg.params.q, gg.params.gamma, gg.loglik);
      } else {
        std::cout << "Gamma-Gamma: not fitted (fewer than two repeat buyers with a value); no CLV\n";
      }
      std::cout << fmt::format("CLV over {} months of {:g} {}, discounted {:g}% a month\n\n", o.horizon,
                               m::units_per_month(unit), unit_name, 100 * o.discount);
      write_text(std::cout, t);
    }
  }
}

}  // namespace

void add_clv_command(CLI::App &app) {
  auto *cmd = app.add_subcommand(
      "clv",
      "What each customer is worth: BG/NBD (expected purchases, P(alive)) and Gamma-Gamma (value per "
      "purchase) fitted by maximum likelihood, and the CLV discounted month by month. Input: transactions "
      "(CSV with customer_id, time, amount, or the CDNOW layout) or a summary CSV (ID,x,t_x,T,zbar).");
  auto o = std::make_shared<clv_options>();
  auto *tx = cmd->add_option("--transactions", o->transactions,
                             "Transactions: CSV (customer_id, time, amount) or the CDNOW layout");
  auto *sm = cmd->add_option("--summary", o->summary, "Customer summaries: CSV with ID,x,t_x,T,zbar");
  tx->excludes(sm);
  cmd->add_option("--unit", o->unit, "Time unit of the summaries and the model")
      ->check(CLI::IsMember({"day", "week"}))
      ->capture_default_str();
  cmd->add_option("--calibration-end", o->calibration_end,
                  "Last day of the calibration period (YYYY-MM-DD), with --transactions; default: the last "
                  "purchase's day");
  cmd->add_option("--time-zone", o->time_zone, "IANA zone whose days group purchases (default UTC)");
  cmd->add_option("--horizon", o->horizon, "CLV horizon in months (>= 0)")->capture_default_str();
  cmd->add_option("--discount", o->discount, "Discount rate per month, a fraction (0.01 = 1 %)")
      ->capture_default_str();
  cmd->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown"}))
      ->capture_default_str();
  cmd->callback([o] { run_clv(*o); });
}

}  // namespace kpi::cli
