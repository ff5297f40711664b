// Asterisk queue_log importer: the pipe-separated file and the realtime table exported as CSV. Calls
// are rebuilt per callid from interleaved events; the mapping is documented in kpi/io/asterisk.hpp and
// docs/importers.md.
//
// Memory: one line at a time, plus one small state per open call (entered, not ended), plus the callids
// that entered a queue within the last max_open_age_s (to number re-entries), plus one counter per agent
// with a missed ring.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <unordered_map>

#include "io/asterisk_detail.hpp"
#include "kpi/io/asterisk.hpp"

namespace kpi::io {

namespace {

using std::chrono::milliseconds;

// One queue_log row, whatever its form. Views into the reader's buffers, valid for one row.
struct ql_row {
  std::string_view time, callid, queue, agent, event;
  std::vector<std::string_view> data;  // data1, data2, ... (the pipe-separated arguments)
  std::uint64_t line = 0;
};

enum class ev {
  enterqueue,
  connect,
  completeagent,
  completecaller,
  transfer,
  blindtransfer,
  attendedtransfer,
  abandon,
  exitwithkey,
  exitwithtimeout,
  exitempty,
  withdraw,
  ringnoanswer,
  other
};

ev event_of(std::string_view e) {
  if (e == "ENTERQUEUE") return ev::enterqueue;
  if (e == "CONNECT") return ev::connect;
  if (e == "COMPLETEAGENT") return ev::completeagent;
  if (e == "COMPLETECALLER") return ev::completecaller;
  if (e == "TRANSFER") return ev::transfer;
  if (e == "BLINDTRANSFER") return ev::blindtransfer;
  if (e == "ATTENDEDTRANSFER") return ev::attendedtransfer;
  if (e == "ABANDON") return ev::abandon;
  if (e == "EXITWITHKEY") return ev::exitwithkey;
  if (e == "EXITWITHTIMEOUT") return ev::exitwithtimeout;
  if (e == "EXITEMPTY") return ev::exitempty;
  if (e == "WITHDRAW") return ev::withdraw;
  if (e == "RINGNOANSWER") return ev::ringnoanswer;
  return ev::other;
}

struct open_call {
  std::string call_id, queue, caller;
  timestamp start{}, last_event{};
  bool connected = false;
  timestamp connect_time{};
  std::string agent;
  double wait_s = 0;
  std::uint64_t line = 0;
};

struct seen_callid {
  std::uint32_t visits = 0;
  timestamp last_enter{};
};

void check_options(const queue_log_options &o) {
  const auto f = static_cast<std::int32_t>(o.format);
  if (f < 0 || f > 2) throw error(errc::invalid_argument, "invalid queue_log format " + std::to_string(f));
  const auto p = static_cast<std::int32_t>(o.open_calls);
  if (p < 0 || p > 1) throw error(errc::invalid_argument, "invalid open-call policy " + std::to_string(p));
  if (!(o.max_open_age_s > 0) || !std::isfinite(o.max_open_age_s)) {
    throw error(errc::invalid_argument,
                "queue_log_options::max_open_age_s must be a finite number of seconds > 0, got " +
                    std::to_string(o.max_open_age_s));
  }
  if (o.max_row_bytes == 0)
    throw error(errc::invalid_argument, "queue_log_options::max_row_bytes must be > 0");
}

class rebuilder {
 public:
  rebuilder(const queue_log_options &o, std::string name, const record_callback<call_record> &cb,
            queue_log_result &res)
      : opt_(o),
        name_(std::move(name)),
        cb_(cb),
        res_(res),
        clock_(o.zone),
        max_age_(milliseconds{static_cast<std::int64_t>(std::llround(o.max_open_age_s * 1000))}) {}

