// Asterisk CDR CSV importer: cdr_csv (16, 17, 18, 21 columns) and cdr_custom's default layout, legs
// grouped into calls. The mapping is documented in kpi/io/asterisk.hpp and docs/importers.md.
//
// Grouping streams: a call's legs are aggregated into a small per-call state (no leg is kept), and a
// call is emitted once the latest leg end read is more than group_horizon_s past the call's last leg
// end. Memory is therefore bounded by the calls of the last horizon, whatever the file's length.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "io/asterisk_detail.hpp"
#include "kpi/io/asterisk.hpp"

namespace kpi::io {

namespace {

using std::chrono::milliseconds;

// The fields a CDR row may have, in cdr_csv order.
enum fid : int {
  f_accountcode,
  f_src,
  f_dst,
  f_dcontext,
  f_clid,
  f_channel,
  f_dstchannel,
  f_lastapp,
  f_lastdata,
  f_start,
  f_answer,
  f_end,
  f_duration,
  f_billsec,
  f_disposition,
  f_amaflags,
  f_uniqueid,
  f_userfield,
  f_peeraccount,
  f_linkedid,
  f_sequence,
  f_count
};

constexpr std::array<std::string_view, f_count> k_field_names = {
    "accountcode", "src",      "dst",      "dcontext",  "clid",        "channel",  "dstchannel",
    "lastapp",     "lastdata", "start",    "answer",    "end",         "duration", "billsec",
    "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid", "sequence"};

// Position of each field in a layout's row, -1 when the layout lacks it.
using positions = std::array<int, f_count>;

positions layout_positions(cdr_layout l) {
  positions p{};
  p.fill(-1);
  if (l == cdr_layout::custom19) {
    // clid, src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, end, duration,
    // billsec, disposition, amaflags, accountcode, uniqueid, userfield, sequence
    constexpr std::array<fid, 19> order = {f_clid,        f_src,      f_dst,       f_dcontext,    f_channel,
                                           f_dstchannel,  f_lastapp,  f_lastdata,  f_start,       f_answer,
                                           f_end,         f_duration, f_billsec,   f_disposition, f_amaflags,
                                           f_accountcode, f_uniqueid, f_userfield, f_sequence};
    for (std::size_t i = 0; i < order.size(); ++i) p[order[i]] = static_cast<int>(i);
    return p;
  }
  const std::size_t n = field_count(l);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<int>(i);
  return p;
}

bool parse_disposition(std::string_view s, cdr_disposition &out) {
  if (s == "ANSWERED") {
    out = cdr_disposition::answered;
  } else if (s == "NO ANSWER") {
    out = cdr_disposition::no_answer;
  } else if (s == "BUSY") {
    out = cdr_disposition::busy;
  } else if (s == "FAILED") {
    out = cdr_disposition::failed;
  } else if (s == "CONGESTION") {
    out = cdr_disposition::congestion;
  } else {
    return false;
  }
  return true;
}

bool is_local(std::string_view channel) noexcept {
  return channel.substr(0, 6) == "Local/";
}

bool is_local_second_half(std::string_view channel) noexcept {
  return is_local(channel) && channel.size() >= 2 && channel.substr(channel.size() - 2) == ";2";
}

cdr_layout detect_layout(const csv_reader &r) {
  cdr_layout l = cdr_layout::detect;
  switch (r.size()) {
    case 16:
      l = cdr_layout::csv16;
      break;
    case 17:
      l = cdr_layout::csv17;
      break;
    case 18:
      l = cdr_layout::csv18;
      break;
    case 19:
      l = cdr_layout::custom19;
      break;
    case 21:
      l = cdr_layout::csv21;
      break;
    default:
      throw parse_error(r.name(), r.line(), "",
                        "cannot detect the CDR layout: the first row has " + std::to_string(r.size()) +
                            " fields, cdr_csv writes 16, 17, 18 or 21 and cdr_custom's default mapping 19; "
                            "declare the layout");
  }
  const positions p = layout_positions(l);
  cdr_disposition d{};
  const std::string_view disp = r.field(static_cast<std::size_t>(p[f_disposition]));
  if (!parse_disposition(disp, d)) {
    throw parse_error(r.name(), r.line(), "disposition",
                      "cannot detect the CDR layout: a " + std::to_string(r.size()) + "-field row read as " +
                          to_string(l) + " has '" + std::string(disp) +
                          "' where the disposition should be; declare the layout");
  }
  return l;
}

// Parses the current row into `leg`. Throws kpi::parse_error naming the column.
void parse_leg(const csv_reader &r, const positions &p, cdr_layout layout, const detail::local_clock &clock,
               cdr_leg &leg) {
  const std::size_t want = field_count(layout);
  if (r.size() != want) {
    throw parse_error(r.name(), r.line(), "",
                      "row has " + std::to_string(r.size()) + " fields, the " + to_string(layout) +
                          " layout has " + std::to_string(want));
  }
  auto text = [&](fid f) -> std::string_view {
    return p[f] < 0 ? std::string_view{} : r.field(static_cast<std::size_t>(p[f]));
  };
  auto fail = [&](fid f, const std::string &why) {
    return parse_error(r.name(), r.line(), std::string(k_field_names[f]), why);
  };
  auto time_of = [&](fid f) {
    try {
      return detail::parse_asterisk_time(text(f), clock, false);
    } catch (const error &e) {
      throw fail(f, e.what());
    }
  };
  auto count_of = [&](fid f) {
    std::int64_t v = 0;
    if (!detail::parse_count(text(f), v)) {
      throw fail(f, "invalid value '" + std::string(text(f)) + "': expected an integer >= 0");
    }
    return v;
  };
  auto seconds_of = [&](fid f) {
    std::int64_t v = 0;
    if (!detail::parse_duration_s(text(f), v)) {
      throw fail(f, "invalid value '" + std::string(text(f)) +
                        "': expected whole seconds (an integer from 0 to " +
                        std::to_string(detail::k_max_epoch_s) + ")");
    }
    return v;
  };
  leg.accountcode = text(f_accountcode);
  leg.src = text(f_src);
  leg.dst = text(f_dst);
  leg.dcontext = text(f_dcontext);
  leg.clid = text(f_clid);
  leg.channel = text(f_channel);
  leg.dstchannel = text(f_dstchannel);
  leg.lastapp = text(f_lastapp);
  leg.lastdata = text(f_lastdata);
  if (text(f_start).empty()) throw fail(f_start, "required value is empty");
  leg.start = time_of(f_start);
  if (text(f_answer).empty()) {
    leg.answer.reset();
  } else {
    leg.answer = time_of(f_answer);
  }
  if (text(f_end).empty()) throw fail(f_end, "required value is empty");
  leg.end = time_of(f_end);
  leg.duration_s = seconds_of(f_duration);
  leg.billsec_s = seconds_of(f_billsec);
  if (!parse_disposition(text(f_disposition), leg.disposition)) {
    throw fail(f_disposition, "unknown disposition '" + std::string(text(f_disposition)) +
                                  "' (expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION)");
  }
  leg.amaflags = text(f_amaflags);
  leg.uniqueid = text(f_uniqueid);
  leg.userfield = text(f_userfield);
  leg.peeraccount = text(f_peeraccount);
  leg.linkedid = text(f_linkedid);
  if (text(f_sequence).empty()) {
    leg.sequence.reset();
  } else {
    leg.sequence = count_of(f_sequence);
  }
  leg.line = r.line();
}

void read_legs(std::istream &in, std::string_view name, const std::function<void(const cdr_leg &)> &on_leg,
               const cdr_options &options, cdr_layout &layout_out, read_report &report) {
  const detail::local_clock clock(options.zone);
  csv_reader reader(in, std::string(name), options.max_row_bytes);
  cdr_layout layout = options.layout;
  layout_out = layout;
  positions pos{};
  cdr_leg leg;
  bool first = true;
  while (reader.next()) {
    if (first) {
      first = false;
      if (layout == cdr_layout::detect) layout = detect_layout(reader);
      layout_out = layout;
      pos = layout_positions(layout);
    }
    ++report.read;
    try {
      parse_leg(reader, pos, layout, clock, leg);
    } catch (const parse_error &e) {
      detail::reject(e, options.mode, options.max_errors_kept, report);
      continue;
    }
    ++report.accepted;
    on_leg(leg);
  }
}

void check_options(const cdr_options &o) {
  const auto l = static_cast<std::int32_t>(o.layout);
  if (l < 0 || l > 5) throw error(errc::invalid_argument, "invalid CDR layout " + std::to_string(l));
  if (!(o.group_horizon_s > 0) || !std::isfinite(o.group_horizon_s)) {
    throw error(errc::invalid_argument,
                "cdr_options::group_horizon_s must be a finite number of seconds > 0, got " +
                    std::to_string(o.group_horizon_s));
  }
  if (o.max_row_bytes == 0) throw error(errc::invalid_argument, "cdr_options::max_row_bytes must be > 0");
}

// The aggregated state of one call while its legs are read.
struct call_state {
  std::string key;
  std::uint64_t first_line = 0;
  timestamp start = timestamp::max();
  timestamp last_end = timestamp::min();
  // The originating leg: rank 0 = its uniqueid is the group's key (the call's first channel), 1 = not a
  // Local channel, 2 = any; earliest start within a rank.
  int orig_rank = 3;
  timestamp orig_start{};
  std::string dcontext, channel, src, dst;
  bool dialled = false;
  bool rang = false, busy = false, failed = false, congestion = false;
  // Answered legs to a real (non-Local) channel, and answered legs to a Local channel (the fallback when
  // the Local chain's own legs are missing).
  bool answered = false, answered_local = false;
  timestamp answer_at{}, answer_at_local{};
  std::string agent, agent_local;
  double talk = 0, talk_local = 0;
};

class grouper {
 public:
  grouper(const cdr_options &o, std::string name, const record_callback<call_record> &cb, cdr_result &res)
      : opt_(o),
        name_(std::move(name)),
        cb_(cb),
        res_(res),
        horizon_(milliseconds{static_cast<std::int64_t>(std::llround(o.group_horizon_s * 1000))}) {}

