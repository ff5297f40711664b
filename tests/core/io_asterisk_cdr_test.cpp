// Tests of the Asterisk CDR CSV importer (kpi/io/asterisk.hpp): layouts, leg parsing, grouping of legs
// into calls, local time, strict and lenient modes, and the real 21-column Master.csv of ../shared/data.
#include <gtest/gtest.h>

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
using kpi::from_unix_ms;
using kpi::io::cdr_layout;
using kpi::io::cdr_leg;
using kpi::io::cdr_options;
using kpi::io::cdr_result;

const std::string k_data = KPI_TEST_DATA_DIR "/asterisk/";
const std::string k_real = KPI_SHARED_DATA_DIR "/asterisk/cdr_csv_21col_Master.csv";

// 2026-11-02T02:00:00Z = 09:00 in Asia/Jakarta (UTC+7, no daylight saving): 20759 days × 86400 s
// + 2 h = 1793577600 + 7200 = 1793584800 s since the epoch.
constexpr std::int64_t k_nov2_0900_wib = 1793584800;

kpi::timestamp at_s(std::int64_t s) {
  return from_unix_ms(s * 1000);
}

struct cdr_run {
  cdr_result result;
  std::vector<call_record> calls;
};

cdr_run read_calls(std::istream &in, const std::string &name, const cdr_options &o) {
  cdr_run run;
  run.result = kpi::io::read_asterisk_cdr(
      in, name, [&](const call_record &r) { run.calls.push_back(r); }, o);
  return run;
}

cdr_run read_calls_file(const std::string &path, const cdr_options &o) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return read_calls(in, path, o);
}

std::vector<cdr_leg> read_legs_file(const std::string &path, const cdr_options &o, cdr_layout *layout,
                                    kpi::io::read_report *rep = nullptr) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::vector<cdr_leg> legs;
  const auto r = kpi::io::read_asterisk_cdr_legs(
      in, path, [&](const cdr_leg &l) { legs.push_back(l); }, o, layout);
  if (rep != nullptr) *rep = r;
  return legs;
}

