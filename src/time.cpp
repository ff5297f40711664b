// Time: timestamp parsing and formatting, IANA zones through Howard Hinnant's date/tz (the OS tz
// database; GCC 12 has no std::chrono::tzdb), calendar periods and their windows.
//
// The timestamp parser is hand-written rather than date::parse because the hot path (1e7 call records)
// must not allocate or go through iostreams, and because the errors must say precisely what is wrong.
#include "kpi/time.hpp"

#include <date/tz.h>

#include <charconv>
#include <limits>
#include <stdexcept>

#include "kpi/error.hpp"
#include "text.hpp"

namespace kpi {

using detail::quoted;
using detail::read_digits;

namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::sys_days;

// Supported calendar range: 0001-01-01 .. 9999-12-31 (four-digit years, as the labels print them).
constexpr std::int64_t k_min_day = -719162;  // 0001-01-01 (computed below by a static_assert)
constexpr std::int64_t k_max_day = 2932896;  // 9999-12-31
static_assert(sys_days{std::chrono::year{1} / 1 / 1}.time_since_epoch().count() == k_min_day);
static_assert(sys_days{std::chrono::year{9999} / 12 / 31}.time_since_epoch().count() == k_max_day);

const date::time_zone *as_date(const void *p) {
  return static_cast<const date::time_zone *>(p);
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::int32_t checked_day(std::int64_t day) {
  if (day < k_min_day || day > k_max_day) {
    throw error(errc::invalid_argument,
                "date out of the supported range 0001-01-01..9999-12-31 (day " + std::to_string(day) + ")");
  }
  return static_cast<std::int32_t>(day);
}

std::chrono::year_month_day civil(std::int32_t day) {
  return std::chrono::year_month_day{sys_days{days{day}}};
}

std::int32_t day_number(std::chrono::year_month_day ymd) {
  return static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count());
}

void check_kind(period_kind k) {
  const auto v = static_cast<std::int32_t>(k);
  if (v < 0 || v > 5) throw error(errc::invalid_argument, "invalid period kind " + std::to_string(v));
}

// Writes `v` as exactly `width` decimal digits (v >= 0).
char *put_digits(char *p, std::int64_t v, int width) {
  for (int k = width - 1; k >= 0; --k) {
    p[k] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

// "YYYY-MM-DDTHH:MM:SS[.mmm]" of a local or UTC clock reading in milliseconds since the epoch.
char *put_clock(char *p, std::int64_t ms) {
  const std::int64_t day = floor_div(ms, 86'400'000);
  std::int64_t rest = ms - day * 86'400'000;
  const auto ymd = std::chrono::year_month_day{sys_days{days{day}}};
  const int y = static_cast<int>(ymd.year());
  if (y < 0) {
    *p++ = '-';
    p = put_digits(p, -y, 4);
  } else {
    p = put_digits(p, y, 4);
  }
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  const std::int64_t msec = rest % 1000;
  rest /= 1000;
  p = put_digits(p, rest / 3600, 2);
  *p++ = ':';
  p = put_digits(p, rest / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, rest % 60, 2);
  if (msec != 0) {
    *p++ = '.';
    p = put_digits(p, msec, 3);
  }
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Timestamps

timestamp parse_timestamp(std::string_view text) {
  auto bad = [&](const std::string &why) -> error {
    return error(errc::parse, "invalid timestamp " + quoted(text) + ": " + why);
  };
  if (text.empty()) throw bad("empty");
  // Integer Unix seconds: an optional '-' and digits only.
  {
    std::size_t k = text[0] == '-' ? 1 : 0;
    bool all_digits = k < text.size();
    for (std::size_t j = k; j < text.size(); ++j) {
      if (text[j] < '0' || text[j] > '9') {
        all_digits = false;
        break;
      }
    }
    if (all_digits) {
      std::int64_t s = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), s);
      const std::int64_t lo = k_min_day * 86400, hi = (k_max_day + 1) * 86400 - 1;
      if (r.ec != std::errc{} || s < lo || s > hi) {
        throw bad("Unix seconds outside 0001-01-01..9999-12-31");
      }
      return timestamp{milliseconds{s * 1000}};
    }
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !read_digits(text, 5, 2, mo) ||
      text[7] != '-' || !read_digits(text, 8, 2, d)) {
    throw bad("expected ISO 8601 such as 2026-11-23T09:15:00+07:00 or ...Z, or integer Unix seconds");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (y < 1 || !ymd.ok()) throw bad("no such date");
  if (text.size() == 10) throw bad("a date alone is not an instant: add a time and an offset (T00:00:00Z)");
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
    throw bad("expected 'T' between the date and the time");
  }
  std::size_t i = 11;
  if (!read_digits(text, i, 2, h) || i + 2 >= text.size() || text[i + 2] != ':' ||
      !read_digits(text, i + 3, 2, mi)) {
    throw bad("expected a time HH:MM or HH:MM:SS after the date");
  }
  i += 5;
  std::int64_t ms = 0;
  if (i < text.size() && text[i] == ':') {
    if (!read_digits(text, i + 1, 2, sec)) throw bad("expected two digits of seconds");
    i += 3;
    if (i < text.size() && text[i] == '.') {
      ++i;
      std::size_t nd = 0;
      for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++nd) {
        if (nd < 3) ms = ms * 10 + (text[i] - '0');  // further digits truncated
      }
      if (nd == 0) throw bad("a '.' after the seconds must be followed by digits");
      for (; nd < 3; ++nd) ms *= 10;
    }
  }
  if (h > 23) throw bad("hour " + std::to_string(h) + " is out of range 00..23");
  if (mi > 59) throw bad("minute " + std::to_string(mi) + " is out of range 00..59");
  if (sec > 59) throw bad("second " + std::to_string(sec) + " is out of range 00..59 (no leap seconds)");
  if (i == text.size()) {
    throw bad(
        "no UTC offset: a local time without 'Z' or '+07:00' is ambiguous (the contract requires "
        "an offset or Unix seconds)");
  }
  std::int64_t offset_s = 0;
  const char c = text[i];
  if (c == 'Z' || c == 'z') {
    ++i;
  } else if (c == '+' || c == '-') {
    int oh = 0, om = 0;
    if (!read_digits(text, i + 1, 2, oh)) throw bad("expected an offset +HH:MM, +HHMM or +HH");
    std::size_t j = i + 3;
    if (j < text.size() && text[j] == ':') {
      if (!read_digits(text, j + 1, 2, om)) throw bad("expected an offset +HH:MM");
      j += 3;
    } else if (j < text.size()) {
      if (!read_digits(text, j, 2, om)) throw bad("expected an offset +HH:MM, +HHMM or +HH");
      j += 2;
    }
    if (oh > 23 || om > 59) throw bad("offset out of range (at most ±23:59)");
    offset_s = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
    i = j;
  } else {
    throw bad("unexpected " + quoted(text.substr(i, 1)) + " where an offset ('Z' or '+07:00') was expected");
  }
  if (i != text.size()) throw bad("unexpected text " + quoted(text.substr(i)) + " after the offset");
  const std::int64_t local_s = static_cast<std::int64_t>(day_number(ymd)) * 86400 + h * 3600 + mi * 60 + sec;
  return timestamp{milliseconds{(local_s - offset_s) * 1000 + ms}};
}

std::string format_timestamp(timestamp t) {
  char buf[40];
  char *p = put_clock(buf, to_unix_ms(t));
  *p++ = 'Z';
  return std::string(buf, p);
}

std::string format_timestamp(timestamp t, const time_zone &tz) {
  const std::int64_t off = tz.offset(t).count();
  char buf[48];
  char *p = put_clock(buf, to_unix_ms(t) + off * 1000);
  *p++ = off < 0 ? '-' : '+';
  const std::int64_t a = off < 0 ? -off : off;
  p = put_digits(p, a / 3600, 2);
  *p++ = ':';
  p = put_digits(p, a / 60 % 60, 2);
  return std::string(buf, p);
}

// ---------------------------------------------------------------------------------------------------
// Zones

time_zone time_zone::locate(std::string_view iana) {
  if (iana == "UTC" || iana == "Etc/UTC" || iana == "Z") return utc();
  try {
    (void)date::get_tzdb();
  } catch (const std::exception &e) {
    throw error(errc::io, std::string("cannot read the time zone database: ") + e.what());
  }
  try {
    return time_zone{reinterpret_cast<const impl *>(date::locate_zone(iana))};
  } catch (const std::exception &) {
    throw error(errc::not_found, "unknown time zone " + quoted(iana) +
                                     " (expected an IANA name such as "
                                     "Asia/Jakarta)");
  }
}

std::string_view time_zone::name() const noexcept {
  if (impl_ == nullptr) return "UTC";
  return as_date(impl_)->name();
}

std::chrono::seconds time_zone::offset(timestamp t) const {
  if (impl_ == nullptr) return seconds{0};
  return as_date(impl_)->get_info(std::chrono::floor<seconds>(t)).offset;
}

std::int32_t time_zone::local_day(timestamp t) const {
  const std::int64_t local_ms = to_unix_ms(t) + offset(t).count() * 1000;
  return checked_day(floor_div(local_ms, 86'400'000));
}

timestamp time_zone::start_of_local_day(std::int32_t day) const {
  const timestamp midnight{days{day}};
  if (impl_ == nullptr) return midnight;
  const date::local_seconds local{seconds{static_cast<std::int64_t>(day) * 86400}};
  const date::local_info info = as_date(impl_)->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the earlier of two midnights
      return timestamp{
          milliseconds{(static_cast<std::int64_t>(day) * 86400 - info.first.offset.count()) * 1000}};
    case date::local_info::nonexistent:  // the clocks jumped over midnight: the day starts at the jump
      return std::chrono::time_point_cast<milliseconds>(info.first.end);
  }
  return midnight;
}