  void add(const cdr_leg &leg, cdr_layout layout) {
    const bool has_linked = layout == cdr_layout::csv21 && !leg.linkedid.empty();
    std::string_view key;
    if (has_linked) {
      key = leg.linkedid;
    } else {
      if (is_local_second_half(leg.channel)) {  // cannot be tied to its call without a linkedid
        ++res_.local_legs_ignored;
        return;
      }
      if (!leg.uniqueid.empty()) {
        key = leg.uniqueid;
      } else {
        scratch_.assign(leg.channel);
        scratch_.push_back('@');
        scratch_.append(format_timestamp(leg.start));
        key = scratch_;
      }
    }
    auto it = open_.find(std::string(key));
    if (it == open_.end()) {
      it = open_.emplace(std::string(key), call_state{}).first;
      it->second.key = key;
      it->second.first_line = leg.line;
      res_.max_open_calls = std::max(res_.max_open_calls, open_.size());
    }
    merge(it->second, leg);
    if (!started_) {
      started_ = true;
      watermark_ = last_sweep_ = leg.end;
    }
    if (leg.end > watermark_) watermark_ = leg.end;
    if (watermark_ - last_sweep_ >= horizon_ / 8) sweep(false);
  }

  void finish() { sweep(true); }

 private:
  static int rank_of(const call_state &c, const cdr_leg &leg) {
    if (leg.uniqueid == c.key) return 0;
    return is_local(leg.channel) ? 2 : 1;
  }

