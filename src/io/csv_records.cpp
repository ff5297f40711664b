// Typed readers and writers of the seven canonical CSV families (kpis.md, "Canonical records").
//
// Each family is a table of columns: name, whether it is required, whether a required value may be
// empty, a parser that sets the record's field from the text (an empty text resets an optional field),
// and a writer. Reading maps the header to the table once, then for each row runs every column's parser
// (absent columns get an empty text, so nothing of the previous row survives in the reused record),
// validates the record with kpi::check() and hands it to the callback.
#include <charconv>
#include <cmath>
#include <exception>

#include "kpi/io/csv.hpp"

namespace kpi::io {

namespace {

// What a row's parsers share: the row's currency (resolved before the amounts are read).
struct row_ctx {
  currency cur;
};

template <class R>
struct column_def {
  std::string_view name;
  bool required;
  bool empty_ok;  // a required column whose value may be empty (call.agent_id)
  void (*parse)(R &, std::string_view, const row_ctx &);
  void (*write)(std::string &, const R &);
};

// ----- value parsers -----------------------------------------------------------------------------

double parse_double(std::string_view text) {
  // Fast path for the common plain decimals ("185", "42.5"): at most 15 digits are an exact integer m
  // and 10^k (k <= 15) is exact, so m / 10^k is the correctly rounded value (Clinger's fast path).
  // Anything else (signs, exponents, long mantissas) goes to std::from_chars.
  {
    static constexpr double k_p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    std::uint64_t m = 0;
    int digits = 0, frac = -1;
    bool ok = !text.empty() && text.size() <= 16;
    for (std::size_t i = 0; ok && i < text.size(); ++i) {
      const char c = text[i];
      if (c >= '0' && c <= '9') {
        m = m * 10 + static_cast<unsigned>(c - '0');
        ++digits;
        if (frac >= 0) ++frac;
      } else if (c == '.' && frac < 0 && i > 0 && i + 1 < text.size()) {
        frac = 0;
      } else {
        ok = false;
      }
    }
    if (ok && digits <= 15) return static_cast<double>(m) / k_p10[frac < 0 ? 0 : frac];
  }
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || !std::isfinite(v)) {
    throw error(errc::parse,
                "invalid number '" + std::string(text) + "': expected a finite decimal such as 12.5");
  }
  return v;
}

void put_double(std::string &out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  out.append(buf, r.ptr);
}

// ----- generic column handlers, by member pointer --------------------------------------------------

template <class R, std::string R::*M>
void p_str(R &r, std::string_view v, const row_ctx &) {
  // clear + append reuses the capacity and skips the aliasing checks of operator=/assign (_M_replace).
  (r.*M).clear();
  (r.*M).append(v);
}
template <class R, std::string R::*M>
void w_str(std::string &out, const R &r) {
  append_csv_field(out, r.*M);
}

template <class R, timestamp R::*M>
void p_time(R &r, std::string_view v, const row_ctx &) {
  r.*M = parse_timestamp(v);
}
template <class R, timestamp R::*M>
void w_time(std::string &out, const R &r) {
  out += format_timestamp(r.*M);
}

template <class R, std::optional<timestamp> R::*M>
void p_otime(R &r, std::string_view v, const row_ctx &) {
  if (v.empty()) {
    (r.*M).reset();
  } else {
    r.*M = parse_timestamp(v);
  }
}
template <class R, std::optional<timestamp> R::*M>
void w_otime(std::string &out, const R &r) {
  if (r.*M) out += format_timestamp(*(r.*M));
}

template <class R, double R::*M>
void p_dbl(R &r, std::string_view v, const row_ctx &) {
  r.*M = parse_double(v);
}
template <class R, double R::*M>
void w_dbl(std::string &out, const R &r) {
  put_double(out, r.*M);
}

template <class R, std::optional<double> R::*M>
void p_odbl(R &r, std::string_view v, const row_ctx &) {
  if (v.empty()) {
    (r.*M).reset();
  } else {
    r.*M = parse_double(v);
  }
}
template <class R, std::optional<double> R::*M>
void w_odbl(std::string &out, const R &r) {
  if (r.*M) put_double(out, *(r.*M));
}

template <class R, money R::*M>
void p_money(R &r, std::string_view v, const row_ctx &ctx) {
  r.*M = parse_money(v, ctx.cur);
}
template <class R, money R::*M>
void w_money(std::string &out, const R &r) {
  out += format_money(r.*M);
}

template <class R, std::optional<money> R::*M>
void p_omoney(R &r, std::string_view v, const row_ctx &ctx) {
  if (v.empty()) {
    (r.*M).reset();
  } else {
    r.*M = parse_money(v, ctx.cur);
  }
}
template <class R, std::optional<money> R::*M>
void w_omoney(std::string &out, const R &r) {
  if (r.*M) out += format_money(*(r.*M));
}

// The currency column is consumed before the row's parsers run (see read_csv); its writer prints the
// currency of `amount`.
template <class R>
void p_currency(R &, std::string_view, const row_ctx &) {}
template <class R>
void w_currency(std::string &out, const R &r) {
  out.append(r.amount.cur.code());
}

// ----- the families --------------------------------------------------------------------------------

template <class R>
struct family;

template <>
struct family<call_record> {
  using R = call_record;
  static constexpr bool has_money = false;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"call_id", true, false, p_str<R, &R::call_id>, w_str<R, &R::call_id>},
        {"agent_id", true, true, p_str<R, &R::agent_id>, w_str<R, &R::agent_id>},
        {"team_id", false, false, p_str<R, &R::team_id>, w_str<R, &R::team_id>},
        {"campaign_id", false, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
        {"queue_id", false, false, p_str<R, &R::queue_id>, w_str<R, &R::queue_id>},
        {"direction", true, false,
         [](R &r, std::string_view v, const row_ctx &) { r.direction = parse_direction(v); },
         [](std::string &o, const R &r) { o += to_string(r.direction); }},
        {"caller", false, false, p_str<R, &R::caller>, w_str<R, &R::caller>},
        {"start", true, false, p_time<R, &R::start>, w_time<R, &R::start>},
        {"wait_s", false, false, p_odbl<R, &R::wait_s>, w_odbl<R, &R::wait_s>},
        {"talk_s", true, false, p_dbl<R, &R::talk_s>, w_dbl<R, &R::talk_s>},
        {"hold_s", false, false, p_odbl<R, &R::hold_s>, w_odbl<R, &R::hold_s>},
        {"acw_s", false, false, p_odbl<R, &R::acw_s>, w_odbl<R, &R::acw_s>},
        {"outcome", true, false,
         [](R &r, std::string_view v, const row_ctx &) { r.outcome = parse_call_outcome(v); },
         [](std::string &o, const R &r) { o += to_string(r.outcome); }},
    };
    return d;
  }
};

