// Helpers shared by the Asterisk importers. The local-time conversion goes through Howard Hinnant's
// date/tz (the OS tz database), as kpi::time_zone does; the small parsers are hand-written because they
// run once per row and must not allocate or go through iostreams.
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>

#include "io/asterisk_detail.hpp"
#include "kpi/error.hpp"
#include "text.hpp"

namespace kpi::io::detail {

namespace {

using kpi::detail::read_digits;

// Milliseconds of a fraction ".ddd…" at text[i] (the dot included); i is moved past it. Digits beyond
// the third are truncated. Returns false when the dot has no digit after it.
bool fraction_ms(std::string_view text, std::size_t &i, std::int64_t &ms) {
  ms = 0;
  if (i >= text.size() || text[i] != '.') return true;
  ++i;
  std::size_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n < 3) ms = ms * 10 + (text[i] - '0');
    ++n;
    ++i;
  }
  if (n == 0) return false;
  for (std::size_t k = n; k < 3; ++k) ms *= 10;
  return true;
}

}  // namespace

std::string parse_local_datetime(std::string_view text, std::int64_t &local_ms) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 19 || !read_digits(text, 0, 4, y) || text[4] != '-' || !read_digits(text, 5, 2, mo) ||
      text[7] != '-' || !read_digits(text, 8, 2, d) || (text[10] != ' ' && text[10] != 'T') ||
      !read_digits(text, 11, 2, h) || text[13] != ':' || !read_digits(text, 14, 2, mi) || text[16] != ':' ||
      !read_digits(text, 17, 2, s)) {
    return "expected a local time YYYY-MM-DD HH:MM:SS";
  }
  std::size_t i = 19;
  std::int64_t ms = 0;
  if (!fraction_ms(text, i, ms) || i != text.size()) return "unexpected text after the seconds";
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return "no such date";
  if (h > 23 || mi > 59 || s > 59) return "time of day out of range";
  const std::int64_t day = std::chrono::sys_days{ymd}.time_since_epoch().count();
  local_ms = ((day * 24 + h) * 60 + mi) * 60'000 + s * 1000 + ms;
  return {};
}

static_assert((std::chrono::sys_days{std::chrono::year{9999} / 12 / 31} + std::chrono::days{1})
                          .time_since_epoch()
                          .count() *
                      86400 -
                  1 ==
              k_max_epoch_s);

bool parse_epoch_seconds(std::string_view text, std::int64_t &ms) {
  std::size_t i = 0;
  std::int64_t secs = 0;
  if (text.empty()) return false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    secs = secs * 10 + (text[i] - '0');
    if (secs > k_max_epoch_s) return false;
    ++i;
  }
  if (i == 0) return false;
  std::int64_t frac = 0;
  if (!fraction_ms(text, i, frac) || i != text.size()) return false;
  ms = secs * 1000 + frac;
  return true;
}

bool parse_count(std::string_view text, std::int64_t &out) {
  if (text.empty()) return false;
  std::int64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool parse_duration_s(std::string_view text, std::int64_t &out) {
  std::int64_t v = 0;
  if (!parse_count(text, v) || v > k_max_epoch_s) return false;
  out = v;
  return true;
}

local_clock::local_clock(const time_zone &tz) : tz_(tz) {
  if (!tz.is_utc()) zone_ = date::locate_zone(std::string(tz.name()));
}

bool local_clock::to_utc(std::int64_t local_ms, timestamp &out) const {
  using std::chrono::milliseconds;
  if (zone_ == nullptr) {
    out = timestamp{milliseconds{local_ms}};
    return true;
  }
  const auto *z = static_cast<const date::time_zone *>(zone_);
  const std::int64_t secs = local_ms >= 0 ? local_ms / 1000 : -((-local_ms + 999) / 1000);
  const date::local_seconds ls{std::chrono::seconds{secs}};
  const date::local_info info = z->get_info(ls);
  if (info.result == date::local_info::nonexistent) return false;
  // unique, or ambiguous: `first` is the offset before the change, which gives the earlier instant.
  out = timestamp{milliseconds{local_ms - info.first.offset.count() * 1000}};
  return true;
}

timestamp parse_asterisk_time(std::string_view text, const local_clock &clock, bool allow_epoch) {
  std::int64_t ms = 0;
  if (allow_epoch && parse_epoch_seconds(text, ms)) return timestamp{std::chrono::milliseconds{ms}};
  const std::string why = parse_local_datetime(text, ms);
  if (!why.empty()) {
    throw error(errc::parse, "invalid time '" + std::string(text) + "': " + why +
                                 (allow_epoch ? " or epoch seconds" : ""));
  }
  timestamp t{};
  if (!clock.to_utc(ms, t)) {
    throw error(errc::parse, "local time '" + std::string(text) + "' does not exist in " +
                                 std::string(clock.zone_name()) + " (the clocks jumped over it)");
  }
  return t;
}

line_reader::line_reader(std::istream &in, std::string name, std::size_t max_bytes)
    : in_(&in), name_(std::move(name)), max_(max_bytes), buf_(64 * 1024) {}

bool line_reader::fill() {
  if (eof_) return false;
  in_->read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  if (in_->bad()) throw error(errc::io, "cannot read " + name_ + ": the stream failed");
  pos_ = 0;
  len_ = static_cast<std::size_t>(in_->gcount());
  if (len_ == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

bool line_reader::next(std::string_view &line) {
  line_.clear();
  if (!started_) {
    started_ = true;
    if (fill() && len_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  bool any = false;
  for (;;) {
    if (pos_ >= len_ && !fill()) break;
    if (pending_cr_) {  // a CR ended the previous line: swallow the LF of a CRLF
      pending_cr_ = false;
      if (buf_[pos_] == '\n') {
        ++pos_;
        continue;
      }
    }
    any = true;
    const char *b = buf_.data() + pos_;
    const char *e = buf_.data() + len_;
    const char *p = b;
    while (p != e && *p != '\n' && *p != '\r') ++p;
    line_.append(b, p);
    pos_ = static_cast<std::size_t>(p - buf_.data());
    if (line_.size() > max_) {
      throw parse_error(name_, line_no_ + 1, "", "line longer than " + std::to_string(max_) + " bytes");
    }
    if (p == e) continue;
    pending_cr_ = *p == '\r';
    ++pos_;
    ++line_no_;
    line = line_;
    return true;
  }
  if (!any) return false;
  ++line_no_;
  line = line_;
  return true;
}

double seconds_between(timestamp from, timestamp to) noexcept {
  return std::max(0.0, static_cast<double>((to - from).count()) / 1000.0);
}

void reject(const parse_error &e, read_mode mode, std::size_t max_kept, read_report &report) {
  if (mode == read_mode::strict) throw e;
  ++report.rejected;
  if (report.first_errors.size() < max_kept) report.first_errors.push_back(e);
}

bool contains_nocase(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size()) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
      ++k;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace kpi::io::detail
