// kpi::engine ingest: late data, de-duplication, rejections with reasons, the columnar batch path
// (equal to per-record ingest), caller tracking, options.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine_test_util.hpp"
#include "kpi/catalog.hpp"
#include "kpi/engine.hpp"
#include "kpi/error.hpp"

namespace kpi {
namespace {

using test::at;
using test::code_of;
using test::inbound;
using test::outbound;

engine_options daily(std::vector<dimension> by = {dimension::agent_id}) {
  engine_options o;
  o.group_by = std::move(by);
  o.period = period_kind::day;
  return o;
}

TEST(EngineIngest, LateRecordsLandInTheirOwnPeriod) {
  engine e(daily());
  e.add(outbound("c1", "A1", "", "2026-11-05T10:00:00Z", 60));
  e.add(outbound("c2", "A1", "", "2026-11-20T10:00:00Z", 60));
  e.add(outbound("c3", "A1", "", "2026-11-03T10:00:00Z", 60));  // late: an earlier day than 11-20
  e.add(outbound("c4", "A1", "", "2026-11-20T12:00:00Z", 60));  // same day as the latest: not late
  EXPECT_EQ(e.counts().late, 1u);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11-03")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11-05")), 1.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11-20")), 2.0);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11")), 4.0);
  // extent(): [earliest anchor, latest + 1 ms).
  ASSERT_TRUE(e.extent());
  EXPECT_EQ(e.extent()->start, at("2026-11-03T10:00:00Z"));
  EXPECT_EQ(e.extent()->end, at("2026-11-20T12:00:00.001Z"));
}

TEST(EngineIngest, DeduplicationDropsAResentBatch) {
  std::vector<call_record> batch = {outbound("c1", "A1", "", "2026-11-05T10:00:00Z", 60),
                                    outbound("c2", "A1", "", "2026-11-05T11:00:00Z", 120),
                                    outbound("c3", "A2", "", "2026-11-05T12:00:00Z", 0, call_outcome::busy)};
  engine_options o = daily();
  o.deduplicate = true;
  engine e(o);
  EXPECT_EQ(e.add(std::span<const call_record>(batch)), 3u);
  EXPECT_EQ(e.add(std::span<const call_record>(batch)), 0u);  // re-sent: every id already accepted
  const test::call_batch cols(batch);
  EXPECT_EQ(e.add_calls(cols.columns()), 0u);  // and again through the batch path
  EXPECT_EQ(e.counts().read, 9u);
  EXPECT_EQ(e.counts().accepted, 3u);
  EXPECT_EQ(e.counts().duplicates, 6u);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-11-05")), 3.0);
  EXPECT_EQ(e.evaluate(kpi_id::talk_time_total_s, {}, parse_period("2026-11-05")), 180.0);
  // Ids are per family: an order "c1" is not a duplicate of the call "c1".
  EXPECT_TRUE(e.add(test::order("c1", "A1", "", "2026-11-05T10:00:00Z", {100, currency::of("IDR")})));
  // Without the option the same re-send counts twice.
  engine twice(daily());
  twice.add(std::span<const call_record>(batch));
  twice.add(std::span<const call_record>(batch));
  EXPECT_EQ(twice.evaluate(kpi_id::calls, {}, parse_period("2026-11-05")), 6.0);
  // Deduplicating batches need ids.
  call_columns no_ids = cols.columns();
  no_ids.call_id = {};
  EXPECT_EQ(code_of([&] { e.add_calls(no_ids); }), errc::invalid_argument);
}

TEST(EngineIngest, DeduplicatedEnginesRefuseToMergeOverlappingIds) {
  engine_options o = daily();
  o.deduplicate = true;
  engine a(o), b(o);
  a.add(outbound("c1", "A1", "", "2026-11-05T10:00:00Z", 60));
  b.add(outbound("c1", "A1", "", "2026-11-05T10:00:00Z", 60));
  b.add(outbound("c2", "A1", "", "2026-11-05T11:00:00Z", 60));
  const std::string before = a.save();
  EXPECT_EQ(code_of([&] { a.merge(b); }), errc::invalid_argument);
  EXPECT_EQ(a.save(), before);  // unchanged
  engine c(o);
  c.add(outbound("c2", "A1", "", "2026-11-05T11:00:00Z", 60));
  a.merge(c);
  EXPECT_EQ(a.evaluate(kpi_id::calls, {}, parse_period("2026-11-05")), 2.0);
  EXPECT_FALSE(a.add(outbound("c2", "A1", "", "2026-11-05T11:00:00Z", 60)));  // the merged id set
}

TEST(EngineIngest, InvalidRecordsAreCountedWithTheirReasons) {
  engine e(daily());
  call_record bad = outbound("c1", "A1", "", "2026-11-05T10:00:00Z", -3);
  EXPECT_FALSE(e.add(bad));
  call_record no_agent = outbound("c2", "", "", "2026-11-05T10:00:00Z", 30);  // connected without an agent
  EXPECT_FALSE(e.add(no_agent));
  EXPECT_TRUE(e.add(outbound("c3", "A1", "", "2026-11-05T10:00:00Z", 30)));
  EXPECT_EQ(e.counts().read, 3u);
  EXPECT_EQ(e.counts().rejected, 2u);
  EXPECT_EQ(e.counts().accepted, 1u);
  ASSERT_EQ(e.counts().reasons.size(), 2u);
  EXPECT_NE(e.counts().reasons[0].find("'c1'"), std::string::npos);
  EXPECT_NE(e.counts().reasons[0].find("talk_s"), std::string::npos);
  EXPECT_NE(e.counts().reasons[1].find("agent_id"), std::string::npos);
  // Only the first max_reasons reasons are kept; every rejection is counted.
  for (int i = 0; i < 20; ++i) e.add(bad);
  EXPECT_EQ(e.counts().rejected, 22u);
  EXPECT_EQ(e.counts().reasons.size(), ingest_counts::max_reasons);
  // A rejected record leaves no cell behind.
  EXPECT_EQ(e.cell_count(), 1u);
  EXPECT_EQ(e.groups().size(), 1u);
}