cdr_options jakarta() {
  cdr_options o;
  o.zone = kpi::time_zone::locate("Asia/Jakarta");
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Layout names and channel peers

TEST(AsteriskCdr, LayoutNamesRoundTrip) {
  for (const auto l : {cdr_layout::detect, cdr_layout::csv16, cdr_layout::csv17, cdr_layout::csv18,
                       cdr_layout::csv21, cdr_layout::custom19}) {
    EXPECT_EQ(kpi::io::parse_cdr_layout(kpi::io::to_string(l)), l);
  }
  EXPECT_EQ(kpi::io::field_count(cdr_layout::csv16), 16U);
  EXPECT_EQ(kpi::io::field_count(cdr_layout::csv21), 21U);
  EXPECT_EQ(kpi::io::field_count(cdr_layout::custom19), 19U);
  EXPECT_THROW(kpi::io::parse_cdr_layout("csv20"), kpi::error);
}

TEST(AsteriskCdr, ChannelPeerStripsUniqueSuffixAndLocalHalf) {
  EXPECT_EQ(kpi::io::channel_peer("SIP/301-0000001a"), "SIP/301");
  EXPECT_EQ(kpi::io::channel_peer("PJSIP/1001-00000a3f"), "PJSIP/1001");
  EXPECT_EQ(kpi::io::channel_peer("SIP/stadionpbx-0000003d"), "SIP/stadionpbx");
  EXPECT_EQ(kpi::io::channel_peer("Local/ch1@TimeDelay-00000000;2"), "Local/ch1@TimeDelay");
  EXPECT_EQ(kpi::io::channel_peer("Local/6001@ringgroup-00000001;1"), "Local/6001@ringgroup");
  EXPECT_EQ(kpi::io::channel_peer("DAHDI/1-1"), "DAHDI/1");
  // No unique suffix: unchanged (the dash belongs to the peer name here).
  EXPECT_EQ(kpi::io::channel_peer("SIP/my-trunk"), "SIP/my-trunk");
  EXPECT_EQ(kpi::io::channel_peer("Agent/1001"), "Agent/1001");
  EXPECT_EQ(kpi::io::channel_peer(""), "");
}

// ---------------------------------------------------------------------------------------------------
// The real 21-column file (../shared/data/asterisk/cdr_csv_21col_Master.csv), hand-counted.
//
// 84 rows, 36 distinct linkedids (field 20). Asterisk ran in UTC there: the uniqueid 1706368044.0 of the
// first row was created at 1706368044 s = 2024-01-27T15:07:24Z, the row's start.
//
// Six linkedids have a single leg that dialled nobody (empty dstchannel, lastapp Hangup, ANSWERED by the
// PBX itself): 1706368044.0 (line 1, billsec 27), 1706369278.2 (2, 27), 1706369476.4 (3, 10),
// 1706404398.48 (21, 10), 1706412843.76 (32, 10), 1706412883.78 (33, 10): undialled, 94 billsec.
// The other 30 are calls, all inbound (the first leg's dcontext is "stadion-pstn").
//
// Unanswered (no dialling leg ANSWERED):
//   1706369600.6          lines 4-6: 2 NO ANSWER legs (billsec 60 and 30: the caller's channel was
//                         answered, not the dial) + a Hangup leg; abandoned, wait 15:34:20-15:33:20 = 60
//   1706372196.12         lines 7-13: parallel dial over 3 Local channels, all NO ANSWER; abandoned,
//                         wait 16:17:16-16:16:36 = 40
//   1706401101.30         lines 14-20: the same at night; abandoned, wait 00:18:44-00:18:21 = 23
//   mainserverdss-1706430495.50  lines 63-64: 2 NO ANSWER; abandoned, wait 8
//   mainserverdss-1706430532.55  lines 65-66: 2 NO ANSWER; abandoned, wait 8
//   mainserverdss-1706443058.100 line 83: BUSY only; failed, wait 0
// So 5 abandoned + 1 failed = 6 unanswered, 24 answered.
//
// Answered: agent = the answered dialled channel without suffix; talk = Σ billsec of its ANSWERED legs
// whose dstchannel is not Local; wait = answer − call start.
//   linkedid                      agent           talk  wait
//   1706407446.50 (Local chain)   SIP/301         0+17    6   (02:04:12-02:04:06)
//   1706412022.63 (Local chain)   SIP/301         0+23    5
//   1706412893.79 (Local chain)   SIP/301         0+79    4
//   1706413165.93                 SIP/301           43    5
//   1706415046.98                 SIP/stadionpbx    30    6
//   mss-1706420300.0              SIP/301           16    4
//   mss-1706421930.5              SIP/301           33   10
//   mss-1706422609.10             SIP/stadionpbx    29    9
//   mss-1706422943.15             SIP/301           19    2
//   mss-1706425268.20             SIP/301           17    4
//   mss-1706427165.25             SIP/301           58    3
//   mss-1706428232.30             SIP/301           19    3
//   mss-1706428675.35             SIP/301           39    4
//   mss-1706429828.40             SIP/301           32    3
//   mss-1706430146.45             SIP/301           61    3
//   mss-1706432056.60             SIP/301           15    4
//   mss-1706434176.65             SIP/stadionpbx    24    9
//   mss-1706434830.70             SIP/301           34    4
//   mss-1706435813.75             SIP/301           21    3
//   mss-1706436017.80             SIP/301           23    3
//   mss-1706437649.85             SIP/stadionpbx    24    3
//   mss-1706438303.90             SIP/301           39    2
//   mss-1706438498.95             SIP/301           29    3
//   mss-1706445411.103            SIP/stadionpbx    66    3
// SIP/301: 19 calls, talk 17+23+79+43+16+33+19+17+58+19+39+32+61+15+34+21+23+39+29 = 617 s.
// SIP/stadionpbx: 5 calls, talk 30+29+24+24+66 = 173 s. Total talk 790 s.
// Σ wait of answered = 6+5+4+5+6+4+10+9+2+4+3+3+4+3+3+4+9+4+3+3+3+2+3+3 = 105 → ASA 105/24 = 4.375 s.
// Leg-level Σ billsec of all 84 rows = 790 (answered dials) + 94 (undialled) + 60 + 30 (the two
// NO ANSWER legs of 1706369600.6) = 974; legs with an empty answer field: 45.

TEST(AsteriskCdr, RealFileLegsParse) {
  cdr_layout layout = cdr_layout::detect;
  kpi::io::read_report rep;
  const auto legs = read_legs_file(k_real, {}, &layout, &rep);
  EXPECT_EQ(layout, cdr_layout::csv21);
  EXPECT_EQ(rep.read, 84U);
  EXPECT_EQ(rep.accepted, 84U);
  EXPECT_EQ(rep.rejected, 0U);
  ASSERT_EQ(legs.size(), 84U);
  std::int64_t billsec = 0;
  int no_answer_field = 0;
  for (const auto &l : legs) {
    billsec += l.billsec_s;
    no_answer_field += l.answer ? 0 : 1;
  }
  EXPECT_EQ(billsec, 974);
  EXPECT_EQ(no_answer_field, 45);

  // Line 1, field by field.
  const cdr_leg &a = legs[0];
  EXPECT_EQ(a.line, 1U);
  EXPECT_EQ(a.accountcode, "");
  EXPECT_EQ(a.src, "89293301437");
  EXPECT_EQ(a.dst, "211474");
  EXPECT_EQ(a.dcontext, "stadion-pstn");
  EXPECT_EQ(a.clid, "\"89293301437\" <89293301437>");
  EXPECT_EQ(a.channel, "SIP/211474-00000000");
  EXPECT_EQ(a.dstchannel, "");
  EXPECT_EQ(a.lastapp, "Hangup");
  EXPECT_EQ(a.start, at_s(1706368044));  // 2024-01-27 15:07:24 read in UTC
  ASSERT_TRUE(a.answer.has_value());
  EXPECT_EQ(*a.answer, at_s(1706368044));
  EXPECT_EQ(a.end, at_s(1706368044 + 27));
  EXPECT_EQ(a.duration_s, 27);
  EXPECT_EQ(a.billsec_s, 27);
  EXPECT_EQ(a.disposition, kpi::io::cdr_disposition::answered);
  EXPECT_EQ(a.amaflags, "DOCUMENTATION");
  EXPECT_EQ(a.uniqueid, "1706368044.0");
  EXPECT_EQ(a.linkedid, "1706368044.0");
  ASSERT_TRUE(a.sequence.has_value());
  EXPECT_EQ(*a.sequence, 0);

  // Line 41: the caller name with broken UTF-8 (bytes A5 A5) is passed through unchanged.
  EXPECT_EQ(legs[40].clid,
            "\"8109118644\xA5\xA5"
            "b\" <81091186440607>");
  // Line 43: hostname-prefixed uniqueid, and an unanswered Local-free leg with an empty answer field.
  EXPECT_EQ(legs[42].uniqueid, "mainserverdss-1706420300.0");
  EXPECT_FALSE(legs[43].answer.has_value());
  EXPECT_EQ(legs[43].disposition, kpi::io::cdr_disposition::no_answer);
}

TEST(AsteriskCdr, RealFileCallsAsHandCounted) {
  const auto run = read_calls_file(k_real, {});
  const cdr_result &r = run.result;
  EXPECT_EQ(r.layout, cdr_layout::csv21);
  EXPECT_EQ(r.rows.read, 84U);
  EXPECT_EQ(r.rows.accepted, 84U);
  EXPECT_EQ(r.undialled, 6U);
  EXPECT_EQ(r.calls, 30U);
  EXPECT_EQ(r.inbound, 30U);
  EXPECT_EQ(r.outbound, 0U);
  EXPECT_EQ(r.connected, 24U);
  EXPECT_EQ(r.local_legs_ignored, 0U);  // with a linkedid, Local legs join their call
  ASSERT_EQ(run.calls.size(), 30U);

  int connected = 0, abandoned = 0, failed = 0;
  double talk = 0, wait_answered = 0;
  std::map<std::string, int> per_agent;
  std::map<std::string, double> talk_per_agent;
  for (const auto &c : run.calls) {
    EXPECT_EQ(c.direction, kpi::direction::inbound);
    ASSERT_TRUE(c.wait_s.has_value()) << c.call_id;
    talk += c.talk_s;
    switch (c.outcome) {
      case call_outcome::connected:
        ++connected;
        wait_answered += *c.wait_s;
        ++per_agent[c.agent_id];
        talk_per_agent[c.agent_id] += c.talk_s;
        break;
      case call_outcome::abandoned:
        ++abandoned;
        EXPECT_TRUE(c.agent_id.empty());
        break;
      case call_outcome::failed:
        ++failed;
        break;
      default:
        ADD_FAILURE() << "unexpected outcome for " << c.call_id;
    }
  }
  EXPECT_EQ(connected, 24);
  EXPECT_EQ(abandoned, 5);
  EXPECT_EQ(failed, 1);
  EXPECT_DOUBLE_EQ(talk, 790.0);
  EXPECT_DOUBLE_EQ(wait_answered / connected, 4.375);  // 105 / 24
  EXPECT_EQ(per_agent.size(), 2U);
  EXPECT_EQ(per_agent["SIP/301"], 19);
  EXPECT_EQ(per_agent["SIP/stadionpbx"], 5);
  EXPECT_DOUBLE_EQ(talk_per_agent["SIP/301"], 617.0);
  EXPECT_DOUBLE_EQ(talk_per_agent["SIP/stadionpbx"], 173.0);

  // Calls are emitted in batches, each in order of start; the file's calls are hours apart, so the
  // batches come in order too.
  for (std::size_t i = 1; i < run.calls.size(); ++i) EXPECT_LE(run.calls[i - 1].start, run.calls[i].start);

  // The parallel dial through three Local channels answered by SIP/301 (lines 22-26) counts once.
  const auto local_chain = std::find_if(run.calls.begin(), run.calls.end(),
                                        [](const call_record &c) { return c.call_id == "1706407446.50"; });
  ASSERT_NE(local_chain, run.calls.end());
  EXPECT_EQ(local_chain->agent_id, "SIP/301");
  EXPECT_EQ(local_chain->caller, "89022391967");
  EXPECT_EQ(local_chain->start, at_s(1706407446));  // 2024-01-28 02:04:06Z
  EXPECT_DOUBLE_EQ(local_chain->talk_s, 17.0);
  EXPECT_DOUBLE_EQ(*local_chain->wait_s, 6.0);
  EXPECT_EQ(local_chain->outcome, call_outcome::connected);

  // The first unanswered one: NO ANSWER legs with billsec 60 and 30 do not count as talk.
  const auto unanswered = std::find_if(run.calls.begin(), run.calls.end(),
                                       [](const call_record &c) { return c.call_id == "1706369600.6"; });
  ASSERT_NE(unanswered, run.calls.end());
  EXPECT_EQ(unanswered->outcome, call_outcome::abandoned);
  EXPECT_DOUBLE_EQ(unanswered->talk_s, 0.0);
  EXPECT_DOUBLE_EQ(*unanswered->wait_s, 60.0);

  const auto busy = std::find_if(run.calls.begin(), run.calls.end(), [](const call_record &c) {
    return c.call_id == "mainserverdss-1706443058.100";
  });
  ASSERT_NE(busy, run.calls.end());
  EXPECT_EQ(busy->outcome, call_outcome::failed);
  EXPECT_DOUBLE_EQ(*busy->wait_s, 0.0);
}

TEST(AsteriskCdr, RealFileReadInAnotherZoneShiftsEveryStart) {
  // The same file declared as Moscow time (UTC+3 all year since 2014): 15:07:24 local = 12:07:24Z.
  cdr_options o;
  o.zone = kpi::time_zone::locate("Europe/Moscow");
  cdr_layout layout{};
  const auto legs = read_legs_file(k_real, o, &layout);
  ASSERT_EQ(legs.size(), 84U);
  EXPECT_EQ(legs[0].start, at_s(1706368044 - 3 * 3600));
}

TEST(AsteriskCdr, RealFileWithShortHorizonStillGroupsEachCall) {
  // A horizon of 60 s closes calls while reading (the file spans 21 hours); every call's legs end
  // within a few seconds of each other, so the result is the same 30 calls.
  cdr_options o;
  o.group_horizon_s = 60;
  const auto run = read_calls_file(k_real, o);
  EXPECT_EQ(run.result.calls, 30U);
  EXPECT_EQ(run.result.connected, 24U);
  EXPECT_EQ(run.result.undialled, 6U);
  // At most the calls of the last minute (plus what the next sweep removes) are held: the most is 3,
  // when 1706412893.79 (03:34:53) arrives while 1706412843.76 (ended 03:34:14) and 1706412883.78
  // (ended 03:34:54) are within the minute.
  EXPECT_EQ(run.result.max_open_calls, 3U);
  double talk = 0;
  for (const auto &c : run.calls) talk += c.talk_s;
  EXPECT_DOUBLE_EQ(talk, 790.0);
}

// ---------------------------------------------------------------------------------------------------
// Hand-written fixtures of the other layouts (tests/data/asterisk/), in Asia/Jakarta local time.

TEST(AsteriskCdr, Csv16OutboundGroupsByChannelAndStart) {
  // cdr_csv16_outbound.csv, 6 rows of agents dialling out from "from-internal":
  //   1 PJSIP/1001 → 081234567001 ANSWERED billsec 300, 09:00:00 WIB
  //   2 PJSIP/1001 → ...002 NO ANSWER          3 PJSIP/1002 → ...003 BUSY
  //   4 PJSIP/1002 → ...004 CONGESTION         5 PJSIP/1002 *97 voicemail menu, no dstchannel: undialled
  //   6 PJSIP/1003 → ...005 ANSWERED billsec 240, 09:10:00 WIB
  const auto run = read_calls_file(k_data + "cdr_csv16_outbound.csv", jakarta());
  EXPECT_EQ(run.result.layout, cdr_layout::csv16);
  EXPECT_EQ(run.result.rows.read, 6U);
  EXPECT_EQ(run.result.calls, 5U);
  EXPECT_EQ(run.result.outbound, 5U);
  EXPECT_EQ(run.result.connected, 2U);
  EXPECT_EQ(run.result.undialled, 1U);
  ASSERT_EQ(run.calls.size(), 5U);
  const call_record &c1 = run.calls[0];
  EXPECT_EQ(c1.call_id, "PJSIP/1001-00000001@2026-11-02T02:00:00Z");
  EXPECT_EQ(c1.agent_id, "PJSIP/1001");
  EXPECT_EQ(c1.direction, kpi::direction::outbound);
  EXPECT_EQ(c1.caller, "081234567001");
  EXPECT_EQ(c1.start, at_s(k_nov2_0900_wib));
  EXPECT_EQ(c1.outcome, call_outcome::connected);
  EXPECT_DOUBLE_EQ(c1.talk_s, 300.0);
  EXPECT_FALSE(c1.wait_s.has_value());  // wait is a queue notion: inbound only
  EXPECT_EQ(run.calls[1].outcome, call_outcome::no_answer);
  EXPECT_EQ(run.calls[1].agent_id, "PJSIP/1001");
  EXPECT_DOUBLE_EQ(run.calls[1].talk_s, 0.0);
  EXPECT_EQ(run.calls[2].outcome, call_outcome::busy);
  EXPECT_EQ(run.calls[2].agent_id, "PJSIP/1002");
  EXPECT_EQ(run.calls[3].outcome, call_outcome::failed);  // CONGESTION
  EXPECT_EQ(run.calls[4].agent_id, "PJSIP/1003");
  EXPECT_EQ(run.calls[4].start, at_s(k_nov2_0900_wib + 600));
  EXPECT_DOUBLE_EQ(run.calls[4].talk_s, 240.0);
}

TEST(AsteriskCdr, Csv17InboundParallelDialCountsOnce) {
  // cdr_csv17_inbound.csv (no linkedid: grouped by the caller's uniqueid):
  //   1793588400.10: ring group PJSIP/1001 & PJSIP/1002 from 10:00:00 WIB, 1002 answers at 10:00:08,
  //                  billsec 200 → one call, connected, agent PJSIP/1002, wait 8, talk 200.
  //   1793588460.13: trunk → Local/6001@ringgroup;1 NO ANSWER for 25 s (its ;2 half, uniqueid .14, cannot
  //                  be tied without a linkedid: ignored) → abandoned, wait 25.
  //   1793588520.16: Playback only, no dial → undialled.
  //   1793588600.20: trunk → Local/6002@ringgroup;1 ANSWERED at 10:03:26 (start 10:03:20), billsec 90;
  //                  the ;2 half (→ PJSIP/1001) ignored → connected, agent "Local/6002@ringgroup" (the
  //                  only answered channel known without a linkedid), wait 6, talk 90.
  const auto run = read_calls_file(k_data + "cdr_csv17_inbound.csv", jakarta());
  EXPECT_EQ(run.result.layout, cdr_layout::csv17);
  EXPECT_EQ(run.result.rows.read, 7U);
  EXPECT_EQ(run.result.local_legs_ignored, 2U);
  EXPECT_EQ(run.result.undialled, 1U);
  EXPECT_EQ(run.result.calls, 3U);
  ASSERT_EQ(run.calls.size(), 3U);
  const std::int64_t ten = k_nov2_0900_wib + 3600;  // 10:00:00 WIB
  EXPECT_EQ(run.calls[0].call_id, "1793588400.10");
  EXPECT_EQ(run.calls[0].direction, kpi::direction::inbound);
  EXPECT_EQ(run.calls[0].start, at_s(ten));
  EXPECT_EQ(run.calls[0].caller, "081311110001");
  EXPECT_EQ(run.calls[0].outcome, call_outcome::connected);
  EXPECT_EQ(run.calls[0].agent_id, "PJSIP/1002");
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 8.0);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 200.0);
  EXPECT_EQ(run.calls[1].call_id, "1793588460.13");
  EXPECT_EQ(run.calls[1].outcome, call_outcome::abandoned);
  EXPECT_DOUBLE_EQ(*run.calls[1].wait_s, 25.0);
  EXPECT_EQ(run.calls[2].call_id, "1793588600.20");
  EXPECT_EQ(run.calls[2].agent_id, "Local/6002@ringgroup");
  EXPECT_DOUBLE_EQ(*run.calls[2].wait_s, 6.0);
  EXPECT_DOUBLE_EQ(run.calls[2].talk_s, 90.0);
}

