// Tests of the FreeSWITCH mod_cdr_csv importer (kpi/io/freeswitch.hpp).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kpi/io/freeswitch.hpp"
#include "test_util.hpp"

namespace {

using kpi::call_outcome;
using kpi::call_record;
using kpi::io::freeswitch_options;

// 2026-11-02 09:00:00 WIB = 02:00:00Z = 1793584800 s (20759 days × 86400 + 7200).
constexpr std::int64_t k_0900 = 1793584800;
kpi::timestamp at_s(std::int64_t s) {
  return kpi::from_unix_ms(s * 1000);
}

struct fs_run {
  kpi::io::freeswitch_result result;
  std::vector<call_record> calls;
};

fs_run read_fs(std::istream &in, const freeswitch_options &o) {
  fs_run run;
  run.result = kpi::io::read_freeswitch_cdr(
      in, "Master.csv", [&](const call_record &r) { run.calls.push_back(r); }, o);
  return run;
}

freeswitch_options jakarta() {
  freeswitch_options o;
  o.zone = kpi::time_zone::locate("Asia/Jakarta");
  return o;
}

// tests/data/freeswitch/Master.csv, the `example` template, 8 rows:
//   1 public  081311110006 → 1001, answered 09:00:07 (start 09:00:00), billsec 240, bridged → connected,
//             agent "1001", wait 7, talk 240
//   2 public  ORIGINATOR_CANCEL after 25 s, never answered → abandoned, wait 25
//   3 public  answered by the IVR (5000), no B leg → unbridged, not emitted
//   4 default 1001 → 081234567001, billsec 300 → outbound connected, agent "1001"
//   5 default USER_BUSY → busy      6 default NO_ANSWER → no_answer
//   7 default UNALLOCATED_NUMBER → failed
//   8 public  USER_BUSY (the extension was busy), 2 s → failed, wait 2
TEST(FreeswitchCdr, ExampleTemplateAsHandCounted) {
  std::ifstream in(KPI_TEST_DATA_DIR "/freeswitch/Master.csv", std::ios::binary);
  ASSERT_TRUE(in);
  const auto run = read_fs(in, jakarta());
  EXPECT_EQ(run.result.rows.read, 8U);
  EXPECT_EQ(run.result.rows.accepted, 8U);
  EXPECT_EQ(run.result.calls, 7U);
  EXPECT_EQ(run.result.unbridged, 1U);
  EXPECT_EQ(run.result.inbound, 3U);
  EXPECT_EQ(run.result.outbound, 4U);
  EXPECT_EQ(run.result.connected, 2U);
  ASSERT_EQ(run.calls.size(), 7U);

  const call_record &c1 = run.calls[0];
  EXPECT_EQ(c1.call_id, "6f1c1a52-0001");
  EXPECT_EQ(c1.direction, kpi::direction::inbound);
  EXPECT_EQ(c1.caller, "081311110006");
  EXPECT_EQ(c1.agent_id, "1001");
  EXPECT_EQ(c1.start, at_s(k_0900));
  EXPECT_EQ(c1.outcome, call_outcome::connected);
  EXPECT_DOUBLE_EQ(*c1.wait_s, 7.0);
  EXPECT_DOUBLE_EQ(c1.talk_s, 240.0);

  EXPECT_EQ(run.calls[1].outcome, call_outcome::abandoned);
  EXPECT_TRUE(run.calls[1].agent_id.empty());
  EXPECT_DOUBLE_EQ(*run.calls[1].wait_s, 25.0);

  const call_record &c4 = run.calls[2];
  EXPECT_EQ(c4.call_id, "6f1c1a52-0004");
  EXPECT_EQ(c4.direction, kpi::direction::outbound);
  EXPECT_EQ(c4.agent_id, "1001");
  EXPECT_EQ(c4.caller, "081234567001");
  EXPECT_EQ(c4.start, at_s(k_0900 + 3600));
  EXPECT_FALSE(c4.wait_s.has_value());
  EXPECT_DOUBLE_EQ(c4.talk_s, 300.0);
  EXPECT_EQ(run.calls[3].outcome, call_outcome::busy);
  EXPECT_EQ(run.calls[4].outcome, call_outcome::no_answer);
  EXPECT_EQ(run.calls[5].outcome, call_outcome::failed);
  EXPECT_EQ(run.calls[6].outcome, call_outcome::failed);
  EXPECT_EQ(run.calls[6].direction, kpi::direction::inbound);
  EXPECT_DOUBLE_EQ(*run.calls[6].wait_s, 2.0);
}

TEST(FreeswitchCdr, DeclaredTemplateWithCallcenterVariablesAndEpochs) {
  // A custom template: uuid, context, caller, destination, epochs, billsec, cause, bleg, cc_agent, cc_queue.
  freeswitch_options o;
  o.columns = {"uuid",         "context",      "caller_id_number", "destination_number",
               "start_stamp",  "answer_stamp", "end_stamp",        "billsec",
               "hangup_cause", "bleg_uuid",    "cc_agent",         "cc_queue"};
  std::istringstream in(
      "\"u1\",\"public\",\"0811\",\"7000\",\"1793584800\",\"1793584812\",\"1793584932\",\"120\",\"NORMAL_"
      "CLEARING\","
      "\"b1\",\"agent-07@default\",\"support@default\"\n");
  const auto run = read_fs(in, o);
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_EQ(run.calls[0].agent_id, "agent-07@default");  // cc_agent beats destination_number
  EXPECT_EQ(run.calls[0].queue_id, "support@default");
  EXPECT_EQ(run.calls[0].start, at_s(k_0900));
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 12.0);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 120.0);

  freeswitch_options bad;
  bad.columns = {"caller_id_number", "start_stamp"};  // no uuid
  std::istringstream in2("");
  EXPECT_THROW((void)read_fs(in2, bad), kpi::error);
}

