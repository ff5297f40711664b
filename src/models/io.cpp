// Readers of transactions (CSV or the CDNOW layout) and of customer summaries (CSV). CSV goes through
// the project's RFC 4180 tokenizer, kpi::io::csv_reader.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <istream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/io/csv.hpp"
#include "kpi/models/summary.hpp"
#include "kpi/time.hpp"

namespace kpi::models {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

// Reads one line, dropping a trailing '\r'. Returns false at the end of the stream.
bool next_line(std::istream &in, std::string &line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A date alone: YYYYMMDD or YYYY-MM-DD.
bool date_shaped(std::string_view s) {
  return (s.size() == 8 && all_digits(s)) || (s.size() == 10 && s[4] == '-' && s[7] == '-');
}

// Days since 1970-01-01 of a date_shaped() text, through kpi::parse_period (which rejects dates that
// do not exist, such as 2026-02-30); nullopt when it is not a date.
std::optional<std::int32_t> parse_date(std::string_view s) {
  std::string iso(s);
  if (s.size() == 8)
    iso = std::string(s.substr(0, 4)) + "-" + std::string(s.substr(4, 2)) + "-" + std::string(s.substr(6, 2));
  try {
    const period p = parse_period(iso);
    if (p.kind != period_kind::day) return std::nullopt;
    return p.start_day;
  } catch (const error &) {
    return std::nullopt;
  }
}

// A time of the documented forms as UTC epoch milliseconds; nullopt if it does not parse. A date alone
// is the first instant of that local day in `zone`; anything else goes to kpi::parse_timestamp (ISO 8601
// with an offset, or Unix seconds).
std::optional<std::int64_t> parse_time(std::string_view s, const time_zone &zone) {
  s = trim(s);
  if (date_shaped(s)) {
    const auto day = parse_date(s);
    if (!day) return std::nullopt;
    return to_unix_ms(zone.start_of_local_day(*day));
  }
  try {
    return to_unix_ms(parse_timestamp(s));
  } catch (const error &) {
    return std::nullopt;
  }
}

// Finds the first of `names` in the header; -1 if none.
int find_column(const std::vector<std::string> &header, std::initializer_list<const char *> names) {
  for (const char *name : names)
    for (std::size_t i = 0; i < header.size(); ++i)
      if (trim(header[i]) == name) return static_cast<int>(i);
  return -1;
}

// Reads the header row of a CSV stream (kpi::io::csv_reader: RFC 4180, BOM, blank lines skipped).
std::vector<std::string> read_header(io::csv_reader &csv) {
  if (!csv.next()) throw parse_error(csv.name(), 1, "", "empty file: expected a header row");
  std::vector<std::string> header;
  for (std::size_t i = 0; i < csv.size(); ++i) header.emplace_back(csv.field(i));
  return header;
}

// Throws unless the current row has at least `need` fields.
void require_fields(const io::csv_reader &csv, std::size_t need) {
  if (csv.size() < need)
    throw parse_error(
        csv.name(), csv.line(), "",
        "expected at least " + std::to_string(need) + " fields, got " + std::to_string(csv.size()));
}

std::vector<std::string> split_ws(const std::string &line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::vector<transaction> read_cdnow_layout(std::istream &in, const std::string &name, std::string first,
                                           const time_zone &zone) {
  std::vector<transaction> out;
  std::uint64_t line_no = 1;
  std::string line = std::move(first);
  bool have = true;
  bool first_line = true;
  while (have) {
    const auto fields = split_ws(line);
    if (!fields.empty()) {
      if (first_line && !all_digits(fields[0])) {
        // header line
      } else {
        if (fields.size() < 3)
          throw parse_error(
              name, line_no, "",
              "expected 'id [...] YYYYMMDD [...] amount', got " + std::to_string(fields.size()) + " fields");
        std::optional<std::int64_t> time;
        for (std::size_t i = 1; i + 1 < fields.size() && !time; ++i)
          if (fields[i].size() == 8 && all_digits(fields[i])) {
            time = parse_time(fields[i], zone);
            if (!time)
              throw parse_error(name, line_no, "date", "'" + fields[i] + "' is not a valid YYYYMMDD date");
          }
        if (!time) throw parse_error(name, line_no, "date", "no YYYYMMDD date after the customer id");
        const auto amount = parse_double(fields.back());
        if (!amount) throw parse_error(name, line_no, "amount", "'" + fields.back() + "' is not a number");
        out.push_back({fields[0], *time, *amount});
      }
      first_line = false;
    }
    have = next_line(in, line);
    ++line_no;
  }
  return out;
}

}  // namespace

std::vector<transaction> read_transactions(std::istream &in, const std::string &name,
                                           const std::string &tz_name) {
  const time_zone zone = tz_name.empty() ? time_zone::utc() : time_zone::locate(tz_name);
  // The layout is decided by the first non-blank line: a comma means CSV.
  const std::istream::pos_type start = in.tellg();
  std::string line;
  do {
    if (!next_line(in, line)) return {};
  } while (trim(line).empty());
  if (line.find(',') == std::string::npos) return read_cdnow_layout(in, name, line, zone);

  // CSV: read it again from the start with the project's tokenizer (or, for a stream that cannot
  // seek, from a copy that puts the consumed line back).
  std::stringstream replay;
  std::istream *source = &in;
  if (start != std::istream::pos_type(-1)) {
    in.clear();
    in.seekg(start);
  } else {
    replay << line << '\n' << in.rdbuf();
    source = &replay;
  }
  io::csv_reader csv(*source, name);
  const auto header = read_header(csv);
  const int c_id = find_column(header, {"customer_id", "id"});
  const int c_time = find_column(header, {"time", "date"});
  const int c_amount = find_column(header, {"amount"});
  if (c_id < 0) throw parse_error(name, csv.line(), "customer_id", "missing column (also accepted: id)");
  if (c_time < 0) throw parse_error(name, csv.line(), "time", "missing column (also accepted: date)");
  if (c_amount < 0) throw parse_error(name, csv.line(), "amount", "missing column");
  const std::size_t need = static_cast<std::size_t>(std::max({c_id, c_time, c_amount})) + 1;

  std::vector<transaction> out;
  while (csv.next()) {
    require_fields(csv, need);
    const std::string id(trim(csv.field(c_id)));
    if (id.empty()) throw parse_error(name, csv.line(), header[c_id], "empty customer id");
    const std::string_view time_text = csv.field(c_time);
    const auto time = parse_time(time_text, zone);
    if (!time)
      throw parse_error(name, csv.line(), header[c_time],
                        "'" + std::string(time_text) +
                            "' is not a date, an ISO 8601 date-time with an offset, or Unix seconds");
    const std::string_view amount_text = csv.field(c_amount);
    const auto amount = parse_double(amount_text);
    if (!amount)
      throw parse_error(name, csv.line(), header[c_amount],
                        "'" + std::string(amount_text) + "' is not a number");
    out.push_back({id, *time, *amount});
  }
  return out;
}

std::vector<customer_summary> read_summary(std::istream &in, const std::string &name) {
  io::csv_reader csv(in, name);
  const auto header = read_header(csv);
  const std::uint64_t header_line = csv.line();
  const int c_id = find_column(header, {"ID", "id", "customer_id"});
  const int c_x = find_column(header, {"x", "frequency"});
  const int c_tx = find_column(header, {"t_x", "recency"});
  const int c_T = find_column(header, {"T"});
  const int c_z = find_column(header, {"zbar", "monetary_value"});
  if (c_x < 0) throw parse_error(name, header_line, "x", "missing column (also accepted: frequency)");
  if (c_tx < 0) throw parse_error(name, header_line, "t_x", "missing column (also accepted: recency)");
  if (c_T < 0) throw parse_error(name, header_line, "T", "missing column");
  const std::size_t need = static_cast<std::size_t>(std::max({c_id, c_x, c_tx, c_T, c_z})) + 1;

  std::vector<customer_summary> out;
  while (csv.next()) {
    require_fields(csv, need);
    auto number = [&](int col) {
      const auto v = parse_double(csv.field(col));
      if (!v)
        throw parse_error(name, csv.line(), header[col],
                          "'" + std::string(csv.field(col)) + "' is not a number");
      return *v;
    };
    customer_summary s;
    if (c_id >= 0) s.id = std::string(trim(csv.field(c_id)));
    s.x = number(c_x);
    s.t_x = number(c_tx);
    s.T = number(c_T);
    s.zbar = c_z >= 0 ? number(c_z) : 0.0;
    if (s.x < 0 || s.x != std::floor(s.x))
      throw parse_error(name, csv.line(), header[c_x], "must be a whole number >= 0");
    if (s.T < 0) throw parse_error(name, csv.line(), header[c_T], "must be >= 0");
    if (s.t_x < 0 || s.t_x > s.T) throw parse_error(name, csv.line(), header[c_tx], "must be in [0, T]");
    if (s.zbar < 0) throw parse_error(name, csv.line(), header[c_z], "must be >= 0");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace kpi::models