TEST(AsteriskCdr, Csv18UserfieldAndAllBusyInboundIsFailed) {
  cdr_layout layout{};
  const auto legs = read_legs_file(k_data + "cdr_csv18_userfield.csv", jakarta(), &layout);
  EXPECT_EQ(layout, cdr_layout::csv18);
  ASSERT_EQ(legs.size(), 3U);
  EXPECT_EQ(legs[0].userfield, "campaign=CMP-A");
  EXPECT_EQ(legs[0].amaflags, "BILLING");
  EXPECT_FALSE(legs[0].sequence.has_value());

  // Call 1793592000.30: outbound, connected, 270 s. Call 1793592060.32: inbound, BUSY + CONGESTION:
  // nothing rang → failed, wait 0.
  const auto run = read_calls_file(k_data + "cdr_csv18_userfield.csv", jakarta());
  ASSERT_EQ(run.calls.size(), 2U);
  EXPECT_EQ(run.calls[0].direction, kpi::direction::outbound);
  EXPECT_EQ(run.calls[0].agent_id, "PJSIP/1004");
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 270.0);
  EXPECT_EQ(run.calls[1].direction, kpi::direction::inbound);
  EXPECT_EQ(run.calls[1].outcome, call_outcome::failed);
  EXPECT_TRUE(run.calls[1].agent_id.empty());
}