  // Handles one row. Throws kpi::parse_error for a bad row (the caller decides strict or lenient).
  void row(const ql_row &r, bool allow_local_time) {
    const timestamp t = time_of(r, allow_local_time);
    if (r.event.empty()) throw bad(r, "event", "required value is empty");
    const ev e = event_of(r.event);
    const bool answers = e == ev::connect || e == ev::completeagent || e == ev::completecaller ||
                         e == ev::transfer || e == ev::blindtransfer || e == ev::attendedtransfer;
    if (answers && r.agent.empty()) throw bad(r, "agent", std::string(r.event) + " without an agent");
    // Read the numbers this event carries before changing any state, so a rejected row leaves none:
    // hold and call time of the events that answer, the wait of the exits, the ring time of a miss.
    std::optional<std::int64_t> hold, talk, wait, ring_ms;
    switch (e) {
      case ev::enterqueue:
        if (r.callid.empty()) throw bad(r, "callid", "ENTERQUEUE without a callid");
        break;
      case ev::connect:
        hold = opt_count(r, 0, "hold time");
        break;
      case ev::completeagent:
      case ev::completecaller:
        hold = opt_count(r, 0, "hold time");
        talk = opt_count(r, 1, "call time");
        break;
      case ev::transfer:
      case ev::blindtransfer:
        hold = opt_count(r, 2, "hold time");
        talk = opt_count(r, 3, "call time");
        break;
      case ev::attendedtransfer: {  // method|method-data...|holdtime|calltime|origposition
        const std::size_t n = used(r);
        if (n >= 5) {
          hold = opt_count(r, n - 3, "hold time");
          talk = opt_count(r, n - 2, "call time");
        }
        break;
      }
      case ev::abandon:
      case ev::exitwithtimeout:
      case ev::exitempty:
      case ev::withdraw:
        wait = opt_count(r, 2, "wait time");
        break;
      case ev::exitwithkey:
        wait = opt_count(r, 3, "wait time");
        break;
      case ev::ringnoanswer:
        ring_ms = opt_count(r, 0, "ring time in milliseconds");
        break;
      case ev::other:
        break;
    }

    if (!started_) {
      started_ = true;
      now_ = last_sweep_ = t;
    }
    if (t > now_) now_ = t;
    if (now_ - last_sweep_ >= max_age_ / 24) sweep_stale();

    switch (e) {
      case ev::enterqueue:
        enter(r, t);
        return;
      case ev::ringnoanswer: {
        auto &m = ring_[std::string(r.agent)];
        ++m.first;
        m.second += static_cast<double>(ring_ms.value_or(0)) / 1000.0;
        return;
      }
      case ev::other:
        ++res_.other_events;
        return;
      default:
        break;
    }
    auto it = open_.find(std::string(r.callid));
    if (it == open_.end()) {
      ++res_.orphan_events;
      return;
    }
    open_call &c = it->second;
    c.last_event = t;
    switch (e) {
      case ev::connect:
        ++res_.connect;
        c.connected = true;
        c.connect_time = t;
        c.agent = r.agent;
        c.wait_s = hold ? static_cast<double>(*hold) : detail::seconds_between(c.start, t);
        return;
      case ev::completeagent:
      case ev::completecaller:
      case ev::transfer:
      case ev::blindtransfer:
      case ev::attendedtransfer: {
        if (e == ev::completeagent) {
          ++res_.completeagent;
        } else if (e == ev::completecaller) {
          ++res_.completecaller;
        } else {
          ++res_.transfer;
        }
        if (!c.connected) {  // the CONNECT line is missing (or was rejected): take what this line says
          c.agent = r.agent;
          c.wait_s = hold ? static_cast<double>(*hold) : detail::seconds_between(c.start, t);
          c.connect_time = t;
        }
        const double talk_s = talk ? static_cast<double>(*talk) : detail::seconds_between(c.connect_time, t);
        finish(c, call_outcome::connected, c.wait_s, talk_s);
        open_.erase(it);
        return;
      }
      case ev::abandon:
      case ev::exitwithkey:
      case ev::exitwithtimeout:
      case ev::exitempty:
      case ev::withdraw: {
        // Caller-initiated exits are abandons; the system-initiated ones are timeouts.
        const bool by_caller = e == ev::abandon || e == ev::exitwithkey;
        ++(e == ev::abandon           ? res_.abandon
           : e == ev::exitwithkey     ? res_.exitwithkey
           : e == ev::exitwithtimeout ? res_.exitwithtimeout
           : e == ev::exitempty       ? res_.exitempty
                                      : res_.withdraw);
        finish(c, by_caller ? call_outcome::abandoned : call_outcome::timeout,
               wait ? static_cast<double>(*wait) : detail::seconds_between(c.start, t), 0);
        open_.erase(it);
        return;
      }
      default:
        return;
    }
  }