// ---------------------------------------------------------------------------------------------------
// Periods

const char *to_string(period_kind k) noexcept {
  switch (k) {
    case period_kind::none:
      return "none";
    case period_kind::day:
      return "day";
    case period_kind::week:
      return "week";
    case period_kind::month:
      return "month";
    case period_kind::quarter:
      return "quarter";
    case period_kind::year:
      return "year";
  }
  return "invalid";
}

period_kind parse_period_kind(std::string_view text) {
  for (int v = 0; v <= 5; ++v) {
    const auto k = static_cast<period_kind>(v);
    if (text == to_string(k)) return k;
  }
  throw error(errc::parse,
              "unknown period kind " + quoted(text) + " (expected none, day, week, month, quarter or year)");
}

period period_of_day(std::int32_t day, period_kind k) {
  check_kind(k);
  using std::chrono::month;
  switch (k) {
    case period_kind::none:
      return {k, 0};
    case period_kind::day:
      return {k, day};
    case period_kind::week:  // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7
    {
      const std::int64_t a = static_cast<std::int64_t>(day) + 3;
      const std::int64_t weekday = a - floor_div(a, 7) * 7;  // 0 = Monday .. 6 = Sunday
      return {k, static_cast<std::int32_t>(day - weekday)};
    }
    case period_kind::month: {
      const auto ymd = civil(day);
      return {k, day_number(ymd.year() / ymd.month() / 1)};
    }
    case period_kind::quarter: {
      const auto ymd = civil(day);
      const unsigned m0 = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
      return {k, day_number(ymd.year() / month{m0} / 1)};
    }
    case period_kind::year:
      return {k, day_number(civil(day).year() / 1 / 1)};
  }
  return {k, 0};
}

