// Tests of the Asterisk queue_log importer (kpi/io/asterisk.hpp): calls rebuilt per callid from
// interleaved events, every exit event, transfers, ring-no-answer misses, calls open at the end, the
// database-table form, strict and lenient modes, and the call-centre KPIs computed from the result.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kpi/io/asterisk.hpp"
#include "test_util.hpp"

namespace {

using kpi::call_outcome;
using kpi::call_record;
using kpi::io::queue_log_format;
using kpi::io::queue_log_options;
using kpi::io::queue_log_result;

const std::string k_data = KPI_TEST_DATA_DIR "/asterisk/";

// T0 = 2026-11-02T02:00:00Z = 09:00 WIB = 1793584800 s (20759 days × 86400 + 7200).
constexpr std::int64_t k_t0 = 1793584800;
kpi::timestamp at(std::int64_t s_after_t0) {
  return kpi::from_unix_ms((k_t0 + s_after_t0) * 1000);
}

struct ql_run {
  queue_log_result result;
  std::vector<call_record> calls;
  const call_record *find(const std::string &id) const {
    const auto it =
        std::find_if(calls.begin(), calls.end(), [&](const call_record &c) { return c.call_id == id; });
    return it == calls.end() ? nullptr : &*it;
  }
};

ql_run read_ql(std::istream &in, const std::string &name, const queue_log_options &o = {}) {
  ql_run run;
  run.result = kpi::io::read_asterisk_queue_log(
      in, name, [&](const call_record &r) { run.calls.push_back(r); }, o);
  return run;
}

ql_run read_ql_file(const std::string &file, const queue_log_options &o = {}) {
  std::ifstream in(k_data + file, std::ios::binary);
  EXPECT_TRUE(in) << file;
  return read_ql(in, file, o);
}

// tests/data/asterisk/queue_log_mixed, 38 lines, times as seconds after T0 (09:00:00 WIB):
//   -10 QUEUESTART; -5 ×3 ADDMEMBER support; -2 ADDMEMBER sales (CLI)
//   A 1793584800.1    0 ENTERQUEUE support, caller 081111111111; 15 RINGNOANSWER PJSIP/1001 15000 ms;
//                     18 CONNECT PJSIP/1002 hold 18; 263 COMPLETECALLER 18|245 → connected, wait 18, talk 245
//   orphan            3 COMPLETECALLER of 1793580000.9, never entered (the log began mid-call)
//   B 1793584805.2    5 ENTERQUEUE; 45 ABANDON 1|2|40 → abandoned, wait 40
//   C 1793584860.4   60 ENTERQUEUE; 65 CONNECT PJSIP/1001 hold 5; 165 BLINDTRANSFER 200|sales-ctx|5|100|1
//                     → connected, wait 5, talk 100
//   C#2              166 ENTERQUEUE sales (same callid again); 169 CONNECT PJSIP/1003 hold 3;
//                    229 COMPLETEAGENT 3|60|1 → call_id "1793584860.4#2", connected, wait 3, talk 60
//   D 1793584920.6  120 ENTERQUEUE; 320 EXITWITHTIMEOUT 1|1|200 → timeout, wait 200
//   E 1793584950.7  150 ENTERQUEUE; 152 EXITEMPTY 2|2|2 → timeout, wait 2
//   F 1793585000.8  200 ENTERQUEUE; 212 EXITWITHKEY 1|2|2|12 → abandoned, wait 12
//   G 1793585040.9  240 ENTERQUEUE; 248 CONNECT PJSIP/1003 hold 8;
//                    343 ATTENDEDTRANSFER APP|Dial|PJSIP/2000,30|8|95|1 → connected, wait 8, talk 95
//   H 1793585100.10 300 ENTERQUEUE; 315 and 330 RINGNOANSWER PJSIP/1002 15000 ms; 345 ABANDON 1|1|45
//                     → abandoned, wait 45
//   I 1793585200.11 400 ENTERQUEUE; 402 CONNECT PJSIP/1001 hold 2; no end → open, talking
//   J 1793585230.12 430 ENTERQUEUE; 445 RINGNOANSWER PJSIP/1003 15000 ms; no end → open, waiting
//   230 PAUSE, 350 UNPAUSE, 500 PAUSE (the last line): other events.
// At the end (the last event, +500): I → connected, wait 2, talk 500-402 = 98; J → timeout,
// wait 500-430 = 70.
// Calls: 11 = 5 connected (A, C, C#2, G, I) + 3 abandoned (B, F, H) + 3 timeout (D, E, J).
// Misses: PJSIP/1001 1 (15 s), PJSIP/1002 2 (30 s), PJSIP/1003 1 (15 s).
// Other events: QUEUESTART + 4 ADDMEMBER + PAUSE + UNPAUSE + PAUSE = 8.

void expect_mixed(const ql_run &run) {
  const queue_log_result &r = run.result;
  EXPECT_EQ(r.rows.read, 38U);
  EXPECT_EQ(r.rows.accepted, 38U);
  EXPECT_EQ(r.rows.rejected, 0U);
  EXPECT_EQ(r.calls, 11U);
  EXPECT_EQ(r.enterqueue, 11U);
  EXPECT_EQ(r.connect, 5U);
  EXPECT_EQ(r.completeagent, 1U);
  EXPECT_EQ(r.completecaller, 1U);
  EXPECT_EQ(r.transfer, 2U);
  EXPECT_EQ(r.abandon, 2U);
  EXPECT_EQ(r.exitwithkey, 1U);
  EXPECT_EQ(r.exitwithtimeout, 1U);
  EXPECT_EQ(r.exitempty, 1U);
  EXPECT_EQ(r.withdraw, 0U);
  EXPECT_EQ(r.open_closed, 2U);
  EXPECT_EQ(r.open_dropped, 0U);
  EXPECT_EQ(r.stale, 0U);
  EXPECT_EQ(r.reentered, 1U);
  EXPECT_EQ(r.orphan_events, 1U);
  EXPECT_EQ(r.other_events, 8U);
  ASSERT_EQ(r.agents.size(), 3U);
  EXPECT_EQ(r.agents[0].agent, "PJSIP/1001");
  EXPECT_EQ(r.agents[0].ring_no_answer, 1U);
  EXPECT_DOUBLE_EQ(r.agents[0].ring_s, 15.0);
  EXPECT_EQ(r.agents[1].agent, "PJSIP/1002");
  EXPECT_EQ(r.agents[1].ring_no_answer, 2U);
  EXPECT_DOUBLE_EQ(r.agents[1].ring_s, 30.0);
  EXPECT_EQ(r.agents[2].agent, "PJSIP/1003");
  EXPECT_EQ(r.agents[2].ring_no_answer, 1U);
  // Calls open at once: +5 {A, B}; +150 {A, C, D, E} = 4; +166 {A, D, C#2}; +200 {A, D, C#2, F} = 4;
  // +240 {A, D, G}; +300 {D, G, H}; +430 {I, J}. The peak is 4.
  EXPECT_EQ(r.max_open_calls, 4U);

  ASSERT_EQ(run.calls.size(), 11U);
  struct expect_row {
    const char *id;
    call_outcome outcome;
    const char *agent;
    const char *queue;
    std::int64_t start;
    double wait, talk;
  };
  const expect_row want[] = {
      // In emission order: when each call ends, then the open ones by start.
      {"1793584805.2", call_outcome::abandoned, "", "support", 5, 40, 0},
      {"1793584950.7", call_outcome::timeout, "", "support", 150, 2, 0},
      {"1793584860.4", call_outcome::connected, "PJSIP/1001", "support", 60, 5, 100},
      {"1793585000.8", call_outcome::abandoned, "", "support", 200, 12, 0},
      {"1793584860.4#2", call_outcome::connected, "PJSIP/1003", "sales", 166, 3, 60},
      {"1793584800.1", call_outcome::connected, "PJSIP/1002", "support", 0, 18, 245},
      {"1793584920.6", call_outcome::timeout, "", "support", 120, 200, 0},
      {"1793585040.9", call_outcome::connected, "PJSIP/1003", "support", 240, 8, 95},
      {"1793585100.10", call_outcome::abandoned, "", "support", 300, 45, 0},
      {"1793585200.11", call_outcome::connected, "PJSIP/1001", "support", 400, 2, 98},
      {"1793585230.12", call_outcome::timeout, "", "support", 430, 70, 0},
  };
  for (std::size_t i = 0; i < 11; ++i) {
    const call_record &c = run.calls[i];
    SCOPED_TRACE(want[i].id);
    EXPECT_EQ(c.call_id, want[i].id);
    EXPECT_EQ(c.outcome, want[i].outcome);
    EXPECT_EQ(c.agent_id, want[i].agent);
    EXPECT_EQ(c.queue_id, want[i].queue);
    EXPECT_EQ(c.direction, kpi::direction::inbound);
    EXPECT_EQ(c.start, at(want[i].start));
    ASSERT_TRUE(c.wait_s.has_value());
    EXPECT_DOUBLE_EQ(*c.wait_s, want[i].wait);
    EXPECT_DOUBLE_EQ(c.talk_s, want[i].talk);
    EXPECT_FALSE(c.hold_s.has_value());
    EXPECT_FALSE(c.acw_s.has_value());
    EXPECT_FALSE(kpi::check(c).has_value());
  }
  EXPECT_EQ(run.calls[5].caller, "081111111111");
  EXPECT_EQ(run.calls[4].caller, "083333333333");
}

TEST(AsteriskQueueLog, FileFormRebuildsInterleavedCalls) {
  const auto run = read_ql_file("queue_log_mixed");
  EXPECT_EQ(run.result.format, queue_log_format::file);
  expect_mixed(run);
}

TEST(AsteriskQueueLog, DatabaseExportGivesTheSameCalls) {
  // queue_log_mixed_db.csv: the same 38 events as the realtime table (id, time as local Asia/Jakarta
  // DATETIME, data1..data5; the ATTENDEDTRANSFER's six arguments leave "95|1" in data5).
  queue_log_options o;
  o.zone = kpi::time_zone::locate("Asia/Jakarta");
  const auto run = read_ql_file("queue_log_mixed_db.csv", o);
  EXPECT_EQ(run.result.format, queue_log_format::db_csv);
  expect_mixed(run);
}

TEST(AsteriskQueueLog, DatabaseExportWithOneDataColumn) {
  // Non-adaptive realtime: one `data` column with the pipe string; epoch times are accepted too.
  std::istringstream in(
      "time,callid,queuename,agent,event,data\n"
      "2026-11-02 09:00:00,c1,support,NONE,ENTERQUEUE,|0811|1\n"
      "2026-11-02 09:00:07,c1,support,Agent/7,CONNECT,7|u2|5\n"
      "1793584860,c1,support,Agent/7,COMPLETEAGENT,7|53|1\n");
  queue_log_options o;
  o.zone = kpi::time_zone::locate("Asia/Jakarta");
  const auto run = read_ql(in, "ql.csv", o);
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_EQ(run.calls[0].start, at(0));
  EXPECT_EQ(run.calls[0].agent_id, "Agent/7");
  EXPECT_EQ(run.calls[0].caller, "0811");
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 7.0);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 53.0);
}