TEST(EngineIngest, BatchEqualsPerRecord) {
  const test::random_stream s = test::make_stream(7, 3000);
  for (const auto &by : std::vector<std::vector<dimension>>{
           {}, {dimension::agent_id}, {dimension::team_id, dimension::agent_id, dimension::queue_id}}) {
    engine_options o = daily(by);
    o.zone = time_zone::locate("Asia/Jakarta");
    engine one(o), batch(o);
    for (const call_record &r : s.calls) one.add(r);
    // In three batches of different sizes, each with its own dictionaries.
    const std::size_t cut1 = 1000, cut2 = 1001;
    const std::vector<call_record> parts[] = {{s.calls.begin(), s.calls.begin() + cut1},
                                              {s.calls.begin() + cut1, s.calls.begin() + cut2},
                                              {s.calls.begin() + cut2, s.calls.end()}};
    std::size_t accepted = 0;
    for (const auto &p : parts) accepted += batch.add_calls(test::call_batch(p).columns());
    EXPECT_EQ(accepted, s.calls.size());
    EXPECT_EQ(one.counts(), batch.counts());
    EXPECT_EQ(one.save(), batch.save());  // the same state, byte for byte
    const period oct = parse_period("2026-10");
    for (const kpi_info &k : catalog()) {
      if (k.evaluate != nullptr && (k.families & family_calls) != 0) {
        EXPECT_EQ(one.evaluate(k.id, {}, oct), batch.evaluate(k.id, {}, oct)) << k.name;
      }
    }
  }
}

// add_calls validates in the instruction set batch_simd() names: the best the processor has, capped by
// KPI_SIMD. CTest runs the batch tests again with KPI_SIMD=sse2 and KPI_SIMD=avx2 (tests/core/
// CMakeLists.txt), so that each version is tested where the processor has it; this test checks that the
// cap took.
TEST(EngineIngest, BatchSimdIsTheBestAllowed) {
  const std::string simd = batch_simd();
  const std::vector<std::string> names = {"avx512", "avx2", "sse2", "portable"};
  ASSERT_NE(std::find(names.begin(), names.end(), simd), names.end()) << simd;
  EXPECT_EQ(simd, batch_simd());  // chosen once
#if defined(__x86_64__)
  EXPECT_NE(simd, "portable");
  const char *cap = std::getenv("KPI_SIMD");  // NOLINT(concurrency-mt-unsafe)
  const std::string capped = cap == nullptr ? "" : cap;
  if (capped == "sse2") {
    EXPECT_EQ(simd, "sse2");
  } else if (capped == "avx2") {
    EXPECT_NE(simd, "avx512");
  }
#endif
}