  // Closes every call still open, per the policy, and fills the per-agent misses.
  void end_of_input() {
    const timestamp at = opt_.close_time ? *opt_.close_time : now_;
    std::vector<open_call> rest;
    rest.reserve(open_.size());
    for (auto &kv : open_) rest.push_back(std::move(kv.second));
    open_.clear();
    std::sort(rest.begin(), rest.end(), [](const open_call &a, const open_call &b) {
      return a.start != b.start ? a.start < b.start : a.call_id < b.call_id;
    });
    for (const auto &c : rest) close_open(c, at);
    res_.agents.clear();
    for (const auto &kv : ring_) res_.agents.push_back({kv.first, kv.second.first, kv.second.second});
  }

 private:
  static parse_error bad(const ql_row &r, std::string_view column, std::string reason,
                         const std::string &name) {
    return parse_error(name, r.line, std::string(column), std::move(reason));
  }
  parse_error bad(const ql_row &r, std::string_view column, std::string reason) const {
    return bad(r, column, std::move(reason), name_);
  }

  // The number of data fields up to the last non-empty one.
  static std::size_t used(const ql_row &r) {
    std::size_t n = r.data.size();
    while (n > 0 && r.data[n - 1].empty()) --n;
    return n;
  }

  // data[i] as a whole number; nullopt when absent or empty; a bad row when present and not a number.
  std::optional<std::int64_t> opt_count(const ql_row &r, std::size_t i, std::string_view what) const {
    if (i >= r.data.size() || r.data[i].empty()) return std::nullopt;
    std::int64_t v = 0;
    if (!detail::parse_duration_s(r.data[i], v)) {
      throw bad(r, "data" + std::to_string(i + 1),
                "invalid " + std::string(what) + " '" + std::string(r.data[i]) + "' of " +
                    std::string(r.event) + ": expected a whole number from 0 to " +
                    std::to_string(detail::k_max_epoch_s));
    }
    return v;
  }

  timestamp time_of(const ql_row &r, bool allow_local) const {
    if (r.time.empty()) throw bad(r, "time", "required value is empty");
    std::int64_t ms = 0;
    if (detail::parse_epoch_seconds(r.time, ms)) return timestamp{milliseconds{ms}};
    if (!allow_local) {
      throw bad(r, "time", "invalid time '" + std::string(r.time) + "': expected epoch seconds");
    }
    try {
      return detail::parse_asterisk_time(r.time, clock_, true);
    } catch (const error &e) {
      throw bad(r, "time", e.what());
    }
  }

  void enter(const ql_row &r, timestamp t) {
    ++res_.enterqueue;
    const std::string callid(r.callid);
    auto prev = open_.find(callid);
    if (prev != open_.end()) {  // entered again without an exit line: the earlier visit is a ghost
      open_call ghost = std::move(prev->second);
      open_.erase(prev);
      close_open(ghost, ghost.last_event);
    }
    seen_callid &s = seen_[callid];
    ++s.visits;
    s.last_enter = t;
    seen_order_.emplace_back(t, callid);
    open_call c;
    c.call_id = callid;
    if (s.visits > 1) {
      ++res_.reentered;
      c.call_id += '#';
      c.call_id += std::to_string(s.visits);
    }
    c.queue = r.queue;
    c.caller = r.data.size() > 1 ? r.data[1] : std::string_view{};
    c.start = c.last_event = t;
    c.line = r.line;
    open_.emplace(callid, std::move(c));
    res_.max_open_calls = std::max(res_.max_open_calls, open_.size());
  }

  void close_open(const open_call &c, timestamp at) {
    if (opt_.open_calls == open_call_policy::drop) {
      ++res_.open_dropped;
      return;
    }
    ++res_.open_closed;
    if (c.connected) {
      finish(c, call_outcome::connected, c.wait_s, detail::seconds_between(c.connect_time, at));
    } else {
      finish(c, call_outcome::timeout, detail::seconds_between(c.start, at), 0);
    }
  }