// The KPIs of the contract from the mixed log's 11 calls (kpis.md), computed here from the records:
//   offered O = 11, answered A = 5, abandoned Ab = 3 (B 40 s, F 12 s, H 45 s), timeouts 3.
//   Threshold T = 15 s: answered within T, A_T = C 5, C#2 3, G 8, I 2 = 4 (A waited 18);
//   abandoned within T, Ab_T = F (12 s) = 1.
//   answered_only            A_T / A               = 4/5  = 0.8
//   ignore_abandons          A_T / (O − Ab_T)      = 4/10 = 0.4
//   abandons_negative        A_T / O               = 4/11
//   abandons_positive        (A_T + Ab_T) / O      = 5/11
//   exclude_short_abandons   A_T / (A + Ab − Ab_T) = 4/7
//   abandon_rate = Ab / O = 3/11; with timeouts as abandoned (3 + 3)/11 = 6/11.
//   ASA = (18 + 5 + 3 + 8 + 2)/5 = 36/5 = 7.2 s.
//   avg talk over handled = (245 + 100 + 60 + 95 + 98)/5 = 598/5 = 119.6 s; total 598 s.
//   avg abandon time = (40 + 12 + 45)/3 = 97/3 s.
//   avg queue time of all calls = (18+40+5+200+2+3+12+8+45+2+70)/11 = 405/11 s.
//   agent misses (RINGNOANSWER): PJSIP/1002 2, PJSIP/1001 1, PJSIP/1003 1 = 4.
TEST(AsteriskQueueLog, ContractKpisFromTheRebuiltCalls) {
  const auto run = read_ql_file("queue_log_mixed");
  const double T = 15;
  double O = 0, A = 0, Ab = 0, Timeouts = 0, A_T = 0, Ab_T = 0, wait_ans = 0, talk = 0, wait_ab = 0,
         wait_all = 0;
  for (const auto &c : run.calls) {
    if (c.direction != kpi::direction::inbound) continue;
    ++O;
    wait_all += *c.wait_s;
    if (c.outcome == call_outcome::connected) {
      ++A;
      wait_ans += *c.wait_s;
      talk += c.talk_s;
      if (*c.wait_s <= T) ++A_T;
    } else if (c.outcome == call_outcome::abandoned) {
      ++Ab;
      wait_ab += *c.wait_s;
      if (*c.wait_s <= T) ++Ab_T;
    } else if (c.outcome == call_outcome::timeout) {
      ++Timeouts;
    }
  }
  EXPECT_EQ(O, 11);
  EXPECT_EQ(A, 5);
  EXPECT_EQ(Ab, 3);
  EXPECT_EQ(Timeouts, 3);
  EXPECT_EQ(A_T, 4);
  EXPECT_EQ(Ab_T, 1);
  EXPECT_DOUBLE_EQ(A_T / A, 0.8);
  EXPECT_DOUBLE_EQ(A_T / (O - Ab_T), 0.4);
  EXPECT_DOUBLE_EQ(A_T / O, 4.0 / 11.0);
  EXPECT_DOUBLE_EQ((A_T + Ab_T) / O, 5.0 / 11.0);
  EXPECT_DOUBLE_EQ(A_T / (A + Ab - Ab_T), 4.0 / 7.0);
  EXPECT_DOUBLE_EQ(Ab / O, 3.0 / 11.0);
  EXPECT_DOUBLE_EQ((Ab + Timeouts) / O, 6.0 / 11.0);
  EXPECT_DOUBLE_EQ(wait_ans / A, 7.2);
  EXPECT_DOUBLE_EQ(talk, 598.0);
  EXPECT_DOUBLE_EQ(talk / A, 119.6);
  EXPECT_DOUBLE_EQ(wait_ab / Ab, 97.0 / 3.0);
  EXPECT_DOUBLE_EQ(wait_all / O, 405.0 / 11.0);
  std::uint64_t misses = 0;
  for (const auto &a : run.result.agents) misses += a.ring_no_answer;
  EXPECT_EQ(misses, 4U);
}