TEST(FreeswitchCdr, StrictAndLenientErrors) {
  const std::string text =
      "\"A\",\"1\",\"2\",\"default\",\"2026-11-02 09:00:00\",\"\",\"2026-11-02 "
      "09:00:09\",\"9\",\"x9\",\"NO_ANSWER\","
      "\"u1\",\"\",\"\",\"PCMA\",\"PCMA\"\n"
      "\"A\",\"1\",\"2\",\"default\",\"2026-11-02 09:01:00\",\"\",\"2026-11-02 "
      "09:01:09\",\"9\",\"0\",\"NO_ANSWER\","
      "\"u2\",\"\",\"\",\"PCMA\",\"PCMA\"\n"
      "\"too\",\"few\"\n";
  std::istringstream strict(text);
  try {
    (void)read_fs(strict, {});
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 1U);
    EXPECT_EQ(e.column(), "billsec");
  }
  freeswitch_options o;
  o.mode = kpi::io::read_mode::lenient;
  std::istringstream lenient(text);
  const auto run = read_fs(lenient, o);
  EXPECT_EQ(run.result.rows.read, 3U);
  EXPECT_EQ(run.result.rows.accepted, 1U);
  EXPECT_EQ(run.result.rows.rejected, 2U);
  ASSERT_EQ(run.result.rows.first_errors.size(), 2U);
  EXPECT_EQ(run.result.rows.first_errors[1].line(), 3U);
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_EQ(run.calls[0].outcome, call_outcome::no_answer);
}

// The fuzzer's finding: billsec 3838615082088355155 with no answer_stamp made end − billsec overflow the
// milliseconds of a timestamp. Durations and epochs beyond 9999-12-31 23:59:59 are now bad rows that
// say the range; the last second itself is read.
TEST(FreeswitchCdr, DurationsAndEpochsOutOfRangeAreBadRows) {
  freeswitch_options o;
  o.columns = {"uuid",      "context", "destination_number", "start_stamp", "answer_stamp",
               "end_stamp", "billsec", "bleg_uuid"};
  o.mode = kpi::io::read_mode::lenient;
  std::istringstream in(
      "u1,public,7000,1793584800,,1793584932,3838615082088355155,b1\n"
      "u2,public,7000,1793584800,,1793584932,253402300800,b1\n"
      "u3,public,7000,253402300800,,,0,\n"
      "u4,public,7000,1793584800,,253402300799,253402300799,b1\n");
  const auto run = read_fs(in, o);
  EXPECT_EQ(run.result.rows.read, 4U);
  EXPECT_EQ(run.result.rows.accepted, 1U);
  ASSERT_EQ(places_of(run.result.rows.first_errors),
            (error_places{{1, "billsec"}, {2, "billsec"}, {3, "start_stamp"}}));
  EXPECT_NE(std::string(run.result.rows.first_errors[0].what())
                .find("expected whole seconds (an integer from 0 to 253402300799)"),
            std::string::npos)
      << run.result.rows.first_errors[0].what();
  // The last accepted second, billsec as long as the clock's range: answered at epoch 0.
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 253402300799.0);
  EXPECT_EQ(run.calls[0].agent_id, "7000");
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 0.0);  // "answered" at epoch 0, before it started: clamped
}

// tests/data/freeswitch/out_of_range.csv (also a seed of the FreeSWITCH fuzzer), the `example`
// template: the fuzzer's billsec, a start after 9999-12-31, and the longest billsec accepted.
TEST(FreeswitchCdr, OutOfRangeSeedFile) {
  std::ifstream in(KPI_TEST_DATA_DIR "/freeswitch/out_of_range.csv", std::ios::binary);
  ASSERT_TRUE(in);
  freeswitch_options o;
  o.mode = kpi::io::read_mode::lenient;
  const auto run = read_fs(in, o);
  EXPECT_EQ(run.result.rows.read, 3U);
  EXPECT_EQ(run.result.rows.rejected, 2U);
  EXPECT_EQ(places_of(run.result.rows.first_errors), (error_places{{1, "billsec"}, {2, "start_stamp"}}));
  ASSERT_EQ(run.calls.size(), 1U);
  EXPECT_EQ(run.calls[0].call_id, "u3");
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 253402300799.0);
}

}  // namespace
