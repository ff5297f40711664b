// `kpi report`: the sales call report. Reads canonical CSVs, Asterisk CDRs and queue logs into one
// streaming engine and prints every KPI the inputs allow, per group and period.
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "kpi/engine.hpp"
#include "kpi/io/asterisk.hpp"
#include "kpi/io/csv.hpp"
#include "report_views.hpp"
#include "table.hpp"

namespace kpi::cli {

namespace {

/// Everything `kpi report` is asked for on the command line.
struct report_args {
  std::vector<std::string> calls, orders, leads, opportunities, customers, spend, cdr, queue_log;
  std::string targets;
  bool alerts = false;
  std::string as_of;
  std::string group_by;
  std::string period = "month";
  std::string tz = "UTC";
  std::string from, to;
  std::string kpis;
  std::string currency;
  std::string format = "text";
  bool lenient = false;
  bool deduplicate = false;
  std::string cdr_layout = "detect";
  std::vector<std::string> inbound_contexts;
  // KPI variants (kpi::kpi_params).
  std::string sl_variant = "answered_only";
  double sl_threshold = 20;
  double short_abandon = 0;
  bool timeouts_as_abandons = false;
  double short_call = 120;
  std::string win_rate = "period";
  std::string lead_to_opportunity = "cohort";
  std::string churn = "start";
  double churn_inactivity_days = 0;       // > 0: churn derived from orders
  std::optional<double> control_revenue;  // incremental_sales baseline from a control group
  double control_size = 1, treated_size = 1;
  std::string growth = "previous";
};

/// What one input file gave.
struct file_count {
  std::string file;
  std::string family;
  io::read_report report;
  std::uint64_t records = 0;  // records handed to the engine (CDR: calls after grouping)
};

/// Progress on stderr, only when stderr is a terminal: one line rewritten in place.
class progress {
 public:
  progress() : enabled_(isatty(STDERR_FILENO) == 1) {}
  void tick(const std::string &file, std::uint64_t records) {
    if (enabled_ && records % 100000 == 0)
      std::fprintf(stderr, "\rkpi: %s: %llu records", file.c_str(), static_cast<unsigned long long>(records));
  }
  void done() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
};

std::vector<std::string> split(const std::string &text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

[[noreturn]] void usage(const std::string &message) {
  throw exit_error{exit_usage, message};
}

std::ifstream open_input(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw exit_error{exit_bad_input, "cannot open '" + path + "'"};
  return in;
}

template <class E>
E choose(const std::string &option, const std::string &value,
         std::initializer_list<std::pair<const char *, E>> choices) {
  for (const auto &[name, e] : choices) {
    if (value == name) return e;
  }
  usage("--" + option + ": unknown value '" + value + "'");
}

kpi_params make_params(const report_args &a) {
  kpi_params p;
  p.service_level_formula = choose<service_level_variant>(
      "service-level-variant", a.sl_variant,
      {{"answered_only", service_level_variant::answered_only},
       {"ignore_abandons", service_level_variant::ignore_abandons},
       {"abandons_negative", service_level_variant::abandons_negative},
       {"abandons_positive", service_level_variant::abandons_positive},
       {"exclude_short_abandons", service_level_variant::exclude_short_abandons}});
  p.service_level_threshold_s = a.sl_threshold;
  p.short_abandon_threshold_s = a.short_abandon;
  p.timeouts_as_abandons = a.timeouts_as_abandons;
  p.short_call_threshold_s = a.short_call;
  p.win_rate_mode = choose<funnel_mode>("win-rate", a.win_rate,
                                        {{"period", funnel_mode::period}, {"cohort", funnel_mode::cohort}});
  p.lead_to_opportunity_mode =
      choose<funnel_mode>("lead-to-opportunity", a.lead_to_opportunity,
                          {{"period", funnel_mode::period}, {"cohort", funnel_mode::cohort}});
  p.churn_formula = choose<churn_denominator>(
      "churn", a.churn, {{"start", churn_denominator::start}, {"average", churn_denominator::average}});
  p.churn_inactivity_days = a.churn_inactivity_days;
  p.control_revenue = a.control_revenue;
  p.control_size = a.control_size;
  p.treated_size = a.treated_size;
  p.sales_growth_base = choose<growth_base>(
      "growth", a.growth, {{"previous", growth_base::previous}, {"yoy", growth_base::year_before}});
  try {
    p.validate();
  } catch (const kpi::error &e) {
    usage(e.what());
  }
  return p;
}

/// Reads every input into `eng`, returning what each file gave.
std::vector<file_count> read_inputs(const report_args &a, engine &eng, std::uint32_t &families) {
  std::vector<file_count> files;
  progress bar;
  io::read_options csv;
  csv.mode = a.lenient ? io::read_mode::lenient : io::read_mode::strict;
  if (!a.currency.empty()) csv.default_currency = currency::of(a.currency);

  auto read_family = [&](const std::vector<std::string> &paths, const char *family_name, std::uint32_t bit,
                         auto tag) {
    using record = decltype(tag);
    for (const std::string &path : paths) {
      std::ifstream in = open_input(path);
      file_count count{path, family_name, {}, 0};
      count.report = io::read_csv<record>(
          in, path,
          [&](const record &r) {
            eng.add(r);
            bar.tick(path, ++count.records);
          },
          csv);
      files.push_back(std::move(count));
      families |= bit;
    }
  };
  read_family(a.calls, "calls", family_calls, call_record{});
  read_family(a.orders, "orders", family_orders, order_record{});
  read_family(a.leads, "leads", family_leads, lead_record{});
  read_family(a.opportunities, "opportunities", family_opportunities, opportunity_record{});
  read_family(a.customers, "customers", family_customers, customer_record{});
  read_family(a.spend, "spend", family_spend, spend_record{});

  for (const std::string &path : a.cdr) {
    std::ifstream in = open_input(path);
    io::cdr_options options;
    options.layout = io::parse_cdr_layout(a.cdr_layout);
    options.zone = eng.options().zone;
    options.mode = csv.mode;
    if (!a.inbound_contexts.empty()) options.inbound_contexts = a.inbound_contexts;
    file_count count{path, "asterisk_cdr", {}, 0};
    count.report = io::read_asterisk_cdr(
                       in, path,
                       [&](const call_record &r) {
                         eng.add(r);
                         bar.tick(path, ++count.records);
                       },
                       options)
                       .rows;
    files.push_back(std::move(count));
    families |= family_calls;
  }
  for (const std::string &path : a.queue_log) {
    std::ifstream in = open_input(path);
    io::queue_log_options options;
    options.zone = eng.options().zone;
    options.mode = csv.mode;
    file_count count{path, "asterisk_queue_log", {}, 0};
    count.report = io::read_asterisk_queue_log(
                       in, path,
                       [&](const call_record &r) {
                         eng.add(r);
                         bar.tick(path, ++count.records);
                       },
                       options)
                       .rows;
    files.push_back(std::move(count));
    families |= family_calls;
  }
  bar.done();
  return files;
}

/// The requested KPIs, or every windowed KPI whose record families the inputs provide.
std::vector<kpi_id> select_kpis(const std::string &list, std::uint32_t families) {
  std::vector<kpi_id> ids;
  if (!list.empty()) {
    for (const std::string &name : split(list)) {
      const kpi_info *k = find_kpi(name);
      if (k == nullptr) usage("--kpi: unknown KPI '" + name + "' (see `kpi kpis`)");
      if (k->evaluate == nullptr) usage("--kpi: '" + name + "' is not computed per group and period");
      ids.push_back(k->id);
    }
    return ids;
  }
  for (const kpi_info &k : catalog()) {
    const std::uint32_t needed = k.families & ~static_cast<std::uint32_t>(family_targets);
    if (k.evaluate != nullptr && needed != 0 && (needed & families) == needed) ids.push_back(k.id);
  }
  return ids;
}

std::optional<period> parse_bound(const std::string &text, period_kind kind, const time_zone &zone) {
  if (text.empty()) return std::nullopt;
  try {
    const period p = parse_period(text);
    if (p.kind == kind) return p;
    // A label of another kind ("2026-11-05" for a monthly report) names the period containing its start.
    return period_of(window_of(p, zone).start, kind, zone);
  } catch (const kpi::error &) {
    return period_of(parse_timestamp(text), kind, zone);
  }
}

std::string format_value(const value &v, unit u) {
  if (!v) return "-";
  switch (u) {
    case unit::count:
      return *v == static_cast<double>(static_cast<long long>(*v)) ? fmt::format("{:.0f}", *v)
                                                                   : fmt::format("{:.2f}", *v);
    case unit::rate:
      return fmt::format("{:.1f}%", *v * 100.0);
    case unit::money:
      return fmt::format("{:.2f}", *v);
    case unit::seconds:
    case unit::days:
      return fmt::format("{:.1f}", *v);
    case unit::ratio:
    case unit::score:
      return fmt::format("{:.3f}", *v);
  }
  return fmt::format("{}", *v);
}

std::string group_text(const group_values &g) {
  if (g.empty()) return "(all)";
  std::string text;
  for (const auto &[dim, val] : g)
    text += (text.empty() ? "" : " / ") + (val.empty() ? std::string("(none)") : val);
  return text;
}

std::string unit_suffix(unit u) {
  switch (u) {
    case unit::seconds:
      return " (s)";
    case unit::days:
      return " (days)";
    case unit::money:
      return " (money)";
    default:
      return "";
  }
}

void print_text(const report &r, const std::vector<file_count> &files, const engine &eng) {
  std::cout << "Sales call report";
  if (!r.group_by.empty()) {
    std::cout << " by ";
    for (std::size_t i = 0; i < r.group_by.size(); ++i)
      std::cout << (i ? "," : "") << to_string(r.group_by[i]);
  }
  std::cout << ", per " << (r.period == period_kind::none ? "all time" : to_string(r.period))
            << ", time zone " << eng.options().zone.name() << "\n";
  // One section per period: KPIs down, groups across.
  for (std::size_t begin = 0; begin < r.rows.size();) {
    std::size_t end = begin;
    while (end < r.rows.size() && r.rows[end].period == r.rows[begin].period) ++end;
    std::cout << "\n== "
              << (r.period == period_kind::none ? std::string("all time") : label(r.rows[begin].period));
    if (r.rows[begin].currency) std::cout << " (money in " << r.rows[begin].currency->code() << ")";
    std::cout << " ==\n";
    table t;
    t.header.push_back("kpi");
    t.right_align.push_back(false);
    for (std::size_t i = begin; i < end; ++i) {
      t.header.push_back(group_text(r.rows[i].group));
      t.right_align.push_back(true);
    }
    for (std::size_t k = 0; k < r.kpis.size(); ++k) {
      const kpi_info &meta = info(r.kpis[k]);
      std::vector<std::string> cells{std::string(meta.name) + unit_suffix(meta.unit)};
      for (std::size_t i = begin; i < end; ++i) cells.push_back(format_value(r.rows[i].values[k], meta.unit));
      t.rows.push_back(std::move(cells));
    }
    write_text(std::cout, t);
    begin = end;
  }
  std::cout << "\nInput:";
  for (const file_count &f : files) {
    std::cout << "\n  " << f.file << " (" << f.family << "): read " << f.report.read << ", accepted "
              << f.report.accepted << ", rejected " << f.report.rejected;
  }
  const ingest_counts &c = eng.counts();
  std::cout << "\n  engine: records " << c.read << ", accepted " << c.accepted << ", rejected " << c.rejected
            << ", duplicates " << c.duplicates << "\n";
}

table flat_table(const report &r) {
  table t;
  for (dimension d : r.group_by) {
    t.header.push_back(to_string(d));
    t.right_align.push_back(false);
  }
  t.header.push_back("period");
  t.right_align.push_back(false);
  for (kpi_id id : r.kpis) {
    t.header.push_back(std::string(info(id).name));
    t.right_align.push_back(true);
  }
  t.header.push_back("currency");
  t.right_align.push_back(false);
  for (const report_row &row : r.rows) {
    std::vector<std::string> cells;
    for (dimension d : r.group_by) {
      auto it = std::find_if(row.group.begin(), row.group.end(), [&](const auto &g) { return g.first == d; });
      cells.push_back(it == row.group.end() ? "" : it->second);
    }
    cells.push_back(r.period == period_kind::none ? "" : label(row.period));
    for (const value &v : row.values) cells.push_back(v ? fmt::format("{}", *v) : "");
    cells.push_back(row.currency ? std::string(row.currency->code()) : "");
    t.rows.push_back(std::move(cells));
  }
  return t;
}

nlohmann::json json_report(const report &r, const std::vector<file_count> &files, const engine &eng) {
  nlohmann::json rows = nlohmann::json::array();
  for (const report_row &row : r.rows) {
    nlohmann::json group = nlohmann::json::object();
    for (const auto &[dim, val] : row.group) group[to_string(dim)] = val;
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t k = 0; k < r.kpis.size(); ++k) {
      const std::string name(info(r.kpis[k]).name);
      values[name] = row.values[k] ? nlohmann::json(*row.values[k]) : nlohmann::json(nullptr);
    }
    rows.push_back({{"group", group},
                    {"period", r.period == period_kind::none ? nlohmann::json(nullptr)
                                                             : nlohmann::json(label(row.period))},
                    {"kpis", values},
                    {"currency", row.currency ? nlohmann::json(std::string(row.currency->code()))
                                              : nlohmann::json(nullptr)}});
  }
  std::uint64_t read = 0, rejected = 0;
  nlohmann::json per_file = nlohmann::json::array();
  for (const file_count &f : files) {
    read += f.report.read;
    rejected += f.report.rejected;
    nlohmann::json errors = nlohmann::json::array();
    for (const parse_error &e : f.report.first_errors) errors.push_back(e.what());
    per_file.push_back({{"file", f.file},
                        {"family", f.family},
                        {"read", f.report.read},
                        {"accepted", f.report.accepted},
                        {"rejected", f.report.rejected},
                        {"errors", errors}});
  }
  const ingest_counts &c = eng.counts();
  nlohmann::json reasons = nlohmann::json::array();
  for (const std::string &reason : c.reasons) reasons.push_back(reason);
  return {{"rows", rows},
          {"input",
           {{"read", read},
            {"accepted", c.accepted},
            {"rejected", rejected + c.rejected},
            {"duplicates", c.duplicates},
            {"files", per_file},
            {"engine_rejections", reasons}}}};
}

void run_report(const report_args &a) {
  if (a.calls.empty() && a.orders.empty() && a.leads.empty() && a.opportunities.empty() &&
      a.customers.empty() && a.spend.empty() && a.cdr.empty() && a.queue_log.empty()) {
    usage(
        "no input: give at least one of --calls, --orders, --leads, --opportunities, --customers, --spend, "
        "--cdr, --queue-log");
  }
  engine_options options;
  for (const std::string &name : split(a.group_by)) {
    try {
      options.group_by.push_back(parse_dimension(name));
    } catch (const kpi::error &) {
      usage("--group-by: unknown dimension '" + name +
            "' (agent_id, team_id, campaign_id, queue_id, channel, source)");
    }
  }
  period_kind report_period = period_kind::none;
  try {
    report_period = parse_period_kind(a.period);
  } catch (const kpi::error &) {
    usage("--period: expected day, week, month, quarter, year or none, not '" + a.period + "'");
  }
  // The engine keeps daily cells whatever the report's period: every coarser period is a union of
  // days, so targets of any period (a weekly target in a monthly report) and daily alert series can
  // be answered from the same state.
  options.period = period_kind::day;
  try {
    options.zone = time_zone::locate(a.tz);
  } catch (const kpi::error &) {
    usage("--tz: unknown time zone '" + a.tz + "' (an IANA name such as Asia/Jakarta)");
  }
  if (!a.currency.empty()) {
    try {
      options.default_currency = currency::of(a.currency);
    } catch (const kpi::error &) {
      usage("--currency: unknown ISO 4217 code '" + a.currency + "'");
    }
  }
  options.deduplicate = a.deduplicate;
  options.track_callers = !a.calls.empty() || !a.cdr.empty() || !a.queue_log.empty();
  options.track_first_orders = !a.orders.empty();
  // Churn from orders needs each cell's order activity; a resolution of one day answers N >= 1 day.
  options.track_order_activity = a.churn_inactivity_days > 0 && !a.orders.empty();
  if (options.track_order_activity)
    options.order_activity_resolution_days = std::min(1.0, a.churn_inactivity_days);
  const kpi_params params = make_params(a);

  engine eng(options);
  std::uint32_t families = 0;
  const std::vector<file_count> files = read_inputs(a, eng, families);

  report_request request;
  request.kpis = select_kpis(a.kpis, families);
  request.group_by = options.group_by;
  request.params = params;
  request.period = report_period;
  if (report_period == period_kind::none && (!a.from.empty() || !a.to.empty())) {
    usage("--from/--to select periods: give a --period other than none");
  }
  try {
    request.from = parse_bound(a.from, report_period, options.zone);
    request.to = parse_bound(a.to, report_period, options.zone);
  } catch (const kpi::error &e) {
    usage(std::string("--from/--to: ") + e.what());
  }
  const report r = eng.make_report(request);

  timestamp as_of = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  if (!a.as_of.empty()) as_of = parse_timestamp(a.as_of);
  const views_section views = make_views(a.targets, a.alerts, as_of, eng, request);
  switch (parse_format(a.format)) {
    case output_format::json: {
      nlohmann::json out = json_report(r, files, eng);
      add_views_json(out, views);
      std::cout << out.dump(2) << "\n";
      break;
    }
    case output_format::csv:
      write_csv(std::cout, flat_table(r));
      break;
    case output_format::markdown:
      write_markdown(std::cout, flat_table(r));
      print_views_text(std::cout, views);
      break;
    case output_format::text:
      print_text(r, files, eng);
      print_views_text(std::cout, views);
      break;
  }
  for (const file_count &f : files) {
    if (f.report.rejected > 0) {
      std::cerr << "kpi: " << f.file << ": " << f.report.rejected << " bad rows skipped";
      if (!f.report.first_errors.empty()) std::cerr << "; first: " << f.report.first_errors.front().what();
      std::cerr << "\n";
    }
  }
}

}  // namespace

void add_report_command(CLI::App &app) {
  auto *cmd = app.add_subcommand(
      "report",
      "The sales call report: every call, sales and funnel KPI the inputs allow, per group and period.\n"
      "Inputs are canonical CSVs (see docs/records.md), Asterisk CDR (Master.csv) or queue_log files.");
  auto a = std::make_shared<report_args>();
  cmd->add_option("--calls", a->calls, "Call records CSV (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--orders", a->orders, "Order records CSV (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--leads", a->leads, "Lead records CSV (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--opportunities", a->opportunities, "Opportunity records CSV (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--customers", a->customers, "Customer records CSV (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--spend", a->spend, "Spend records CSV (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--cdr", a->cdr, "Asterisk cdr_csv Master.csv (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--queue-log", a->queue_log, "Asterisk queue_log, file or database CSV (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--targets", a->targets, "Target records CSV: adds a targets section")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--alerts", a->alerts, "Add an anomaly alerts section (needs --period day)");
  cmd->add_option("--as-of", a->as_of, "Instant targets are judged at (ISO 8601; default: now)");
  cmd->add_option("--group-by", a->group_by,
                  "Comma-separated dimensions: agent_id,team_id,campaign_id,queue_id,"
                  "channel,source (roll-up order; default: the whole business)");
  cmd->add_option("--period", a->period, "day, week, month, quarter, year or none")->capture_default_str();
  cmd->add_option("--tz", a->tz, "IANA time zone periods are cut in")->capture_default_str();
  cmd->add_option("--from", a->from, "First period (a label such as 2026-11 or 2026-W48, or a date)");
  cmd->add_option("--to", a->to, "Last period, inclusive (a label or a date)");
  cmd->add_option("--kpi", a->kpis,
                  "Comma-separated KPI ids (default: all the inputs allow; see `kpi kpis`)");
  cmd->add_option("--currency", a->currency, "ISO 4217 currency of amounts without one (e.g. IDR)");
  cmd->add_option("--format", a->format, "Output format")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_flag("--lenient", a->lenient,
                "Skip malformed rows and report them, instead of stopping at the first");
  cmd->add_flag("--dedup", a->deduplicate, "Drop records whose id was already read (re-sent data)");
  cmd->add_option("--cdr-layout", a->cdr_layout, "CDR layout: detect, 16, 17, 18, 21 or custom")
      ->capture_default_str();
  cmd->add_option("--inbound-context", a->inbound_contexts,
                  "CDR dcontext that marks an inbound call (repeatable)");
  cmd->add_option(
         "--service-level-variant", a->sl_variant,
         "answered_only, ignore_abandons, abandons_negative, abandons_positive, exclude_short_abandons")
      ->capture_default_str();
  cmd->add_option("--service-level-threshold", a->sl_threshold, "Answered within T seconds (inclusive)")
      ->capture_default_str();
  cmd->add_option("--short-abandon", a->short_abandon, "Abandons with wait < S seconds are not counted")
      ->capture_default_str();
  cmd->add_flag("--timeouts-as-abandons", a->timeouts_as_abandons, "Count queue timeouts as abandons");
  cmd->add_option("--short-call", a->short_call, "Short call: talk < S seconds")->capture_default_str();
  cmd->add_option("--win-rate", a->win_rate, "period (won / closed in the window) or cohort")
      ->capture_default_str();
  cmd->add_option("--lead-to-opportunity", a->lead_to_opportunity, "cohort or period")->capture_default_str();
  cmd->add_option("--churn", a->churn, "start (lost / at start) or average")->capture_default_str();
  cmd->add_option("--growth", a->growth, "previous (period over period) or yoy")->capture_default_str();
  cmd->add_option("--churn-inactivity-days", a->churn_inactivity_days,
                  "Churn from orders: a customer with no order for N days is lost (0: from --customers)")
      ->capture_default_str();
  cmd->add_option("--control-revenue", a->control_revenue,
                  "incremental_sales baseline: revenue of a control group (major units)");
  cmd->add_option("--control-size", a->control_size, "Size of the control group")->capture_default_str();
  cmd->add_option("--treated-size", a->treated_size, "Size of the treated (campaign) group")
      ->capture_default_str();
  cmd->callback([a] { run_report(*a); });
}

}  // namespace kpi::cli