TEST(AsteriskQueueLog, OpenCallsDroppedOrClosedAtAGivenTime) {
  queue_log_options o;
  o.open_calls = kpi::io::open_call_policy::drop;
  const auto dropped = read_ql_file("queue_log_mixed", o);
  EXPECT_EQ(dropped.result.calls, 9U);
  EXPECT_EQ(dropped.result.open_dropped, 2U);
  EXPECT_EQ(dropped.result.open_closed, 0U);
  EXPECT_EQ(dropped.find("1793585200.11"), nullptr);
  EXPECT_EQ(dropped.find("1793585230.12"), nullptr);

  // Closed at +600 instead of the last event (+500): I talks 600-402 = 198 s, J waits 600-430 = 170 s.
  o.open_calls = kpi::io::open_call_policy::close;
  o.close_time = at(600);
  const auto closed = read_ql_file("queue_log_mixed", o);
  EXPECT_EQ(closed.result.calls, 11U);
  const call_record *i = closed.find("1793585200.11");
  const call_record *j = closed.find("1793585230.12");
  ASSERT_NE(i, nullptr);
  ASSERT_NE(j, nullptr);
  EXPECT_DOUBLE_EQ(i->talk_s, 198.0);
  EXPECT_DOUBLE_EQ(*i->wait_s, 2.0);
  EXPECT_EQ(j->outcome, call_outcome::timeout);
  EXPECT_DOUBLE_EQ(*j->wait_s, 170.0);
}