period period_of(timestamp t, period_kind k, const time_zone &tz) {
  check_kind(k);
  if (k == period_kind::none) return {k, 0};
  return period_of_day(tz.local_day(t), k);
}

namespace {
period step(period p, int dir) {
  check_kind(p.kind);
  switch (p.kind) {
    case period_kind::none:
      throw error(errc::invalid_argument, "the period 'all' (kind none) has no next or previous period");
    case period_kind::day:
      return {p.kind, checked_day(static_cast<std::int64_t>(p.start_day) + dir)};
    case period_kind::week:
      return {p.kind, checked_day(static_cast<std::int64_t>(p.start_day) + 7 * dir)};
    case period_kind::month:
    case period_kind::quarter: {
      const auto ymd = civil(p.start_day);
      const std::chrono::months n{(p.kind == period_kind::month ? 1 : 3) * dir};
      return {p.kind, checked_day(day_number(ymd + n))};
    }
    case period_kind::year:
      return {p.kind, checked_day(day_number(civil(p.start_day) + std::chrono::years{dir}))};
  }
  return p;
}
}  // namespace

period next(period p) {
  return step(p, 1);
}

period previous(period p) {
  return step(p, -1);
}

std::int32_t days_in(period p) {
  return next(p).start_day - p.start_day;
}

window window_of(period p, const time_zone &tz) {
  check_kind(p.kind);
  if (p.kind == period_kind::none) return {timestamp::min(), timestamp::max()};
  return {tz.start_of_local_day(p.start_day), tz.start_of_local_day(next(p).start_day)};
}