template <>
struct family<order_record> {
  using R = order_record;
  static constexpr bool has_money = true;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"order_id", true, false, p_str<R, &R::order_id>, w_str<R, &R::order_id>},
        {"customer_id", false, false, p_str<R, &R::customer_id>, w_str<R, &R::customer_id>},
        {"agent_id", false, false, p_str<R, &R::agent_id>, w_str<R, &R::agent_id>},
        {"team_id", false, false, p_str<R, &R::team_id>, w_str<R, &R::team_id>},
        {"campaign_id", false, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
        {"call_id", false, false, p_str<R, &R::call_id>, w_str<R, &R::call_id>},
        {"time", true, false, p_time<R, &R::time>, w_time<R, &R::time>},
        {"amount", true, false, p_money<R, &R::amount>, w_money<R, &R::amount>},
        {"currency", false, false, p_currency<R>, w_currency<R>},
        {"cost", false, false, p_omoney<R, &R::cost>, w_omoney<R, &R::cost>},
        {"kind", false, false,
         [](R &r, std::string_view v, const row_ctx &) {
           r.kind = v.empty() ? order_kind::new_sale : parse_order_kind(v);
         },
         [](std::string &o, const R &r) { o += to_string(r.kind); }},
    };
    return d;
  }
};

template <>
struct family<lead_record> {
  using R = lead_record;
  static constexpr bool has_money = false;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"lead_id", true, false, p_str<R, &R::lead_id>, w_str<R, &R::lead_id>},
        {"agent_id", false, false, p_str<R, &R::agent_id>, w_str<R, &R::agent_id>},
        {"campaign_id", false, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
        {"source", false, false, p_str<R, &R::source>, w_str<R, &R::source>},
        {"created", true, false, p_time<R, &R::created>, w_time<R, &R::created>},
        {"first_contact", false, false, p_otime<R, &R::first_contact>, w_otime<R, &R::first_contact>},
        {"mql", false, false, p_otime<R, &R::mql>, w_otime<R, &R::mql>},
        {"sql", false, false, p_otime<R, &R::sql>, w_otime<R, &R::sql>},
        {"opportunity", false, false, p_otime<R, &R::opportunity>, w_otime<R, &R::opportunity>},
        {"won", false, false, p_otime<R, &R::won>, w_otime<R, &R::won>},
        {"lost", false, false, p_otime<R, &R::lost>, w_otime<R, &R::lost>},
    };
    return d;
  }
};