TEST(AsteriskQueueLog, StaleCallsAreClosedWhileReading) {
  // A ghost ENTERQUEUE at 0 never ends; an hour later another call comes and goes. With a maximum open
  // age of 600 s the ghost is closed during the read (at its last event: wait 0), not held to the end.
  std::istringstream in(
      "1793584800|ghost|support|NONE|ENTERQUEUE||0811|1\n"
      "1793588400|c2|support|NONE|ENTERQUEUE||0812|1\n"
      "1793588410|c2|support|PJSIP/1001|CONNECT|10|x|3\n"
      "1793588470|c2|support|PJSIP/1001|COMPLETECALLER|10|60|1\n");
  queue_log_options o;
  o.max_open_age_s = 600;
  const auto run = read_ql(in, "ql", o);
  EXPECT_EQ(run.result.stale, 1U);
  EXPECT_EQ(run.result.open_closed, 1U);
  EXPECT_EQ(run.result.max_open_calls, 1U);
  ASSERT_EQ(run.calls.size(), 2U);
  EXPECT_EQ(run.calls[0].call_id, "ghost");
  EXPECT_EQ(run.calls[0].outcome, call_outcome::timeout);
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 0.0);
  EXPECT_EQ(run.calls[1].call_id, "c2");
  EXPECT_DOUBLE_EQ(run.calls[1].talk_s, 60.0);
}