  static void merge(call_state &c, const cdr_leg &leg) {
    c.start = std::min(c.start, leg.start);
    c.last_end = std::max(c.last_end, leg.end);
    const int rank = rank_of(c, leg);
    if (rank < c.orig_rank || (rank == c.orig_rank && leg.start < c.orig_start)) {
      c.orig_rank = rank;
      c.orig_start = leg.start;
      c.dcontext = leg.dcontext;
      c.channel = leg.channel;
      c.src = leg.src;
      c.dst = leg.dst;
    }
    if (leg.dstchannel.empty()) return;  // this leg dialled nobody
    c.dialled = true;
    switch (leg.disposition) {
      case cdr_disposition::answered: {
        // The answer instant; a missing answer field is recovered from end − billsec.
        const timestamp at = leg.answer ? *leg.answer : leg.end - std::chrono::seconds{leg.billsec_s};
        const auto billsec = static_cast<double>(leg.billsec_s);
        if (is_local(leg.dstchannel)) {
          if (!c.answered_local || at < c.answer_at_local) {
            c.answer_at_local = at;
            c.agent_local = channel_peer(leg.dstchannel);
          }
          c.answered_local = true;
          c.talk_local += billsec;
        } else {
          if (!c.answered || at < c.answer_at) {
            c.answer_at = at;
            c.agent = channel_peer(leg.dstchannel);
          }
          c.answered = true;
          c.talk += billsec;
        }
        break;
      }
      case cdr_disposition::no_answer:
        c.rang = true;
        break;
      case cdr_disposition::busy:
        c.busy = true;
        break;
      case cdr_disposition::failed:
        c.failed = true;
        break;
      case cdr_disposition::congestion:
        c.congestion = true;
        break;
    }
  }