template <>
struct family<opportunity_record> {
  using R = opportunity_record;
  static constexpr bool has_money = true;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"opportunity_id", true, false, p_str<R, &R::opportunity_id>, w_str<R, &R::opportunity_id>},
        {"lead_id", false, false, p_str<R, &R::lead_id>, w_str<R, &R::lead_id>},
        {"agent_id", false, false, p_str<R, &R::agent_id>, w_str<R, &R::agent_id>},
        {"team_id", false, false, p_str<R, &R::team_id>, w_str<R, &R::team_id>},
        {"campaign_id", false, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
        {"created", true, false, p_time<R, &R::created>, w_time<R, &R::created>},
        {"closed", false, false, p_otime<R, &R::closed>, w_otime<R, &R::closed>},
        {"status", true, false,
         [](R &r, std::string_view v, const row_ctx &) { r.status = parse_opportunity_status(v); },
         [](std::string &o, const R &r) { o += to_string(r.status); }},
        {"amount", true, false, p_money<R, &R::amount>, w_money<R, &R::amount>},
        {"currency", false, false, p_currency<R>, w_currency<R>},
        {"probability", false, false, p_odbl<R, &R::probability>, w_odbl<R, &R::probability>},
    };
    return d;
  }
};

template <>
struct family<customer_record> {
  using R = customer_record;
  static constexpr bool has_money = false;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"customer_id", true, false, p_str<R, &R::customer_id>, w_str<R, &R::customer_id>},
        {"acquired", true, false, p_time<R, &R::acquired>, w_time<R, &R::acquired>},
        {"churned", false, false, p_otime<R, &R::churned>, w_otime<R, &R::churned>},
        {"campaign_id", false, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
    };
    return d;
  }
};

template <>
struct family<spend_record> {
  using R = spend_record;
  static constexpr bool has_money = true;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"campaign_id", true, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
        {"channel", false, false, p_str<R, &R::channel>, w_str<R, &R::channel>},
        {"start", true, false, p_time<R, &R::start>, w_time<R, &R::start>},
        {"end", true, false, p_time<R, &R::end>, w_time<R, &R::end>},
        {"amount", true, false, p_money<R, &R::amount>, w_money<R, &R::amount>},
        {"currency", false, false, p_currency<R>, w_currency<R>},
    };
    return d;
  }
};