TEST(AsteriskQueueLog, ReenteringWithoutAnExitClosesTheGhostVisit) {
  std::istringstream in(
      "1793584800|c1|support|NONE|ENTERQUEUE||0811|1\n"
      "1793584830|c1|support|NONE|ENTERQUEUE||0811|1\n"
      "1793584840|c1|support|NONE|ABANDON|1|1|10\n");
  const auto run = read_ql(in, "ql");
  ASSERT_EQ(run.calls.size(), 2U);
  EXPECT_EQ(run.calls[0].call_id, "c1");
  EXPECT_EQ(run.calls[0].outcome, call_outcome::timeout);  // closed at its last event: wait 0
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 0.0);
  EXPECT_EQ(run.calls[1].call_id, "c1#2");
  EXPECT_EQ(run.calls[1].outcome, call_outcome::abandoned);
  EXPECT_DOUBLE_EQ(*run.calls[1].wait_s, 10.0);
  EXPECT_EQ(run.result.reentered, 1U);
  EXPECT_EQ(run.result.open_closed, 1U);
}

TEST(AsteriskQueueLog, MissingDurationsComeFromTheTimestamps) {
  // Older Asterisk: EXITWITHTIMEOUT with only the position; CONNECT and COMPLETE without numbers.
  std::istringstream in(
      "1793584800|c1|q|NONE|ENTERQUEUE||0811|1\n"
      "1793584900|c1|q|NONE|EXITWITHTIMEOUT|1\n"
      "1793585000|c2|q|NONE|ENTERQUEUE||0812|1\n"
      "1793585012|c2|q|Agent/1|CONNECT\n"
      "1793585100|c2|q|Agent/1|COMPLETEAGENT\n"
      "1793585200|c3|q|NONE|ENTERQUEUE||0813|1\n"
      "1793585230|c3|q|Agent/2|COMPLETECALLER|9|20|1\n");
  const auto run = read_ql(in, "ql");
  ASSERT_EQ(run.calls.size(), 3U);
  EXPECT_EQ(run.calls[0].outcome, call_outcome::timeout);
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 100.0);  // 4900 − 4800
  EXPECT_DOUBLE_EQ(*run.calls[1].wait_s, 12.0);   // 5012 − 5000
  EXPECT_DOUBLE_EQ(run.calls[1].talk_s, 88.0);    // 5100 − 5012
  // A COMPLETE without its CONNECT line: agent and numbers from the COMPLETE line.
  EXPECT_EQ(run.calls[2].agent_id, "Agent/2");
  EXPECT_DOUBLE_EQ(*run.calls[2].wait_s, 9.0);
  EXPECT_DOUBLE_EQ(run.calls[2].talk_s, 20.0);
}