// The columnar kernel (src/engine/call_ingest.hpp) keeps whole seconds aside and sends everything
// else to the state's own add(): each of those rare paths, against per-record ingest, byte for byte.
TEST(EngineIngest, BatchEqualsPerRecordOnTheRarePaths) {
  std::vector<call_record> rows;
  auto call = [&](direction d, call_outcome o, double talk, std::optional<double> wait,
                  std::optional<double> hold, std::optional<double> acw, std::string agent) {
    call_record r;
    r.call_id = "R" + std::to_string(rows.size());
    r.agent_id = std::move(agent);
    r.start = at("2026-10-06T09:00:00Z") + std::chrono::milliseconds(100 * rows.size());
    r.direction = d;
    r.outcome = o;
    r.talk_s = talk;
    r.wait_s = wait;
    r.hold_s = hold;
    r.acw_s = acw;
    rows.push_back(std::move(r));
  };
  const auto out = direction::outbound, in = direction::inbound;
  // A talk time on a call nobody answered (a voicemail left): whole, fractional, past 2^32.
  call(out, call_outcome::voicemail, 31, {}, {}, {}, "A1");
  call(out, call_outcome::voicemail, 12.5, {}, {}, {}, "A1");
  call(out, call_outcome::voicemail, 5e9, {}, {}, {}, "A1");
  call(out, call_outcome::voicemail, 3e9, {}, {}, {}, "A1");  // whole, past 2^31: not add_whole's
  // Waits of inbound outcomes without a histogram (summed): whole, fractional, past 2^32.
  call(in, call_outcome::no_answer, 0, 40, {}, {}, "");
  call(in, call_outcome::busy, 0, 7.25, {}, {}, "");
  call(in, call_outcome::failed, 0, 6e9, {}, {}, "");
  // Handled calls: fractional hold and after-call work, values past 2^32, a talk time past the dense
  // array's cap (16384 s), a fractional talk time and wait.
  call(out, call_outcome::connected, 20000, {}, 2.5, 5e9, "A2");
  call(out, call_outcome::connected, 5e9, {}, 7e9, 0.125, "A2");
  call(in, call_outcome::connected, 300.75, 15.5, {}, {}, "A2");
  call(in, call_outcome::abandoned, 0, 9e9, {}, {}, "");
  call(in, call_outcome::timeout, 0, 0.5, {}, {}, "");
  // Outbound calls without an agent (a dialer's unassigned attempts).
  call(out, call_outcome::no_answer, 0, {}, {}, {}, "");
  call(out, call_outcome::busy, 0, {}, {}, {}, "");
  // 32 distinct talk times (200-231 s) make the talk histogram dense; then 70,000 handled calls of
  // 240 s in the same cell: the dense counter of 240 passes 2^16 - 1 and spills.
  for (int t = 200; t < 232; ++t) call(out, call_outcome::connected, t, {}, {}, {}, "A3");
  for (int i = 0; i < 70'000; ++i) call(out, call_outcome::connected, 240, {}, 10, 20, "A3");

  engine_options o = daily({});  // one group: every call in one cell
  engine one(o), batch(o);
  for (const call_record &r : rows) one.add(r);
  EXPECT_EQ(batch.add_calls(test::call_batch(rows).columns()), rows.size());
  EXPECT_EQ(one.counts(), batch.counts());
  EXPECT_EQ(one.save(), batch.save());
  // By hand: handled = 3 + 32 + 70,000; their talk: 20000, 5e9, 300.75, 200..231 and 70,000 x 240.
  const period day = parse_period("2026-10-06");
  EXPECT_EQ(batch.evaluate(kpi_id::handled_calls, {}, day), 70'035.0);
  EXPECT_EQ(batch.evaluate(kpi_id::median_talk_time_s, {}, day), 240.0);
  // Every call's talk: 31 + 12.5 + 5e9 + 3e9 (voicemails) + 20000 + 5e9 + 300.75 + 6896 + 16,800,000.
  EXPECT_EQ(batch.evaluate(kpi_id::talk_time_total_s, {}, day), 1.3e10 + 16'827'240.25);
  // Inbound waits: 40 + 7.25 + 6e9 + 15.5 + 9e9 + 0.5 over 6 calls.
  EXPECT_EQ(batch.evaluate(kpi_id::avg_queue_time_s, {}, day), (15e9 + 63.25) / 6);
  // Outbound calls with an agent: 4 voicemails + 2 + 32 + 70,000, all on one day, over 3 agents.
  EXPECT_EQ(batch.evaluate(kpi_id::outbound_calls_per_agent_day, {}, day), 70'038.0 / 3);

  // Without the optional columns (absent everywhere), the same again.
  std::vector<call_record> bare = rows;
  for (call_record &r : bare) {
    r.wait_s.reset();
    r.hold_s.reset();
    r.acw_s.reset();
  }
  engine one_bare(o), batch_bare(o);
  for (const call_record &r : bare) one_bare.add(r);
  test::call_batch b(bare);
  call_columns cols = b.columns();
  cols.wait_s = {};
  cols.hold_s = {};
  cols.acw_s = {};
  EXPECT_EQ(batch_bare.add_calls(cols), bare.size());
  EXPECT_EQ(one_bare.save(), batch_bare.save());
  EXPECT_EQ(batch_bare.evaluate(kpi_id::avg_queue_time_s, {}, day), std::nullopt);
}

// add_calls queues the histogram increments of up to 512 calls (detail::counter_queue) and must do
// them before a histogram's own add() grows its dense array. Talk times and waits that climb past
// each power of two grow the arrays many times while increments of smaller values are queued: an
// increment landing in a freed array would lose counts here (and trip ASan).
TEST(EngineIngest, BatchEqualsPerRecordWhileTheDenseArraysGrow) {
  std::vector<call_record> rows;
  for (int t = 0; t < 3000; ++t) {
    for (const int talk : {t, t / 2, 7}) {
      call_record r = outbound("R" + std::to_string(rows.size()), "A1", "", "2026-10-06T09:00:00Z", talk);
      r.direction = (rows.size() % 3 == 1) ? direction::inbound : direction::outbound;
      if (r.direction == direction::inbound) r.wait_s = static_cast<double>(t % 1500);
      rows.push_back(std::move(r));
    }
  }
  engine_options o = daily({});  // one group: every call in one cell
  engine one(o), batch(o);
  for (const call_record &r : rows) one.add(r);
  EXPECT_EQ(batch.add_calls(test::call_batch(rows).columns()), rows.size());
  EXPECT_EQ(one.save(), batch.save());
  // By hand, over t < 3000: the talk times t sum to 2999 x 3000 / 2 = 4,498,500; t / 2 (rounded down)
  // to 2 x (1499 x 1500 / 2) = 2,248,500; the 7s to 21,000.
  const period day = parse_period("2026-10-06");
  EXPECT_EQ(batch.evaluate(kpi_id::handled_calls, {}, day), 9000.0);
  EXPECT_EQ(batch.evaluate(kpi_id::talk_time_total_s, {}, day), 4'498'500.0 + 2'248'500.0 + 21'000.0);
  // Waits of the 3000 inbound calls (the t / 2 rows): t % 1500, twice 0..1499: the mean is 749.5.
  EXPECT_EQ(batch.evaluate(kpi_id::asa_s, {}, day), 749.5);
}

// A young cell's talk times that its dense counters cannot take wait in the batch's buffer for the
// cell (call_ingest::young_, 64 of them) and go into the histogram together: when the buffer fills,
// at the end of each batch, in several cells at once, with fractional talk times (the histogram's own
// add() at once) and ones beyond any dense array among them.
TEST(EngineIngest, BatchEqualsPerRecordWhileCellsAreYoung) {
  std::vector<call_record> rows;
  double talk_total = 0;  // multiples of 1/4 below 2^40: exact in a double
  for (int i = 0; i < 6000; ++i) {
    double talk = static_cast<double>((i * 7919) % 5000 + 20);  // 5000 values: sparse for long
    if (i % 11 == 0) talk = 20000.0 + i;                        // past any dense array
    if (i % 13 == 0) talk += 0.25;                              // a fraction of a second
    talk_total += talk;
    rows.push_back(
        outbound("Y" + std::to_string(i), "A" + std::to_string(i % 7), "", "2026-10-06T09:00:00Z", talk));
  }
  engine one(daily()), batch(daily());
  for (const call_record &r : rows) one.add(r);
  // Batches of 1000 rows: about 143 calls of each of the 7 cells, more than the buffer holds.
  for (std::size_t from = 0; from < rows.size(); from += 1000) {
    const std::vector<call_record> part(rows.begin() + static_cast<std::ptrdiff_t>(from),
                                        rows.begin() + static_cast<std::ptrdiff_t>(from + 1000));
    EXPECT_EQ(batch.add_calls(test::call_batch(part).columns()), part.size());
  }
  EXPECT_EQ(one.save(), batch.save());
  const period day = parse_period("2026-10-06");
  for (const kpi_id id : {kpi_id::handled_calls, kpi_id::avg_talk_time_s, kpi_id::median_talk_time_s,
                          kpi_id::p90_talk_time_s, kpi_id::short_call_share})
    EXPECT_EQ(one.evaluate(id, {}, day), batch.evaluate(id, {}, day)) << info(id).name;
  EXPECT_EQ(batch.evaluate(kpi_id::handled_calls, {}, day), 6000.0);
  EXPECT_EQ(batch.evaluate(kpi_id::talk_time_total_s, {}, day), talk_total);
}

TEST(EngineIngest, BatchRowsAreValidatedLikeRecords) {
  std::vector<call_record> rs = {outbound("c1", "A1", "", "2026-11-05T10:00:00Z", 60),
                                 outbound("c2", "A1", "", "2026-11-05T10:00:00Z", 60),
                                 outbound("c3", "A1", "", "2026-11-05T10:00:00Z", 60)};
  test::call_batch b(rs);
  b.talk[1] = -1;  // negative talk
  b.out[2] = 42;   // no such outcome
  engine e(daily());
  EXPECT_EQ(e.add_calls(b.columns()), 1u);
  EXPECT_EQ(e.counts().rejected, 2u);
  ASSERT_EQ(e.counts().reasons.size(), 2u);
  EXPECT_NE(e.counts().reasons[0].find("talk_s"), std::string::npos);
  EXPECT_NE(e.counts().reasons[1].find("outcome"), std::string::npos);
  // Structural errors reject the whole batch before anything is read.
  call_columns short_col = b.columns();
  short_col.talk_s = short_col.talk_s.subspan(1);
  EXPECT_EQ(code_of([&] { e.add_calls(short_col); }), errc::invalid_argument);
  // Codes outside a dictionary of one string: the message names the column and the code.
  for (const std::int32_t code :
       {1, 7, -2, std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::int32_t>::min()}) {
    test::call_batch bad_code(rs);
    bad_code.agent.codes[2] = code;
    try {
      e.add_calls(bad_code.columns());
      ADD_FAILURE() << "code " << code << " accepted";
    } catch (const error &x) {
      EXPECT_EQ(x.code(), errc::invalid_argument);
      EXPECT_NE(std::string(x.what()).find("column agent_id has code " + std::to_string(code) +
                                           " outside its dictionary of 1 strings"),
                std::string::npos)
          << x.what();
    }
  }
  EXPECT_EQ(e.counts().read, 3u);
  // Optional columns may be absent (empty spans): no wait, hold, acw, team, ...
  call_columns minimal = b.columns();
  minimal.wait_s = {};
  minimal.hold_s = {};
  minimal.acw_s = {};
  minimal.team_id = {};
  minimal.call_id = {};
  b.talk[1] = 30;
  b.out[2] = 0;
  engine m(daily());
  EXPECT_EQ(m.add_calls(minimal), 3u);
  EXPECT_EQ(m.evaluate(kpi_id::talk_time_total_s, {}, parse_period("2026-11-05")), 150.0);  // 60 + 30 + 60

  // Invalid first and last rows, and every row invalid: each reason once, in row order.
  test::call_batch ends(rs);
  ends.dir[0] = 7;
  ends.talk[2] = -2;
  engine f(daily());
  EXPECT_EQ(f.add_calls(ends.columns()), 1u);
  ASSERT_EQ(f.counts().reasons.size(), 2u);
  EXPECT_NE(f.counts().reasons[0].find("direction"), std::string::npos);
  EXPECT_NE(f.counts().reasons[1].find("talk_s"), std::string::npos);
  ends.dir[1] = -1;
  engine none(daily());
  EXPECT_EQ(none.add_calls(ends.columns()), 0u);
  EXPECT_EQ(none.counts().rejected, 3u);
  EXPECT_EQ(none.counts().reasons.size(), 3u);

  // A connected call without an agent, by code -1 or by the code of an empty string in the
  // dictionary, is rejected; a call nobody answered is accepted without one.
  test::call_batch unnamed(rs);
  unnamed.agent.values.push_back("");  // code 1
  unnamed.agent.codes = {1, -1, 0};
  engine u(daily());
  EXPECT_EQ(u.add_calls(unnamed.columns()), 1u);
  EXPECT_EQ(u.counts().rejected, 2u);
  for (const std::string &reason : u.counts().reasons)
    EXPECT_NE(reason.find("agent"), std::string::npos) << reason;
  unnamed.out[0] = static_cast<std::int32_t>(call_outcome::no_answer);
  unnamed.out[1] = static_cast<std::int32_t>(call_outcome::busy);
  unnamed.talk[0] = unnamed.talk[1] = 0;
  engine v(daily());
  EXPECT_EQ(v.add_calls(unnamed.columns()), 3u);
  EXPECT_EQ(v.evaluate(kpi_id::calls, {}, parse_period("2026-11-05")), 3.0);
}

TEST(EngineIngest, CallerTrackingGivesRepeatAndCallbackRates) {
  engine_options o;
  o.period = period_kind::month;
  o.track_callers = true;
  engine e(o);
  auto with_caller = [](call_record r, const char *caller) {
    r.caller = caller;
    return r;
  };
  // X calls on 11-02 and again on 11-05 (within 7 days): a repeat caller. Y calls once, abandons, and is
  // called back 2 hours later (within 24 h).
  e.add(with_caller(inbound("i1", "A1", "", "2026-11-02T10:00:00Z", 5, 60, call_outcome::connected), "X"));
  e.add(with_caller(inbound("i2", "", "", "2026-11-03T10:00:00Z", 40, 0, call_outcome::abandoned), "Y"));
  e.add(with_caller(outbound("o1", "A1", "", "2026-11-03T12:00:00Z", 30), "Y"));
  e.add(with_caller(inbound("i3", "A1", "", "2026-11-05T10:00:00Z", 5, 60, call_outcome::connected), "X"));
  const period nov = parse_period("2026-11");
  // Unique inbound callers X, Y; repeaters X: 1/2. Abandoned callers Y, called back: 1/1.
  EXPECT_EQ(e.evaluate(kpi_id::repeat_call_rate, {}, nov), 0.5);
  EXPECT_EQ(e.evaluate(kpi_id::fcr_rate, {}, nov), 0.5);
  EXPECT_EQ(e.evaluate(kpi_id::abandon_callback_rate, {}, nov), 1.0);
  // Queries with other windows than the engine tracked with are refused.
  kpi_params other;
  other.repeat_call_window_days = 3;
  EXPECT_EQ(code_of([&] { (void)e.evaluate(kpi_id::repeat_call_rate, {}, nov, other); }),
            errc::invalid_argument);
  // Without tracking the caller KPIs are undefined.
  engine plain(daily({}));
  plain.add(
      with_caller(inbound("i1", "A1", "", "2026-11-02T10:00:00Z", 5, 60, call_outcome::connected), "X"));
  EXPECT_EQ(plain.evaluate(kpi_id::repeat_call_rate, {}, nov), std::nullopt);
  // A call far older than the newest one is counted but no longer tracked.
  e.add(with_caller(inbound("i4", "A1", "", "2026-10-01T10:00:00Z", 5, 60, call_outcome::connected), "Z"));
  EXPECT_EQ(e.counts().untracked, 1u);
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-10")), 1.0);
}

TEST(EngineIngest, OptionsAreValidated) {
  engine_options o;
  o.group_by = {dimension::agent_id, dimension::agent_id};
  EXPECT_EQ(code_of([&] { engine e(o); }), errc::invalid_argument);
  o.group_by = {static_cast<dimension>(17)};
  EXPECT_EQ(code_of([&] { engine e(o); }), errc::invalid_argument);
  o.group_by = {};
  o.period = static_cast<period_kind>(9);
  EXPECT_EQ(code_of([&] { engine e(o); }), errc::invalid_argument);
  o.period = period_kind::day;
  o.default_currency = currency::of("USD");
  o.rates.emplace(currency::of("IDR"));
  EXPECT_EQ(code_of([&] { engine e(o); }), errc::invalid_argument);
  o.rates.reset();
  o.track_callers = true;
  o.callers.repeat_call_window_days = 0;
  EXPECT_EQ(code_of([&] { engine e(o); }), errc::invalid_argument);
  EXPECT_EQ(parse_dimension("team_id"), dimension::team_id);
  EXPECT_STREQ(to_string(dimension::source), "source");
  EXPECT_EQ(code_of([&] { (void)parse_dimension("agent"); }), errc::parse);
}

TEST(EngineIngest, MergeRequiresTheSameOptions) {
  engine a(daily()), b(daily({dimension::team_id}));
  EXPECT_EQ(code_of([&] { a.merge(b); }), errc::invalid_argument);
  engine_options o = daily();
  o.zone = time_zone::locate("Asia/Jakarta");
  engine c(o);
  EXPECT_EQ(code_of([&] { a.merge(c); }), errc::invalid_argument);
  engine_options m = daily();
  m.period = period_kind::month;
  engine d(m);
  EXPECT_EQ(code_of([&] { a.merge(d); }), errc::invalid_argument);
}

TEST(EngineIngest, MergeRefusesTwoCurrenciesInOneCell) {
  engine_options o;
  o.period = period_kind::month;
  engine a(o), b(o);
  a.add(test::order("o1", "A1", "", "2026-11-05T10:00:00Z", {100, currency::of("IDR")}));
  b.add(test::order("o2", "A1", "", "2026-11-05T10:00:00Z", {100, currency::of("USD")}));
  const std::string before = a.save();
  EXPECT_EQ(code_of([&] { a.merge(b); }), errc::currency_mismatch);
  EXPECT_EQ(a.save(), before);
}

}  // namespace
}  // namespace kpi

namespace kpi {
namespace {

// The columnar path files rows in runs per (cell, direction, outcome) through a per-batch memo of
// group codes; whatever the row order, grouping, dictionary layout or invalid rows, the state must be
// the one of per-record ingest, byte for byte.
// add_calls goes over a batch 2048 rows at a time, and takes most rows in runs of one local day and
// the latest period (src/engine/engine.cpp, memo_run). Rows in time order across a daylight-saving
// change (America/New_York, 2026-11-01), with what must stop a run at and around the ranges' edges:
// invalid rows, late rows, re-sent ids, new groups, the day and the offset changing. Per-record ingest
// of the same rows gives the same state, byte for byte, and the same counts.
TEST(EngineIngest, BatchRangesAndRunsEqualPerRecord) {
  std::vector<call_record> rows;
  const auto t0 = at("2026-10-31T20:00:00Z");  // 16:00 in New York (UTC-4, then UTC-5 from 11-01 06:00Z)
  for (int i = 0; i < 9000; ++i) {
    // Every 13 s: 9000 rows over 32.5 hours, through two local midnights and the clocks going back.
    const auto start = t0 + std::chrono::seconds(13 * i);
    call_record r;
    r.call_id = "R" + std::to_string(i);
    r.agent_id = "A" + std::to_string(i % 7 == 0 ? 100 + i / 1000 : i % 5);  // new agents now and then
    r.team_id = "T" + std::to_string(i % 3);
    r.start = start;
    r.direction = i % 4 == 0 ? direction::inbound : direction::outbound;
    r.outcome = i % 6 == 5 ? call_outcome::no_answer : call_outcome::connected;
    r.talk_s = r.outcome == call_outcome::connected ? 20 + i % 300 : 0;
    if (r.direction == direction::inbound) r.wait_s = i % 40;
    rows.push_back(std::move(r));
  }
  // Invalid rows on both sides of the ranges' edges.
  for (const int i : {0, 2046, 2047, 2048, 2049, 4095, 4096, 8999})
    rows[static_cast<std::size_t>(i)].talk_s = -1;
  // Late rows (a day before the others) at and near the edges.
  for (const int i : {2050, 4094, 6143, 6144})
    rows[static_cast<std::size_t>(i)].start = t0 - std::chrono::hours(30);
  // Ids sent again: a stretch across an edge, and single rows.
  for (int i = 6100; i < 6200; ++i) rows[static_cast<std::size_t>(i)].call_id = "R" + std::to_string(i - 100);
  rows[7000].call_id = "R1";

  for (const bool dedup : {false, true}) {
    for (const period_kind kind : {period_kind::day, period_kind::month}) {
      for (const auto &by : std::vector<std::vector<dimension>>{
               {dimension::agent_id}, {dimension::team_id, dimension::agent_id}, {}}) {
        engine_options o = daily(by);
        o.period = kind;
        o.deduplicate = dedup;
        o.zone = time_zone::locate("America/New_York");
        engine one(o), batch(o);
        for (const call_record &r : rows) one.add(r);
        // One batch of all rows.
        EXPECT_EQ(batch.add_calls(test::call_batch(rows).columns()), one.counts().accepted);
        EXPECT_EQ(one.counts(), batch.counts());
        EXPECT_TRUE(one.save() == batch.save()) << "dedup " << dedup << ", period " << static_cast<int>(kind);
        // Then the last 2049 rows again, and the first 3000 (by day, late: earlier than the latest day
        // the engine has seen, which the first batch set).
        for (const std::vector<call_record> &again :
             {std::vector<call_record>(rows.end() - 2049, rows.end()),
              std::vector<call_record>(rows.begin(), rows.begin() + 3000)}) {
          for (const call_record &r : again) one.add(r);
          batch.add_calls(test::call_batch(again).columns());
          EXPECT_EQ(one.counts(), batch.counts());
          EXPECT_TRUE(one.save() == batch.save());
        }
      }
    }
  }
  // By hand, without de-duplication, by day: 9000 rows, 8 invalid, 4 late.
  engine_options o = daily({});
  o.zone = time_zone::locate("America/New_York");
  engine e(o);
  e.add_calls(test::call_batch(rows).columns());
  EXPECT_EQ(e.counts().read, 9000u);
  EXPECT_EQ(e.counts().rejected, 8u);
  EXPECT_EQ(e.counts().accepted, 8992u);
  EXPECT_EQ(e.counts().late, 4u);
  // The late rows: 2026-10-30T14:00Z is 10:00 on 10-30 in New York.
  EXPECT_EQ(e.evaluate(kpi_id::calls, {}, parse_period("2026-10-30")), 4.0);
}

TEST(EngineIngest, BatchEqualsPerRecordInEveryLayout) {
  test::random_stream s = test::make_stream(11, 4000, 9, 70);
  // Invalid rows sprinkled in: negative talk, a negative wait, a connected call without agent. (A NaN
  // wait is not one: in columns NaN means absent.)
  s.calls[5].talk_s = -4;
  s.calls[17].direction = direction::inbound;
  s.calls[17].wait_s = -2.0;
  s.calls[42].outcome = call_outcome::connected;
  s.calls[42].agent_id.clear();
  s.calls[42].talk_s = 30;
  std::vector<call_record> sorted = s.calls;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const call_record &a, const call_record &b) { return a.start < b.start; });
  for (const auto *rows : {&s.calls, &sorted}) {
    for (const auto &by : std::vector<std::vector<dimension>>{
             {dimension::campaign_id}, {dimension::team_id, dimension::agent_id}, {dimension::queue_id}}) {
      for (period_kind kind : {period_kind::day, period_kind::month}) {
        engine_options o = daily(by);
        o.period = kind;
        o.zone = time_zone::locate("America/New_York");
        engine one(o), batch(o);
        for (const call_record &r : *rows) one.add(r);
        test::call_batch b(*rows);
        // Repeat every agent string under a second code: equal strings, different codes.
        const std::size_t distinct = b.agent.values.size();
        for (std::size_t k = 0; k < distinct; ++k) {
          const std::string_view again = b.agent.values[k];
          b.agent.values.push_back(again);
        }
        for (std::size_t i = 0; i < b.agent.codes.size(); i += 2)
          if (b.agent.codes[i] >= 0) b.agent.codes[i] += static_cast<std::int32_t>(distinct);
        const call_columns all = b.columns();
        // Three batches: 1500 rows, 1 row, the rest.
        for (auto [from, count] :
             {std::pair<std::size_t, std::size_t>{0, 1500}, {1500, 1}, {1501, rows->size() - 1501}}) {
          call_columns part = all;
          part.rows = count;
          part.call_id = all.call_id.subspan(from, count);
          for (auto *col : {&part.agent_id, &part.team_id, &part.campaign_id, &part.queue_id, &part.caller})
            col->codes = col->codes.subspan(from, count);
          part.direction = all.direction.subspan(from, count);
          part.outcome = all.outcome.subspan(from, count);
          part.start_ms = all.start_ms.subspan(from, count);
          part.wait_s = all.wait_s.subspan(from, count);
          part.talk_s = all.talk_s.subspan(from, count);
          part.hold_s = all.hold_s.subspan(from, count);
          part.acw_s = all.acw_s.subspan(from, count);
          batch.add_calls(part);
        }
        EXPECT_EQ(one.counts().read, batch.counts().read);
        EXPECT_EQ(one.counts().accepted, batch.counts().accepted);
        EXPECT_EQ(one.counts().rejected, 3u);
        EXPECT_EQ(batch.counts().rejected, 3u);
        EXPECT_EQ(one.counts().late, batch.counts().late);
        EXPECT_TRUE(one.save() == batch.save()) << (rows == &sorted ? "sorted" : "shuffled");
      }
    }
  }
}

// A batch whose dictionaries are far larger than its rows takes the path without the memo.
TEST(EngineIngest, BatchWithHugeDictionariesEqualsPerRecord) {
  const test::random_stream s = test::make_stream(5, 40);
  test::call_batch b(s.calls);
  std::vector<std::string> extra;
  extra.reserve(300000);
  for (int k = 0; k < 300000; ++k) extra.push_back("unused-" + std::to_string(k));
  for (const std::string &x : extra) {
    b.agent.values.push_back(x);
    b.team.values.push_back(x);
  }
  engine_options o = daily({dimension::agent_id, dimension::team_id});
  engine one(o), batch(o);
  for (const call_record &r : s.calls) one.add(r);
  EXPECT_EQ(batch.add_calls(b.columns()), s.calls.size());
  EXPECT_TRUE(one.save() == batch.save());
}

}  // namespace
}  // namespace kpi