  direction direction_of(std::string_view dcontext) const {
    for (const auto &c : opt_.inbound_contexts)
      if (c == dcontext) return direction::inbound;
    for (const auto &c : opt_.outbound_contexts)
      if (c == dcontext) return direction::outbound;
    if (opt_.guess_direction) {
      for (const std::string_view k : {"pstn", "trunk", "did", "inbound", "incoming", "external"}) {
        if (detail::contains_nocase(dcontext, k)) return direction::inbound;
      }
    }
    return direction::outbound;
  }

  void emit(const call_state &c) {
    if (!c.dialled) {
      ++res_.undialled;
      return;
    }
    call_record &r = rec_;
    r.call_id = c.key;
    r.team_id.clear();
    r.campaign_id.clear();
    r.queue_id.clear();
    r.hold_s.reset();
    r.acw_s.reset();
    r.direction = direction_of(c.dcontext);
    const bool in = r.direction == direction::inbound;
    r.caller = in ? c.src : c.dst;
    r.start = c.start;
    const bool answered = c.answered || c.answered_local;
    const timestamp answer_at = c.answered ? c.answer_at : c.answer_at_local;
    if (answered) {
      r.outcome = call_outcome::connected;
      r.talk_s = c.answered ? c.talk : c.talk_local;
      if (in) {
        r.agent_id = c.answered ? c.agent : c.agent_local;
        r.wait_s = detail::seconds_between(c.start, answer_at);
      } else {
        r.agent_id = channel_peer(c.channel);
        r.wait_s.reset();
      }
    } else {
      r.talk_s = 0;
      if (in) {
        r.agent_id.clear();
        r.outcome = c.rang ? call_outcome::abandoned : call_outcome::failed;
        r.wait_s = detail::seconds_between(c.start, c.last_end);
      } else {
        r.agent_id = channel_peer(c.channel);
        r.outcome = c.busy ? call_outcome::busy : c.rang ? call_outcome::no_answer : call_outcome::failed;
        r.wait_s.reset();
      }
    }
    if (auto issue = check(r)) {
      const parse_error e(name_, c.first_line, std::string(issue->field),
                          "the call " + c.key + " built from its legs is invalid: " + issue->reason);
      // Each leg was accepted; the call they make is rejected (counted apart from the rows).
      if (opt_.mode == read_mode::strict) throw e;
      ++res_.rejected_calls;
      if (res_.rows.first_errors.size() < opt_.max_errors_kept) res_.rows.first_errors.push_back(e);
      return;
    }
    ++res_.calls;
    (in ? res_.inbound : res_.outbound) += 1;
    if (answered) ++res_.connected;
    cb_(r);
  }