TEST(AsteriskQueueLog, WithdrawAndTransferForms) {
  std::istringstream in(
      "1793584800|c1|q|NONE|ENTERQUEUE||0811|1\n"
      "1793584830|c1|q|NONE|WITHDRAW|1|1|30|manager\n"
      "1793584900|c2|q|NONE|ENTERQUEUE||0812|1\n"
      "1793584904|c2|q|Agent/1|CONNECT|4|u|2\n"
      "1793585004|c2|q|Agent/1|TRANSFER|300|ctx|4|100|1\n"
      "1793585100|c3|q|NONE|ENTERQUEUE||0813|1\n"
      "1793585106|c3|q|Agent/2|CONNECT|6|u|2\n"
      "1793585156|c3|q|Agent/2|ATTENDEDTRANSFER|BRIDGE|bridge-uuid|6|50|1\n");
  const auto run = read_ql(in, "ql");
  ASSERT_EQ(run.calls.size(), 3U);
  EXPECT_EQ(run.result.withdraw, 1U);
  EXPECT_EQ(run.result.transfer, 2U);
  EXPECT_EQ(run.calls[0].outcome, call_outcome::timeout);
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 30.0);
  EXPECT_DOUBLE_EQ(run.calls[1].talk_s, 100.0);
  EXPECT_DOUBLE_EQ(run.calls[2].talk_s, 50.0);
  EXPECT_DOUBLE_EQ(*run.calls[2].wait_s, 6.0);
}

std::string bad_log() {
  return "1793584800|c1|q|NONE|ENTERQUEUE||0811|1\n"       // 1 good
         "1793584805|c1|q|Agent/1|CONNECT|five|u|2\n"      // 2 bad hold time
         "17935848xx|c2|q|NONE|ENTERQUEUE||0812|1\n"       // 3 bad time
         "1793584810|c2|q\n"                               // 4 too few fields
         "\n"                                              // blank: skipped, not a row
         "1793584820|c1|q|Agent/1|COMPLETEAGENT|5|15|1\n"  // 6 good (ends c1 without its CONNECT)
         "1793584830||q|NONE|ENTERQUEUE||0813|1\n"         // 7 ENTERQUEUE without callid
         "1793584840|c3|q||CONNECT|1|u|1\n";               // 8 CONNECT without agent (orphan, but bad first)
}

TEST(AsteriskQueueLog, StrictModeNamesFileLineColumnAndReason) {
  std::istringstream in(bad_log());
  try {
    (void)read_ql(in, "queue_log");
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.file(), "queue_log");
    EXPECT_EQ(e.line(), 2U);
    EXPECT_EQ(e.column(), "data1");
    EXPECT_NE(e.reason().find("'five'"), std::string::npos) << e.what();
  }
}

TEST(AsteriskQueueLog, LenientModeSkipsAndReportsBadRows) {
  std::istringstream in(bad_log());
  queue_log_options o;
  o.mode = kpi::io::read_mode::lenient;
  const auto run = read_ql(in, "queue_log", o);
  EXPECT_EQ(run.result.rows.read, 7U);
  EXPECT_EQ(run.result.rows.accepted, 2U);
  EXPECT_EQ(run.result.rows.rejected, 5U);
  EXPECT_EQ(places_of(run.result.rows.first_errors),
            (error_places{{2, "data1"}, {3, "time"}, {4, ""}, {7, "callid"}, {8, "agent"}}));
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_EQ(run.calls[0].agent_id, "Agent/1");
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 5.0);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 15.0);
}