namespace kpi {
namespace {

// Per-record ingest finds a group by its values' short keys side by side (detail::group_cache): with
// two dimensions, the same bytes split differently between the team and the agent are different
// groups, as are an empty value and a value of 11 bytes (kept inline) or 12 (not); each group gets its
// calls, per record and again after a save and load.
TEST(EngineIngest, PairsOfValuesStayDistinct) {
  // Different splits of the same bytes, empty values, values of 11 bytes (kept inline) and 12 (not).
  std::vector<std::pair<std::string, std::string>> pairs = {{"ab", "c"},
                                                            {"a", "bc"},
                                                            {"", "abc"},
                                                            {"abc", ""},
                                                            {"", ""},
                                                            {"t", "agent-1000"},
                                                            {"t", "agent-10000"},
                                                            {"t", "agent-100000"},
                                                            {"t1", "agent-1000"},
                                                            {"t", "agent-1001"},
                                                            {"agent-1000", "t"},
                                                            {"team-0123456", "a"},
                                                            {"team-012345", "a"},
                                                            {"team-01234", "a1"},
                                                            {std::string(11, 'x'), std::string(11, 'x')}};
  // And 1,600 more, so that lookups probe past occupied slots.
  for (int t = 0; t < 40; ++t)
    for (int a = 0; a < 40; ++a)
      pairs.emplace_back("team-" + std::to_string(t), "ag-" + std::to_string(a * 37));
  // A call of pair i talks 10 (i + 1) s; one without an agent was not answered (no talk).
  auto talk_of = [&](std::size_t i) {
    return pairs[i].second.empty() ? 0.0 : 10.0 * static_cast<double>(i + 1);
  };
  engine e(daily({dimension::team_id, dimension::agent_id}));
  // Twice over, the second time in reverse (each pair's group is found again, not added).
  for (int round = 0; round < 2; ++round)
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      const std::size_t i = round == 0 ? k : pairs.size() - 1 - k;
      ASSERT_TRUE(
          e.add(outbound("c" + std::to_string(round) + "-" + std::to_string(i), pairs[i].second,
                         pairs[i].first, "2026-11-05T10:00:00Z", talk_of(i),
                         pairs[i].second.empty() ? call_outcome::no_answer : call_outcome::connected)))
          << i;
    }
  EXPECT_EQ(e.groups().size(), pairs.size());
  const period day = parse_period("2026-11-05");
  const engine back = engine::load(e.save());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const group_filter f =
        group_filter{}.where(dimension::team_id, pairs[i].first).where(dimension::agent_id, pairs[i].second);
    for (const engine *x : {static_cast<const engine *>(&e), &back}) {
      EXPECT_EQ(x->evaluate(kpi_id::calls, f, day), 2.0) << pairs[i].first << "/" << pairs[i].second;
      EXPECT_EQ(x->evaluate(kpi_id::talk_time_total_s, f, day), 2 * talk_of(i));
    }
  }
}