TEST(AsteriskCdr, CustomLayoutDetectedAndGrouped) {
  // cdr_custom19.csv: cdr_custom's default order (clid first, quoted numbers, sequence last).
  //   1793595600.40: PJSIP/1001 answers at 12:00:05 (start 12:00:00), billsec 120; PJSIP/1003 NO ANSWER.
  //   1793595900.43: both NO ANSWER for 30 s; the clid holds a comma inside its quotes.
  cdr_layout layout{};
  const auto legs = read_legs_file(k_data + "cdr_custom19.csv", jakarta(), &layout);
  EXPECT_EQ(layout, cdr_layout::custom19);
  ASSERT_EQ(legs.size(), 4U);
  EXPECT_EQ(legs[0].clid, "\"Rina\" <081311110006>");
  EXPECT_EQ(legs[0].src, "081311110006");
  EXPECT_EQ(legs[0].channel, "PJSIP/trunk-00000030");
  EXPECT_EQ(legs[0].billsec_s, 120);
  EXPECT_EQ(legs[0].uniqueid, "1793595600.40");
  ASSERT_TRUE(legs[0].sequence.has_value());
  EXPECT_EQ(*legs[0].sequence, 40);
  EXPECT_FALSE(legs[1].answer.has_value());
  EXPECT_EQ(legs[2].clid, "\"Joko, Pak\" <081311110007>");

  const auto run = read_calls_file(k_data + "cdr_custom19.csv", jakarta());
  ASSERT_EQ(run.calls.size(), 2U);
  EXPECT_EQ(run.calls[0].outcome, call_outcome::connected);
  EXPECT_EQ(run.calls[0].agent_id, "PJSIP/1001");
  EXPECT_EQ(run.calls[0].start, at_s(k_nov2_0900_wib + 3 * 3600));
  EXPECT_DOUBLE_EQ(*run.calls[0].wait_s, 5.0);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 120.0);
  EXPECT_EQ(run.calls[1].outcome, call_outcome::abandoned);
  EXPECT_DOUBLE_EQ(*run.calls[1].wait_s, 30.0);
}