std::string label(period p) {
  check_kind(p.kind);
  if (p.kind == period_kind::none) return "all";
  char buf[16];
  char *o = buf;
  auto put_year = [&](int y) { o = put_digits(o, y, 4); };
  const auto ymd = civil(p.start_day);
  switch (p.kind) {
    case period_kind::none:
      break;
    case period_kind::day:
      put_year(static_cast<int>(ymd.year()));
      *o++ = '-';
      o = put_digits(o, static_cast<unsigned>(ymd.month()), 2);
      *o++ = '-';
      o = put_digits(o, static_cast<unsigned>(ymd.day()), 2);
      break;
    case period_kind::week: {
      // The ISO week-year is the year of the week's Thursday; the week number counts Thursdays.
      const std::int32_t thursday = p.start_day + 3;
      const auto ty = civil(thursday).year();
      const std::int32_t week = (thursday - day_number(ty / 1 / 1)) / 7 + 1;
      put_year(static_cast<int>(ty));
      *o++ = '-';
      *o++ = 'W';
      o = put_digits(o, week, 2);
      break;
    }
    case period_kind::month:
      put_year(static_cast<int>(ymd.year()));
      *o++ = '-';
      o = put_digits(o, static_cast<unsigned>(ymd.month()), 2);
      break;
    case period_kind::quarter:
      put_year(static_cast<int>(ymd.year()));
      *o++ = '-';
      *o++ = 'Q';
      *o++ = static_cast<char>('0' + (static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
      break;
    case period_kind::year:
      put_year(static_cast<int>(ymd.year()));
      break;
  }
  return std::string(buf, o);
}

period parse_period(std::string_view text) {
  using std::chrono::month;
  using std::chrono::year;
  auto bad = [&](const std::string &why) -> error {
    return error(errc::parse, "invalid period " + quoted(text) + ": " + why);
  };
  if (text == "all") return {period_kind::none, 0};
  int y = 0;
  if (!read_digits(text, 0, 4, y) || (text.size() > 4 && text[4] != '-')) {
    throw bad("expected 2026-11-23, 2026-W48, 2026-11, 2026-Q4, 2026 or all");
  }
  if (y < 1) throw bad("year 0000 is out of range");
  if (text.size() == 4) return {period_kind::year, day_number(year{y} / 1 / 1)};
  int v = 0;
  if (text.size() == 7 && text[5] == 'Q') {
    if (!read_digits(text, 6, 1, v) || v < 1 || v > 4) throw bad("a quarter is Q1..Q4");
    return {period_kind::quarter, day_number(year{y} / month{static_cast<unsigned>(3 * v - 2)} / 1)};
  }
  if (text.size() == 7) {
    if (!read_digits(text, 5, 2, v) || v < 1 || v > 12) throw bad("a month is 01..12");
    return {period_kind::month, day_number(year{y} / month{static_cast<unsigned>(v)} / 1)};
  }
  if (text.size() == 8 && text[5] == 'W') {
    if (!read_digits(text, 6, 2, v) || v < 1) throw bad("a week is W01..W53");
    // Week 1 is the week of January 4th.
    const std::int32_t jan4 = day_number(year{y} / 1 / 4);
    const period w1 = period_of_day(jan4, period_kind::week);
    const period w{period_kind::week, w1.start_day + 7 * (v - 1)};
    if (static_cast<int>(civil(w.start_day + 3).year()) != y) {
      throw bad("ISO year " + std::to_string(y) + " has no week " + std::to_string(v));
    }
    return w;
  }
  if (text.size() == 10 && text[7] == '-') {
    int d = 0;
    if (!read_digits(text, 5, 2, v) || !read_digits(text, 8, 2, d)) throw bad("expected YYYY-MM-DD");
    const std::chrono::year_month_day ymd{year{y}, month{static_cast<unsigned>(v)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) throw bad("no such date");
    return {period_kind::day, day_number(ymd)};
  }
  throw bad("expected 2026-11-23, 2026-W48, 2026-11, 2026-Q4, 2026 or all");
}

period_bucketer::period_bucketer(period_kind k, time_zone tz) : kind_(k), tz_(tz) {
  check_kind(k);
}

period period_bucketer::refill(timestamp t) {
  current_ = period_of(t, kind_, tz_);
  cached_ = window_of(current_, tz_);
  return current_;
}

}  // namespace kpi