// The engine's dictionaries keep ids of up to 11 bytes inside their hash slots and longer ones by hash
// tag: ids of every length from 1 to 40, and pairs that differ in one byte at each position, must stay
// distinct groups and be found again by filters.
TEST(EngineIngest, IdsOfEveryLengthStayDistinct) {
  std::vector<std::string> ids;
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string a(n, 'a');
    for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + (i * 7 + n) % 26);
    ids.push_back(a);
    for (std::size_t i = 0; i < n; ++i) {  // the same id with byte i changed
      std::string b = a;
      b[i] = static_cast<char>(b[i] == 'Z' ? 'Y' : 'Z');
      ids.push_back(b);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  engine e(daily());
  for (std::size_t i = 0; i < ids.size(); ++i)
    ASSERT_TRUE(e.add(outbound("c" + std::to_string(i), ids[i], "", "2026-11-05T10:00:00Z", 60)));
  EXPECT_EQ(e.groups().size(), ids.size());
  const period day = parse_period("2026-11-05");
  for (const std::string &id : ids)
    EXPECT_EQ(e.evaluate(kpi_id::calls, group_filter{}.where(dimension::agent_id, id), day), 1.0) << id;
  // A second call for each id lands in the same group; an unknown id of each length finds nothing.
  for (std::size_t i = 0; i < ids.size(); ++i)
    e.add(outbound("d" + std::to_string(i), ids[i], "", "2026-11-05T11:00:00Z", 60));
  EXPECT_EQ(e.groups().size(), ids.size());
  for (std::size_t n = 1; n <= 40; ++n)
    EXPECT_EQ(e.evaluate(kpi_id::calls, group_filter{}.where(dimension::agent_id, std::string(n, '#')), day),
              0.0);
  // And the same through a saved and loaded engine (dictionaries rebuilt from the file).
  const engine back = engine::load(e.save());
  for (const std::string &id : ids)
    EXPECT_EQ(back.evaluate(kpi_id::calls, group_filter{}.where(dimension::agent_id, id), day), 2.0) << id;
}

}  // namespace
}  // namespace kpi