template <>
struct family<target_record> {
  using R = target_record;
  static constexpr bool has_money = false;
  static const std::vector<column_def<R>> &defs() {
    static const std::vector<column_def<R>> d = {
        {"kpi", true, false, p_str<R, &R::kpi>, w_str<R, &R::kpi>},
        {"agent_id", false, false, p_str<R, &R::agent_id>, w_str<R, &R::agent_id>},
        {"team_id", false, false, p_str<R, &R::team_id>, w_str<R, &R::team_id>},
        {"campaign_id", false, false, p_str<R, &R::campaign_id>, w_str<R, &R::campaign_id>},
        {"period", true, false, [](R &r, std::string_view v, const row_ctx &) { r.period = parse_period(v); },
         [](std::string &o, const R &r) { o += label(r.period); }},
        {"op", true, false, [](R &r, std::string_view v, const row_ctx &) { r.op = parse_target_op(v); },
         [](std::string &o, const R &r) { o += to_string(r.op); }},
        {"value", true, false, p_dbl<R, &R::value>, w_dbl<R, &R::value>},
        {"value2", false, false, p_odbl<R, &R::value2>, w_odbl<R, &R::value2>},
    };
    return d;
  }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

template <class Record>
read_report read_csv(std::istream &in, std::string_view name, const record_callback<Record> &on_record,
                     const read_options &options) {
  const auto &defs = family<Record>::defs();
  csv_reader reader(in, std::string(name), options.max_row_bytes);
  const std::string file(name);

  // Header: map each known column to its field index (-1: absent).
  if (!reader.next()) throw parse_error(file, 1, "", "empty input: no header row");
  const std::uint64_t header_line = reader.line();
  const std::size_t n_fields = reader.size();
  std::vector<int> field_of(defs.size(), -1);
  int currency_field = -1;
  for (std::size_t f = 0; f < n_fields; ++f) {
    const std::string_view h = trim(reader.field(f));
    for (std::size_t c = 0; c < defs.size(); ++c) {
      if (defs[c].name != h) continue;
      if (field_of[c] != -1)
        throw parse_error(file, header_line, std::string(h), "column appears twice in the header");
      field_of[c] = static_cast<int>(f);
      if (h == "currency") currency_field = static_cast<int>(f);
    }
  }
  for (std::size_t c = 0; c < defs.size(); ++c) {
    if (defs[c].required && field_of[c] == -1) {
      throw parse_error(file, header_line, std::string(defs[c].name),
                        "required column is missing from the header");
    }
  }

  read_report report;
  Record rec{};
  row_ctx ctx{};
  while (reader.next()) {
    ++report.read;
    try {
      if (reader.size() != n_fields) {
        throw parse_error(file, reader.line(), "",
                          "row has " + std::to_string(reader.size()) + " field" +
                              (reader.size() == 1 ? "" : "s") + ", the header has " +
                              std::to_string(n_fields));
      }
      if constexpr (family<Record>::has_money) {
        const std::string_view code =
            currency_field >= 0 ? reader.field(static_cast<std::size_t>(currency_field)) : std::string_view{};
        if (!code.empty()) {
          if (!currency::try_of(code, ctx.cur)) {
            try {
              (void)currency::of(code);  // for its message
            } catch (const error &e) {
              throw parse_error(file, reader.line(), "currency", e.what());
            }
          }
        } else if (options.default_currency) {
          ctx.cur = *options.default_currency;
        } else {
          throw parse_error(file, reader.line(), "currency",
                            "no currency: the column is absent or empty and no default currency was given");
        }
      }
      for (std::size_t c = 0; c < defs.size(); ++c) {
        const std::string_view v =
            field_of[c] >= 0 ? reader.field(static_cast<std::size_t>(field_of[c])) : std::string_view{};
        if (v.empty() && defs[c].required && !defs[c].empty_ok) {
          throw parse_error(file, reader.line(), std::string(defs[c].name), "required value is empty");
        }
        try {
          defs[c].parse(rec, v, ctx);
        } catch (const parse_error &) {
          throw;
        } catch (const error &e) {
          throw parse_error(file, reader.line(), std::string(defs[c].name), e.what());
        }
      }
      if (auto issue = check(rec)) {
        throw parse_error(file, reader.line(), std::string(issue->field), issue->reason);
      }
    } catch (const parse_error &e) {
      if (options.mode == read_mode::strict) throw;
      ++report.rejected;
      if (report.first_errors.size() < options.max_errors_kept) report.first_errors.push_back(e);
      continue;
    }
    ++report.accepted;
    on_record(rec);
  }
  return report;
}

template <class Record>
void write_csv_header(std::ostream &out) {
  std::string line;
  const auto &defs = family<Record>::defs();
  for (std::size_t c = 0; c < defs.size(); ++c) {
    if (c != 0) line.push_back(',');
    line.append(defs[c].name);
  }
  line.push_back('\n');
  out << line;
}

template <class Record>
void write_csv_row(std::ostream &out, const Record &r) {
  std::string line;
  const auto &defs = family<Record>::defs();
  for (std::size_t c = 0; c < defs.size(); ++c) {
    if (c != 0) line.push_back(',');
    defs[c].write(line, r);
  }
  line.push_back('\n');
  out << line;
}

template <class Record>
const std::vector<column_info> &columns() {
  static const std::vector<column_info> cols = [] {
    std::vector<column_info> v;
    for (const auto &d : family<Record>::defs()) v.push_back({d.name, d.required});
    return v;
  }();
  return cols;
}

#define KPI_IO_INSTANTIATE(R)                                                                    \
  template read_report read_csv<R>(std::istream &, std::string_view, const record_callback<R> &, \
                                   const read_options &);                                        \
  template void write_csv_header<R>(std::ostream &);                                             \
  template void write_csv_row<R>(std::ostream &, const R &);                                     \
  template const std::vector<column_info> &columns<R>();

KPI_IO_INSTANTIATE(call_record)
KPI_IO_INSTANTIATE(order_record)
KPI_IO_INSTANTIATE(lead_record)
KPI_IO_INSTANTIATE(opportunity_record)
KPI_IO_INSTANTIATE(customer_record)
KPI_IO_INSTANTIATE(spend_record)
KPI_IO_INSTANTIATE(target_record)

#undef KPI_IO_INSTANTIATE

}  // namespace kpi::io