  // Calls without an event for max_open_age_s are closed at their last event; callids that entered
  // longer ago than that are forgotten.
  void sweep_stale() {
    last_sweep_ = now_;
    const timestamp cutoff = now_ - max_age_;
    std::vector<open_call> stale;
    for (auto it = open_.begin(); it != open_.end();) {
      if (it->second.last_event < cutoff) {
        stale.push_back(std::move(it->second));
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
    std::sort(stale.begin(), stale.end(), [](const open_call &a, const open_call &b) {
      return a.start != b.start ? a.start < b.start : a.call_id < b.call_id;
    });
    for (const auto &c : stale) {
      ++res_.stale;
      close_open(c, c.last_event);
    }
    while (!seen_order_.empty() && seen_order_.front().first < cutoff) {
      auto s = seen_.find(seen_order_.front().second);
      if (s != seen_.end() && s->second.last_enter < cutoff && open_.count(s->first) == 0) seen_.erase(s);
      seen_order_.pop_front();
    }
  }

  void finish(const open_call &c, call_outcome outcome, double wait_s, double talk_s) {
    call_record &r = rec_;
    r.call_id = c.call_id;
    r.agent_id = outcome == call_outcome::connected ? c.agent : std::string{};
    r.team_id.clear();
    r.campaign_id.clear();
    r.queue_id = c.queue;
    r.direction = direction::inbound;
    r.caller = c.caller;
    r.start = c.start;
    r.wait_s = wait_s;
    r.talk_s = outcome == call_outcome::connected ? talk_s : 0;
    r.hold_s.reset();
    r.acw_s.reset();
    r.outcome = outcome;
    ++res_.calls;
    cb_(r);
  }

  const queue_log_options &opt_;
  std::string name_;
  const record_callback<call_record> &cb_;
  queue_log_result &res_;
  detail::local_clock clock_;
  milliseconds max_age_;
  bool started_ = false;
  timestamp now_{}, last_sweep_{};
  std::unordered_map<std::string, open_call> open_;
  std::unordered_map<std::string, seen_callid> seen_;
  std::deque<std::pair<timestamp, std::string>> seen_order_;
  std::map<std::string, std::pair<std::uint64_t, double>> ring_;
  call_record rec_;
};

// Handles one row in strict or lenient mode.
template <class F>
void guarded(const queue_log_options &o, queue_log_result &res, F &&f) {
  ++res.rows.read;
  try {
    f();
  } catch (const parse_error &e) {
    detail::reject(e, o.mode, o.max_errors_kept, res.rows);
    return;
  }
  ++res.rows.accepted;
}

void read_file_form(std::istream &in, const std::string &name, const queue_log_options &o, rebuilder &rb,
                    queue_log_result &res) {
  detail::line_reader lines(in, name, o.max_row_bytes);
  std::string_view line;
  ql_row r;
  std::vector<std::string_view> parts;
  while (lines.next(line)) {
    if (line.empty()) continue;
    r.line = lines.line_number();
    guarded(o, res, [&] {
      parts.clear();
      std::size_t b = 0;
      for (;;) {
        const std::size_t p = line.find('|', b);
        parts.push_back(line.substr(b, p == std::string_view::npos ? std::string_view::npos : p - b));
        if (p == std::string_view::npos) break;
        b = p + 1;
      }
      if (parts.size() < 5) {
        throw parse_error(name, r.line, "",
                          "expected at least 5 '|'-separated fields (time|callid|queue|agent|event), got " +
                              std::to_string(parts.size()) +
                              (line.find(',') != std::string_view::npos
                                   ? " (a database export? give it a header row and read it as db_csv)"
                                   : ""));
      }
      r.time = parts[0];
      r.callid = parts[1];
      r.queue = parts[2];
      r.agent = parts[3];
      r.event = parts[4];
      r.data.assign(parts.begin() + 5, parts.end());
      rb.row(r, false);
    });
  }
}

void read_db_form(std::istream &in, const std::string &name, const queue_log_options &o, rebuilder &rb,
                  queue_log_result &res) {
  csv_reader reader(in, name, o.max_row_bytes);
  if (!reader.next()) return;  // empty input: nothing to read
  enum col {
    c_time,
    c_callid,
    c_queuename,
    c_agent,
    c_event,
    c_data1,
    c_data2,
    c_data3,
    c_data4,
    c_data5,
    c_data,
    n_cols
  };
  static constexpr std::string_view names[n_cols] = {
      "time", "callid", "queuename", "agent", "event", "data1", "data2", "data3", "data4", "data5", "data"};
  int at[n_cols];
  std::fill(std::begin(at), std::end(at), -1);
  const std::uint64_t header_line = reader.line();
  const std::size_t n_fields = reader.size();
  for (std::size_t f = 0; f < n_fields; ++f) {
    std::string_view h = reader.field(f);
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
    for (int c = 0; c < n_cols; ++c) {
      if (names[c] != h) continue;
      if (at[c] != -1)
        throw parse_error(name, header_line, std::string(h), "column appears twice in the header");
      at[c] = static_cast<int>(f);
    }
  }
  for (int c = c_time; c <= c_event; ++c) {
    if (at[c] == -1) {
      throw parse_error(
          name, header_line, std::string(names[c]),
          "required column is missing from the header (expected time, callid, queuename, agent, "
          "event, data1..data5 or data)");
    }
  }
  ql_row r;
  std::string joined;
  while (reader.next()) {
    r.line = reader.line();
    guarded(o, res, [&] {
      if (reader.size() != n_fields) {
        throw parse_error(name, r.line, "",
                          "row has " + std::to_string(reader.size()) + " fields, the header has " +
                              std::to_string(n_fields));
      }
      auto f = [&](int c) {
        return at[c] < 0 ? std::string_view{} : reader.field(static_cast<std::size_t>(at[c]));
      };
      r.time = f(c_time);
      r.callid = f(c_callid);
      r.queue = f(c_queuename);
      r.agent = f(c_agent);
      r.event = f(c_event);
      // The arguments: data1..data5, or the one `data` column, split at '|' as in the file.
      joined.clear();
      bool any = false;
      for (int c = c_data1; c <= c_data5; ++c) {
        if (at[c] < 0) continue;
        if (any) joined.push_back('|');
        joined.append(f(c));
        any = true;
      }
      if (at[c_data] >= 0) {
        if (any) joined.push_back('|');
        joined.append(f(c_data));
        any = true;
      }
      r.data.clear();
      if (any) {
        const std::string_view j = joined;
        std::size_t b = 0;
        for (;;) {
          const std::size_t p = j.find('|', b);
          r.data.push_back(j.substr(b, p == std::string_view::npos ? std::string_view::npos : p - b));
          if (p == std::string_view::npos) break;
          b = p + 1;
        }
      }
      rb.row(r, true);
    });
  }
}

}  // namespace

const char *to_string(queue_log_format v) noexcept {
  switch (v) {
    case queue_log_format::detect:
      return "detect";
    case queue_log_format::file:
      return "file";
    case queue_log_format::db_csv:
      return "db_csv";
  }
  return "unknown";
}

queue_log_result read_asterisk_queue_log(std::istream &in, std::string_view name,
                                         const record_callback<call_record> &on_call,
                                         const queue_log_options &options) {
  check_options(options);
  queue_log_result res;
  const std::string file(name);
  queue_log_format format = options.format;
  if (format == queue_log_format::detect) {
    // The file form starts with epoch digits; a database export starts with its header (or a BOM).
    const int c = in.peek();
    format = (c >= '0' && c <= '9') || c == std::char_traits<char>::eof() ? queue_log_format::file
                                                                          : queue_log_format::db_csv;
  }
  res.format = format;
  rebuilder rb(options, file, on_call, res);
  if (format == queue_log_format::file) {
    read_file_form(in, file, options, rb, res);
  } else {
    read_db_form(in, file, options, rb, res);
  }
  rb.end_of_input();
  return res;
}

}  // namespace kpi::io