namespace kpi {
namespace {

// add(span of records): the state, counts and reasons of add() one record at a time, with caller
// tracking on, invalid records (one with a present NaN duration) and a duplicate.
TEST(EngineIngest, SpanOfRecordsEqualsOneAtATime) {
  test::random_stream s = test::make_stream(31, 5000, 8, 40);
  std::stable_sort(s.calls.begin(), s.calls.end(),
                   [](const call_record &a, const call_record &b) { return a.start < b.start; });
  s.calls[10].talk_s = -1;              // rejected
  s.calls[20].call_id.clear();          // rejected: no id
  s.calls[4000].wait_s = std::nan("");  // present NaN: rejected
  engine_options o = daily({dimension::team_id, dimension::agent_id});
  o.track_callers = true;
  o.deduplicate = true;
  s.calls[30].call_id = s.calls[29].call_id;  // a duplicate
  engine one(o), span(o);
  for (const call_record &r : s.calls) one.add(r);
  std::size_t accepted = 0;
  // A short span, then the rest in two spans.
  accepted += span.add(std::span(s.calls).subspan(0, 50));
  accepted += span.add(std::span(s.calls).subspan(50, 3000));
  accepted += span.add(std::span(s.calls).subspan(3050));
  EXPECT_EQ(accepted, one.counts().accepted);
  EXPECT_EQ(one.counts(), span.counts());  // read, accepted, rejected, duplicates, late, reasons
  EXPECT_EQ(one.counts().rejected, 3u);
  EXPECT_EQ(one.counts().duplicates, 1u);
  EXPECT_TRUE(one.save() == span.save());
  for (kpi_id k : {kpi_id::repeat_call_rate, kpi_id::p90_talk_time_s, kpi_id::service_level})
    EXPECT_EQ(one.evaluate(k, {}, parse_period("2026-09")), span.evaluate(k, {}, parse_period("2026-09")));
}

}  // namespace
}  // namespace kpi
