// FreeSWITCH mod_cdr_csv importer (kpi/io/freeswitch.hpp): one row per call, no grouping.
#include "kpi/io/freeswitch.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

#include "io/asterisk_detail.hpp"

namespace kpi::io {

namespace {

enum col : int {
  c_caller_id_number,
  c_destination_number,
  c_context,
  c_start_stamp,
  c_answer_stamp,
  c_end_stamp,
  c_billsec,
  c_hangup_cause,
  c_uuid,
  c_bleg_uuid,
  c_cc_agent,
  c_cc_queue,
  n_cols
};

constexpr std::array<std::string_view, n_cols> k_names = {
    "caller_id_number", "destination_number", "context", "start_stamp", "answer_stamp", "end_stamp",
    "billsec",          "hangup_cause",       "uuid",    "bleg_uuid",   "cc_agent",     "cc_queue"};

enum class cause_class { rang, busy, failed };

cause_class classify(std::string_view cause) {
  for (const std::string_view c : {"USER_BUSY", "CALL_REJECTED"}) {
    if (cause == c) return cause_class::busy;
  }
  for (const std::string_view c : {"NO_ANSWER", "NO_USER_RESPONSE", "ORIGINATOR_CANCEL", "NORMAL_CLEARING",
                                   "ALLOTTED_TIMEOUT", "PICKED_OFF", "LOSE_RACE"}) {
    if (cause == c) return cause_class::rang;
  }
  return cause_class::failed;
}

}  // namespace

const std::vector<std::string> &freeswitch_example_columns() {
  static const std::vector<std::string> cols = {
      "caller_id_name", "caller_id_number", "destination_number", "context",    "start_stamp",
      "answer_stamp",   "end_stamp",        "duration",           "billsec",    "hangup_cause",
      "uuid",           "bleg_uuid",        "accountcode",        "read_codec", "write_codec"};
  return cols;
}

freeswitch_result read_freeswitch_cdr(std::istream &in, std::string_view name,
                                      const record_callback<call_record> &on_call,
                                      const freeswitch_options &options) {
  const std::vector<std::string> &cols =
      options.columns.empty() ? freeswitch_example_columns() : options.columns;
  std::array<int, n_cols> at{};
  at.fill(-1);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    for (int c = 0; c < n_cols; ++c) {
      if (cols[i] == k_names[static_cast<std::size_t>(c)] && at[static_cast<std::size_t>(c)] < 0) {
        at[static_cast<std::size_t>(c)] = static_cast<int>(i);
      }
    }
  }
  for (const col c : {c_uuid, c_start_stamp}) {
    if (at[c] < 0) {
      throw error(errc::invalid_argument,
                  "the FreeSWITCH column list has no " + std::string(k_names[static_cast<std::size_t>(c)]));
    }
  }
  if (options.max_row_bytes == 0)
    throw error(errc::invalid_argument, "freeswitch_options::max_row_bytes must be > 0");

  const detail::local_clock clock(options.zone);
  csv_reader reader(in, std::string(name), options.max_row_bytes);
  freeswitch_result res;
  call_record r;
  while (reader.next()) {
    ++res.rows.read;
    bool emit = false;
    try {
      if (reader.size() != cols.size()) {
        throw parse_error(reader.name(), reader.line(), "",
                          "row has " + std::to_string(reader.size()) + " fields, the template has " +
                              std::to_string(cols.size()));
      }
      auto text = [&](col c) {
        return at[c] < 0 ? std::string_view{} : reader.field(static_cast<std::size_t>(at[c]));
      };
      auto fail = [&](col c, const std::string &why) {
        return parse_error(reader.name(), reader.line(), std::string(k_names[static_cast<std::size_t>(c)]),
                           why);
      };
      auto time_of = [&](col c) {
        try {
          return detail::parse_asterisk_time(text(c), clock, true);
        } catch (const error &e) {
          throw fail(c, e.what());
        }
      };
      if (text(c_uuid).empty()) throw fail(c_uuid, "required value is empty");
      if (text(c_start_stamp).empty()) throw fail(c_start_stamp, "required value is empty");
      const timestamp start = time_of(c_start_stamp);
      std::optional<timestamp> answer;
      if (!text(c_answer_stamp).empty()) answer = time_of(c_answer_stamp);
      std::optional<timestamp> end;
      if (!text(c_end_stamp).empty()) end = time_of(c_end_stamp);
      std::int64_t billsec = 0;
      if (!text(c_billsec).empty() && !detail::parse_duration_s(text(c_billsec), billsec)) {
        throw fail(c_billsec, "invalid value '" + std::string(text(c_billsec)) +
                                  "': expected whole seconds (an integer from 0 to " +
                                  std::to_string(detail::k_max_epoch_s) + ")");
      }
      const bool answered = answer.has_value() || billsec > 0;
      const bool bridged = at[c_bleg_uuid] < 0 || !text(c_bleg_uuid).empty();
      if (answered && !bridged) {
        ++res.unbridged;
      } else {
        r.call_id = text(c_uuid);
        r.team_id.clear();
        r.campaign_id.clear();
        r.queue_id = text(c_cc_queue);
        r.hold_s.reset();
        r.acw_s.reset();
        const std::string_view ctx = text(c_context);
        const bool inbound = std::find(options.inbound_contexts.begin(), options.inbound_contexts.end(),
                                       ctx) != options.inbound_contexts.end();
        r.direction = inbound ? direction::inbound : direction::outbound;
        r.caller = inbound ? text(c_caller_id_number) : text(c_destination_number);
        r.start = start;
        const timestamp answered_at = answer ? *answer : (end ? *end - std::chrono::seconds{billsec} : start);
        if (answered) {
          r.outcome = call_outcome::connected;
          r.talk_s = static_cast<double>(billsec);
          if (inbound) {
            r.agent_id = !text(c_cc_agent).empty() ? text(c_cc_agent) : text(c_destination_number);
          } else {
            r.agent_id = text(c_caller_id_number);
          }
        } else {
          r.talk_s = 0;
          const cause_class k = classify(text(c_hangup_cause));
          if (inbound) {
            r.agent_id.clear();
            r.outcome = k == cause_class::rang ? call_outcome::abandoned : call_outcome::failed;
          } else {
            r.agent_id = text(c_caller_id_number);
            r.outcome = k == cause_class::busy   ? call_outcome::busy
                        : k == cause_class::rang ? call_outcome::no_answer
                                                 : call_outcome::failed;
          }
        }
        if (inbound) {
          r.wait_s = detail::seconds_between(start, answered ? answered_at : (end ? *end : start));
        } else {
          r.wait_s.reset();
        }
        if (auto issue = check(r)) {
          throw parse_error(reader.name(), reader.line(), std::string(issue->field), issue->reason);
        }
        emit = true;
      }
    } catch (const parse_error &e) {
      detail::reject(e, options.mode, options.max_errors_kept, res.rows);
      continue;
    }
    ++res.rows.accepted;
    if (emit) {
      ++res.calls;
      (r.direction == direction::inbound ? res.inbound : res.outbound) += 1;
      if (r.outcome == call_outcome::connected) ++res.connected;
      on_call(r);
    }
  }
  return res;
}

}  // namespace kpi::io