// Times after 9999-12-31 23:59:59 and durations longer than that many seconds are bad rows.
TEST(AsteriskQueueLog, TimesAndDurationsBeyondTheClockRangeAreBadRows) {
  std::istringstream in(
      "253402300800|c1|q|NONE|ENTERQUEUE||0811|1\n"               // 1 time after 9999
      "1793584800|c2|q|NONE|ENTERQUEUE||0812|1\n"                 // 2 good
      "1793584805|c2|q|Agent/1|CONNECT|253402300800|u|2\n"        // 3 hold too long
      "1793584805|c2|q|Agent/1|CONNECT|5|u|2\n"                   // 4 good
      "1793584820|c2|q|Agent/1|COMPLETEAGENT|5|253402300799|1\n"  // 5 good: the longest call time
  );
  queue_log_options o;
  o.mode = kpi::io::read_mode::lenient;
  const auto run = read_ql(in, "queue_log", o);
  EXPECT_EQ(run.result.rows.read, 5U);
  EXPECT_EQ(run.result.rows.accepted, 3U);
  ASSERT_EQ(places_of(run.result.rows.first_errors), (error_places{{1, "time"}, {3, "data1"}}));
  EXPECT_NE(run.result.rows.first_errors[1].reason().find("from 0 to 253402300799"), std::string::npos)
      << run.result.rows.first_errors[1].what();
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 5.0);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 253402300799.0);
}

TEST(AsteriskQueueLog, DatabaseHeaderErrors) {
  std::istringstream missing("time,callid,queuename,event,data1\n");
  try {
    (void)read_ql(missing, "ql.csv");
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 1U);
    EXPECT_EQ(e.column(), "agent");
  }
  std::istringstream twice("time,callid,queuename,agent,event,time\n");
  EXPECT_THROW((void)read_ql(twice, "ql.csv"), kpi::parse_error);
  // A local time in the database form needs no zone to parse (UTC by default), but a bad one is an error.
  std::istringstream bad_time(
      "time,callid,queuename,agent,event,data1,data2,data3\n2026-02-30 "
      "09:00:00,c1,q,NONE,ENTERQUEUE,,0811,1\n");
  EXPECT_THROW((void)read_ql(bad_time, "ql.csv"), kpi::parse_error);
}

TEST(AsteriskQueueLog, EmptyInputAndBadOptions) {
  std::istringstream in("");
  const auto run = read_ql(in, "ql");
  EXPECT_EQ(run.result.rows.read, 0U);
  EXPECT_EQ(run.result.calls, 0U);
  queue_log_options o;
  o.max_open_age_s = -1;
  std::istringstream in2("");
  EXPECT_THROW((void)read_ql(in2, "ql", o), kpi::error);
}

TEST(AsteriskQueueLog, CrlfLinesAndDocumentationSample) {
  // The one line of Asterisk's own documentation (Queue-Logs.md), with CRLF endings around it.
  std::istringstream in(
      "1366720340|1366720340.303267|MYQUEUE|NONE|ENTERQUEUE||8005551212|1\r\n"
      "1366720340|1366720340.303267|MYQUEUE|SIP/8007|RINGNOANSWER|1000\r\n"
      "1366720345|1366720340.303267|MYQUEUE|NONE|ABANDON|1|1|5\r\n");
  const auto run = read_ql(in, "ql");
  EXPECT_EQ(run.result.rows.read, 3U);
  ASSERT_EQ(run.result.agents.size(), 1U);
  EXPECT_EQ(run.result.agents[0].agent, "SIP/8007");
  EXPECT_DOUBLE_EQ(run.result.agents[0].ring_s, 1.0);  // 1000 ms
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_EQ(run.calls[0].caller, "8005551212");
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 5.0);
}

}  // namespace