  // Emits the calls complete at the watermark (all of them when `all`), in order of start.
  void sweep(bool all) {
    last_sweep_ = watermark_;
    std::vector<call_state> done;
    for (auto it = open_.begin(); it != open_.end();) {
      if (all || it->second.last_end + horizon_ < watermark_) {
        done.push_back(std::move(it->second));
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
    std::sort(done.begin(), done.end(), [](const call_state &a, const call_state &b) {
      return a.start != b.start ? a.start < b.start : a.key < b.key;
    });
    for (const auto &c : done) emit(c);
  }

  const cdr_options &opt_;
  std::string name_;
  const record_callback<call_record> &cb_;
  cdr_result &res_;
  milliseconds horizon_;
  std::unordered_map<std::string, call_state> open_;
  bool started_ = false;
  timestamp watermark_{}, last_sweep_{};  // the latest leg end read; the watermark at the last sweep
  std::string scratch_;
  call_record rec_;
};

}  // namespace

const char *to_string(cdr_layout v) noexcept {
  switch (v) {
    case cdr_layout::detect:
      return "detect";
    case cdr_layout::csv16:
      return "csv16";
    case cdr_layout::csv17:
      return "csv17";
    case cdr_layout::csv18:
      return "csv18";
    case cdr_layout::csv21:
      return "csv21";
    case cdr_layout::custom19:
      return "custom19";
  }
  return "unknown";
}

cdr_layout parse_cdr_layout(std::string_view text) {
  for (const auto l : {cdr_layout::detect, cdr_layout::csv16, cdr_layout::csv17, cdr_layout::csv18,
                       cdr_layout::csv21, cdr_layout::custom19}) {
    if (text == to_string(l)) return l;
  }
  throw error(errc::parse, "unknown CDR layout '" + std::string(text) +
                               "' (expected detect, csv16, csv17, csv18, csv21 or custom19)");
}

std::size_t field_count(cdr_layout v) noexcept {
  switch (v) {
    case cdr_layout::detect:
      return 0;
    case cdr_layout::csv16:
      return 16;
    case cdr_layout::csv17:
      return 17;
    case cdr_layout::csv18:
      return 18;
    case cdr_layout::csv21:
      return 21;
    case cdr_layout::custom19:
      return 19;
  }
  return 0;
}

const char *to_string(cdr_disposition v) noexcept {
  switch (v) {
    case cdr_disposition::answered:
      return "ANSWERED";
    case cdr_disposition::no_answer:
      return "NO ANSWER";
    case cdr_disposition::busy:
      return "BUSY";
    case cdr_disposition::failed:
      return "FAILED";
    case cdr_disposition::congestion:
      return "CONGESTION";
  }
  return "unknown";
}

std::string_view channel_peer(std::string_view channel) noexcept {
  std::string_view s = channel;
  // A Local channel's half: ";1" or ";2".
  if (s.size() >= 2 && s[s.size() - 2] == ';' && (s.back() == '1' || s.back() == '2')) s.remove_suffix(2);
  // The unique suffix: '-' then hex digits (SIP/301-0000001a, DAHDI/1-1).
  const std::size_t dash = s.rfind('-');
  const std::size_t slash = s.find('/');
  if (dash != std::string_view::npos && slash != std::string_view::npos && dash > slash &&
      dash + 1 < s.size()) {
    bool hex = true;
    for (std::size_t i = dash + 1; i < s.size(); ++i) {
      const char c = s[i];
      hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
    if (hex) s = s.substr(0, dash);
  }
  return s;
}

read_report read_asterisk_cdr_legs(std::istream &in, std::string_view name,
                                   const std::function<void(const cdr_leg &)> &on_leg,
                                   const cdr_options &options, cdr_layout *layout) {
  check_options(options);
  cdr_layout l = cdr_layout::detect;
  read_report rep;
  read_legs(in, name, on_leg, options, l, rep);
  if (layout != nullptr) *layout = l;
  return rep;
}

cdr_result read_asterisk_cdr(std::istream &in, std::string_view name,
                             const record_callback<call_record> &on_call, const cdr_options &options) {
  check_options(options);
  cdr_result res;
  grouper g(options, std::string(name), on_call, res);
  cdr_layout layout = cdr_layout::detect;
  read_legs(
      in, name, [&](const cdr_leg &leg) { g.add(leg, layout); }, options, layout, res.rows);
  g.finish();
  res.layout = layout;
  return res;
}

}  // namespace kpi::io