TEST(AsteriskCdr, DeclaredLayoutMustMatchEveryRow) {
  // The 16-column file declared as 21 columns: the first row is a bad row naming its field count.
  cdr_options o = jakarta();
  o.layout = cdr_layout::csv21;
  try {
    (void)read_calls_file(k_data + "cdr_csv16_outbound.csv", o);
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 1U);
    EXPECT_NE(e.reason().find("16 fields"), std::string::npos) << e.what();
    EXPECT_NE(e.reason().find("csv21"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------------
// Direction, strictness, errors

TEST(AsteriskCdr, DirectionFromContextListsAndGuess) {
  // One answered leg in context "sales-out": outbound by default (no inbound keyword); inbound when the
  // caller lists the context; "ext-did" is guessed inbound unless guessing is off.
  const std::string row_sales =
      "\"\",\"0811\",\"100\",\"sales-out\",\"\",\"PJSIP/1001-00000001\",\"PJSIP/"
      "1002-00000002\",\"Dial\",\"\","
      "\"2026-11-02 09:00:00\",\"2026-11-02 09:00:05\",\"2026-11-02 09:01:05\",65,60,\"ANSWERED\","
      "\"DOCUMENTATION\"\n";
  const std::string row_did =
      "\"\",\"0811\",\"100\",\"ext-did\",\"\",\"PJSIP/trunk-00000001\",\"PJSIP/1002-00000002\",\"Dial\",\"\","
      "\"2026-11-02 09:00:00\",\"2026-11-02 09:00:05\",\"2026-11-02 09:01:05\",65,60,\"ANSWERED\","
      "\"DOCUMENTATION\"\n";
  auto direction_of = [](const std::string &text, const cdr_options &o) {
    std::istringstream in(text);
    const auto run = read_calls(in, "mem.csv", o);
    EXPECT_EQ(run.calls.size(), 1U);
    return run.calls.empty() ? kpi::direction::outbound : run.calls[0].direction;
  };
  cdr_options o;
  EXPECT_EQ(direction_of(row_sales, o), kpi::direction::outbound);
  EXPECT_EQ(direction_of(row_did, o), kpi::direction::inbound);
  o.inbound_contexts = {"sales-out"};
  EXPECT_EQ(direction_of(row_sales, o), kpi::direction::inbound);
  o.guess_direction = false;
  EXPECT_EQ(direction_of(row_did, o), kpi::direction::outbound);
  o.outbound_contexts = {"ext-did"};
  o.guess_direction = true;
  EXPECT_EQ(direction_of(row_did, o), kpi::direction::outbound);  // a list beats the guess
}

std::string bad_cdr_text() {
  // Line 1 good; line 2 a bad billsec; line 3 an unknown disposition; line 4 a bad start; line 5 good.
  std::string s;
  const std::string head = "\"\",\"1001\",\"0811\",\"from-internal\",\"\",\"PJSIP/1001-0000000";
  auto row = [&](int n, const std::string &start, const std::string &billsec, const std::string &disp) {
    return head + std::to_string(n) + "\",\"PJSIP/trunk-0000000" + std::to_string(n) + "\",\"Dial\",\"\",\"" +
           start + "\",\"\",\"2026-11-02 09:0" + std::to_string(n) + ":30\",30," + billsec + ",\"" + disp +
           "\",\"DOCUMENTATION\"\n";
  };
  s += row(1, "2026-11-02 09:01:00", "0", "NO ANSWER");
  s += row(2, "2026-11-02 09:02:00", "-3", "NO ANSWER");
  s += row(3, "2026-11-02 09:03:00", "0", "RINGING");
  s += row(4, "2026-13-02 09:04:00", "0", "NO ANSWER");
  s += row(5, "2026-11-02 09:05:00", "0", "BUSY");
  return s;
}

TEST(AsteriskCdr, StrictModeNamesFileLineColumnAndReason) {
  std::istringstream in(bad_cdr_text());
  try {
    (void)read_calls(in, "Master.csv", {});
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.file(), "Master.csv");
    EXPECT_EQ(e.line(), 2U);
    EXPECT_EQ(e.column(), "billsec");
    EXPECT_NE(e.reason().find("'-3'"), std::string::npos) << e.what();
  }
}

TEST(AsteriskCdr, LenientModeSkipsAndReportsBadRows) {
  std::istringstream in(bad_cdr_text());
  cdr_options o;
  o.mode = kpi::io::read_mode::lenient;
  const auto run = read_calls(in, "Master.csv", o);
  EXPECT_EQ(run.result.rows.read, 5U);
  EXPECT_EQ(run.result.rows.accepted, 2U);
  EXPECT_EQ(run.result.rows.rejected, 3U);
  EXPECT_EQ(places_of(run.result.rows.first_errors),
            (error_places{{2, "billsec"}, {3, "disposition"}, {4, "start"}}));
  ASSERT_EQ(run.calls.size(), 2U);
  EXPECT_EQ(run.calls[0].outcome, call_outcome::no_answer);
  EXPECT_EQ(run.calls[1].outcome, call_outcome::busy);

  o.max_errors_kept = 1;
  std::istringstream in2(bad_cdr_text());
  const auto run2 = read_calls(in2, "Master.csv", o);
  EXPECT_EQ(run2.result.rows.rejected, 3U);
  EXPECT_EQ(run2.result.rows.first_errors.size(), 1U);
}

// billsec and duration are whole seconds up to 253402300799 (the seconds to 9999-12-31 23:59:59), so
// that end − billsec (the answer instant when the answer field is empty) cannot overflow.
TEST(AsteriskCdr, DurationsBeyondTheClockRangeAreBadRows) {
  const std::string head = "\"\",\"1001\",\"0811\",\"from-internal\",\"\",\"PJSIP/1001-0000000";
  auto row = [&](int n, const std::string &duration, const std::string &billsec) {
    return head + std::to_string(n) + "\",\"PJSIP/trunk-0000000" + std::to_string(n) +
           "\",\"Dial\",\"\",\"2026-11-02 09:0" + std::to_string(n) + ":00\",\"\",\"2026-11-02 09:0" +
           std::to_string(n) + ":30\"," + duration + "," + billsec + ",\"ANSWERED\",\"DOCUMENTATION\"\n";
  };
  std::istringstream in(row(1, "30", "253402300800") + row(2, "3838615082088355155", "20") +
                        row(3, "30", "253402300799") + row(4, "30", "20"));
  cdr_options o;
  o.mode = kpi::io::read_mode::lenient;
  const auto run = read_calls(in, "Master.csv", o);
  EXPECT_EQ(run.result.rows.read, 4U);
  EXPECT_EQ(run.result.rows.accepted, 2U);
  ASSERT_EQ(places_of(run.result.rows.first_errors), (error_places{{1, "billsec"}, {2, "duration"}}));
  EXPECT_NE(run.result.rows.first_errors[0].reason().find("an integer from 0 to 253402300799"),
            std::string::npos)
      << run.result.rows.first_errors[0].what();
  ASSERT_EQ(run.calls.size(), 2U);
  EXPECT_DOUBLE_EQ(run.calls[0].talk_s, 253402300799.0);  // the longest accepted
  EXPECT_DOUBLE_EQ(run.calls[1].talk_s, 20.0);
}

TEST(AsteriskCdr, UndetectableLayoutIsAnErrorInBothModes) {
  for (const auto mode : {kpi::io::read_mode::strict, kpi::io::read_mode::lenient}) {
    cdr_options o;
    o.mode = mode;
    std::istringstream in("\"a\",\"b\",\"c\"\n");
    EXPECT_THROW((void)read_calls(in, "x.csv", o), kpi::parse_error);
    // 16 fields but field 15 is not a disposition.
    std::istringstream in2("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n");
    EXPECT_THROW((void)read_calls(in2, "x.csv", o), kpi::parse_error);
  }
}

TEST(AsteriskCdr, EmptyInputGivesNothing) {
  std::istringstream in("");
  const auto run = read_calls(in, "empty.csv", {});
  EXPECT_EQ(run.result.rows.read, 0U);
  EXPECT_EQ(run.result.calls, 0U);
  EXPECT_TRUE(run.calls.empty());
}

TEST(AsteriskCdr, NonexistentLocalTimeIsABadRow) {
  // 2026-03-08 02:30 does not exist in America/New_York (the clocks jump from 02:00 to 03:00).
  const std::string row =
      "\"\",\"1001\",\"0811\",\"from-internal\",\"\",\"PJSIP/1001-00000001\",\"PJSIP/"
      "t-00000002\",\"Dial\",\"\","
      "\"2026-03-08 02:30:00\",,\"2026-03-08 03:31:00\",60,0,\"NO ANSWER\",\"DOCUMENTATION\"\n";
  cdr_options o;
  o.zone = kpi::time_zone::locate("America/New_York");
  std::istringstream in(row);
  try {
    (void)read_calls(in, "ny.csv", o);
    FAIL() << "expected a parse error";
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.column(), "start");
    EXPECT_NE(e.reason().find("does not exist"), std::string::npos) << e.what();
  }
  // 2026-11-01 01:30 happens twice there (EDT then EST): the earlier instant, 05:30Z, is taken.
  const std::string twice =
      "\"\",\"1001\",\"0811\",\"from-internal\",\"\",\"PJSIP/1001-00000001\",\"PJSIP/"
      "t-00000002\",\"Dial\",\"\","
      "\"2026-11-01 01:30:00\",,\"2026-11-01 01:30:10\",10,0,\"NO ANSWER\",\"DOCUMENTATION\"\n";
  std::istringstream in2(twice);
  const auto run = read_calls(in2, "ny.csv", o);
  ASSERT_EQ(run.calls.size(), 1U);
  // 2026-11-01T05:30:00Z: 20758 days × 86400 + 5.5 h = 1793491200 + 19800.
  EXPECT_EQ(run.calls[0].start, at_s(1793491200 + 19800));
}

TEST(AsteriskCdr, BadOptionsAreRejected) {
  std::istringstream in("");
  cdr_options o;
  o.group_horizon_s = 0;
  EXPECT_THROW((void)read_calls(in, "x", o), kpi::error);
  o.group_horizon_s = 60;
  o.layout = static_cast<cdr_layout>(9);
  EXPECT_THROW((void)read_calls(in, "x", o), kpi::error);
}

TEST(AsteriskCdr, CallbackExceptionPropagates) {
  std::ifstream in(k_real, std::ios::binary);
  EXPECT_THROW(
      kpi::io::read_asterisk_cdr(in, "x", [](const call_record &) { throw std::runtime_error("stop"); }, {}),
      std::runtime_error);
}

}  // namespace
