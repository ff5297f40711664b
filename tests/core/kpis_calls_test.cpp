// Tests of the call KPIs: kpi::call_stats (kpi/stats/calls.hpp), kpi::caller_tracker
// (kpi/stats/callers.hpp) and the registry rows of ids 1-25 (src/kpis/calls.cpp).
//
// Every expected number is computed by hand in the comment next to it, or published (oracles.md:
// Cisco's service-level counts).
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "kpi/catalog.hpp"
#include "kpi/error.hpp"
#include "kpi/records.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/callers.hpp"
#include "kpi/stats/calls.hpp"
#include "kpi/stats/hash.hpp"

namespace {

#define EXPECT_KPI_ERROR(expr, want_code)                   \
  do {                                                      \
    try {                                                   \
      (void)(expr);                                         \
      ADD_FAILURE() << #expr " did not throw";              \
    } catch (const kpi::error &caught) {                    \
      EXPECT_EQ(caught.code(), want_code) << caught.what(); \
    }                                                       \
  } while (0)

using kpi::call_outcome;
using kpi::call_record;
using kpi::direction;

// prefix + decimal n. (Not `"c" + std::to_string(n)`: GCC 12 at -O3 warns -Wrestrict on it, a false
// positive, GCC bug 105329.)
std::string id_of(const char *prefix, std::uint64_t n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

constexpr std::int64_t hour_ms = 3600 * 1000;
constexpr std::int64_t day_ms = 24 * hour_ms;
// 2026-11-23T00:00:00Z = 20415 days after the epoch.
constexpr std::int64_t t0 = 20415 * day_ms;

call_record call(std::string agent, direction dir, call_outcome outcome, double talk = 0,
                 std::optional<double> wait = std::nullopt, std::optional<double> hold = std::nullopt,
                 std::optional<double> acw = std::nullopt) {
  static int next_id = 0;
  call_record r;
  r.call_id = id_of("c", static_cast<std::uint64_t>(++next_id));
  r.agent_id = std::move(agent);
  r.direction = dir;
  r.outcome = outcome;
  r.talk_s = talk;
  r.wait_s = wait;
  r.hold_s = hold;
  r.acw_s = acw;
  return r;
}

constexpr auto out = direction::outbound;
constexpr auto in = direction::inbound;

// The hand-computed window used by most tests (see each KPI's arithmetic below).
//   o1 a1 outbound connected talk 300 hold 20 acw 30   day 100
//   o2 a1 outbound no_answer                            day 100
//   o3 a1 outbound voicemail talk 25                    day 100
//   o4 a2 outbound connected talk 120 (exactly 120)     day 100
//   o5 a2 outbound connected talk 60 acw 10             day 101
//   o6 -- outbound busy                                 day 101
//   i1 a3 inbound connected wait 20 (exactly T) talk 200 hold 0 acw 40
//   i2 a3 inbound connected wait 45 talk 100
//   i3 -- inbound abandoned wait 3
//   i4 -- inbound abandoned wait 30
//   i5 -- inbound timeout wait 120
//   i6 -- inbound abandoned (no wait recorded)
kpi::call_stats sample_window() {
  kpi::call_stats s;
  s.add(call("a1", out, call_outcome::connected, 300, std::nullopt, 20, 30), 100);
  s.add(call("a1", out, call_outcome::no_answer), 100);
  s.add(call("a1", out, call_outcome::voicemail, 25), 100);
  s.add(call("a2", out, call_outcome::connected, 120), 100);
  s.add(call("a2", out, call_outcome::connected, 60, std::nullopt, std::nullopt, 10), 101);
  s.add(call("", out, call_outcome::busy), 101);
  s.add(call("a3", in, call_outcome::connected, 200, 20, 0, 40), 100);
  s.add(call("a3", in, call_outcome::connected, 100, 45), 100);
  s.add(call("", in, call_outcome::abandoned, 0, 3), 100);
  s.add(call("", in, call_outcome::abandoned, 0, 30), 100);
  s.add(call("", in, call_outcome::timeout, 0, 120), 100);
  s.add(call("", in, call_outcome::abandoned), 100);
  return s;
}

TEST(CallStats, CountsOfTheSampleWindow) {
  const auto s = sample_window();
  EXPECT_EQ(s.calls(), 12.0);                 // 6 outbound + 6 inbound
  EXPECT_EQ(s.outbound_calls(), 6.0);         // o1..o6
  EXPECT_EQ(s.connected_calls(), 3.0);        // o1, o4, o5 (voicemail o3 is not connected)
  EXPECT_EQ(s.handled_calls(), 5.0);          // o1, o4, o5, i1, i2
  EXPECT_EQ(s.offered_calls(), 6.0);          // i1..i6
  EXPECT_EQ(s.answered_calls(), 2.0);         // i1, i2
  EXPECT_EQ(s.distinct_agents().size(), 3u);  // a1, a2, a3
  EXPECT_EQ(s.counts().outbound_with_agent, 5u);
  EXPECT_EQ(s.agent_days().size(), 3u);  // (a1,100), (a2,100), (a2,101)
}

TEST(CallStats, OutboundKpis) {
  const auto s = sample_window();
  // connection_rate = 3 / 6 = 0.5.
  EXPECT_EQ(s.connection_rate(), 0.5);
  // outbound_calls_per_agent_day = 5 outbound calls with an agent / 3 (agent, day) pairs = 1.666...
  EXPECT_DOUBLE_EQ(*s.outbound_calls_per_agent_day(), 5.0 / 3.0);
}

TEST(CallStats, TalkKpis) {
  const auto s = sample_window();
  const kpi::kpi_params p;
  // Handled talk: 300, 120, 60, 200, 100 -> sorted 60, 100, 120, 200, 300; sum 780.
  EXPECT_EQ(s.avg_talk_time_s(), 156.0);          // 780 / 5
  EXPECT_EQ(s.median_talk_time_s(), 120.0);       // h = 4 * 0.5 = 2 -> 120
  EXPECT_DOUBLE_EQ(*s.p90_talk_time_s(), 260.0);  // h = 4 * 0.9 = 3.6 -> 200 + 0.6 * 100
  // short_call_share: talk < 120 strict: 60, 100 -> 2 / 5; the call of exactly 120 s is not short.
  EXPECT_EQ(s.short_call_share(p), 0.4);
  kpi::kpi_params p121;
  p121.short_call_threshold_s = 121;  // now 60, 100, 120 -> 3 / 5
  EXPECT_EQ(s.short_call_share(p121), 0.6);
  // talk_time_total_s over every call: 300 + 0 + 25 + 120 + 60 + 0 + 200 + 100 = 805.
  EXPECT_EQ(s.talk_time_total_s(), 805.0);
  // aht_s: talk 780 + hold (20 + 0) + acw (30 + 10 + 40) = 880, / 5 handled = 176.
  EXPECT_EQ(s.aht_s(), 176.0);
}

TEST(CallStats, QueueKpisDefaults) {
  const auto s = sample_window();
  const kpi::kpi_params p;
  // abandoned_calls: i3, i4, i6 = 3 (timeout i5 not counted by default, no short-abandon threshold).
  EXPECT_EQ(s.abandoned_calls(p), 3.0);
  // abandon_rate = 3 / 6 = 0.5.
  EXPECT_EQ(s.abandon_rate(p), 0.5);
  // asa_s = (20 + 45) / 2 = 32.5.
  EXPECT_EQ(s.asa_s(), 32.5);
  // avg_queue_time_s over inbound calls with a wait: (20 + 45 + 3 + 30 + 120) / 5 = 43.6.
  EXPECT_DOUBLE_EQ(*s.avg_queue_time_s(), 43.6);
  // avg_abandon_time_s over abandons with a wait: (3 + 30) / 2 = 16.5.
  EXPECT_EQ(s.avg_abandon_time_s(p), 16.5);
}

TEST(CallStats, ShortAbandonsAndTimeouts) {
  const auto s = sample_window();
  kpi::kpi_params p;
  p.short_abandon_threshold_s = 5;  // i3 (wait 3 < 5) is a short abandon
  // abandoned_calls = 3 - 1 = 2; abandon_rate = 2 / (6 - 1) = 0.4.
  EXPECT_EQ(s.abandoned_calls(p), 2.0);
  EXPECT_EQ(s.abandon_rate(p), 0.4);
  // An abandon with wait exactly the threshold is not short (strict <): threshold 3 -> none short.
  p.short_abandon_threshold_s = 3;
  EXPECT_EQ(s.abandoned_calls(p), 3.0);
  // Timeouts as abandons: i3, i4, i5, i6 = 4; rate 4 / 6.
  kpi::kpi_params t;
  t.timeouts_as_abandons = true;
  EXPECT_EQ(s.abandoned_calls(t), 4.0);
  EXPECT_DOUBLE_EQ(*s.abandon_rate(t), 4.0 / 6.0);
  // avg_abandon_time_s with timeouts: (3 + 30 + 120) / 3 = 51.
  EXPECT_EQ(s.avg_abandon_time_s(t), 51.0);
  // Both: short i3 removed: 3 abandons / (6 - 1) = 0.6. avg_abandon_time_s keeps short abandons: 51.
  t.short_abandon_threshold_s = 5;
  EXPECT_EQ(s.abandoned_calls(t), 3.0);
  EXPECT_EQ(s.abandon_rate(t), 0.6);
  EXPECT_EQ(s.avg_abandon_time_s(t), 51.0);
  // A timeout with a short wait is a short abandon only when timeouts count as abandons.
  kpi::call_stats q;
  q.add(call("", in, call_outcome::timeout, 0, 2), 1);
  q.add(call("a", in, call_outcome::connected, 10, 1), 1);
  kpi::kpi_params off;
  off.short_abandon_threshold_s = 5;
  EXPECT_EQ(q.abandoned_calls(off), 0.0);
  EXPECT_EQ(q.abandon_rate(off), 0.0);  // 0 / (2 - 0)
  kpi::kpi_params on = off;
  on.timeouts_as_abandons = true;
  EXPECT_EQ(q.abandoned_calls(on), 0.0);  // 1 timeout - 1 short
  EXPECT_EQ(q.abandon_rate(on), 0.0);     // 0 / (2 - 1)
}

TEST(CallStats, ServiceLevelVariantsOnSample) {
  const auto s = sample_window();
  kpi::kpi_params p;  // T = 20 inclusive
  // Inbound calls with a wait: i1..i5, O = 5. A = 2 (i1, i2), A_T = 1 (i1 waited exactly 20: inclusive).
  // Ab (timeouts off) = 2 (i3, i4), Ab_T = 1 (i3 waited 3).
  using v = kpi::service_level_variant;
  p.service_level_formula = v::answered_only;
  EXPECT_EQ(s.service_level(p), 0.5);  // 1 / 2
  p.service_level_formula = v::ignore_abandons;
  EXPECT_EQ(s.service_level(p), 0.25);  // 1 / (5 - 1)
  p.service_level_formula = v::abandons_negative;
  EXPECT_EQ(s.service_level(p), 0.2);  // 1 / 5
  p.service_level_formula = v::abandons_positive;
  EXPECT_EQ(s.service_level(p), 0.4);  // (1 + 1) / 5
  p.service_level_formula = v::exclude_short_abandons;
  EXPECT_DOUBLE_EQ(*s.service_level(p), 1.0 / 3.0);  // 1 / (2 + 2 - 1)
  // T = 19: i1 (20 s) no longer within T: answered_only 0 / 2 = 0.
  p.service_level_formula = v::answered_only;
  p.service_level_threshold_s = 19;
  EXPECT_EQ(s.service_level(p), 0.0);
  // Timeouts as abandons, T = 20, positive: Ab_T still 1 (i5 waited 120) -> (1 + 1) / 5; exclude_short:
  // 1 / (2 + 3 - 1) = 0.25.
  p.service_level_threshold_s = 20;
  p.timeouts_as_abandons = true;
  p.service_level_formula = v::abandons_positive;
  EXPECT_EQ(s.service_level(p), 0.4);
  p.service_level_formula = v::exclude_short_abandons;
  EXPECT_EQ(s.service_level(p), 0.25);
  // A threshold that is not whole seconds is rejected.
  p.service_level_threshold_s = 20.5;
  EXPECT_KPI_ERROR(s.service_level(p), kpi::errc::invalid_argument);
}

// oracles.md: answered within T 70, abandoned within T 10, exceeded T 20, offered 100.
// The 20 beyond T are split (our choice) as 15 answered after T and 5 abandoned after T.
kpi::call_stats cisco_window() {
  kpi::call_stats s;
  for (int i = 0; i < 70; ++i) s.add(call("a", in, call_outcome::connected, 60, i % 21), 1);  // 0..20 s
  for (int i = 0; i < 10; ++i) s.add(call("", in, call_outcome::abandoned, 0, 5), 1);
  for (int i = 0; i < 15; ++i) s.add(call("a", in, call_outcome::connected, 60, 30), 1);
  for (int i = 0; i < 5; ++i) s.add(call("", in, call_outcome::abandoned, 0, 40), 1);
  return s;
}

TEST(CallStats, ServiceLevelCiscoOracle) {
  const auto s = cisco_window();
  kpi::kpi_params p;
  using v = kpi::service_level_variant;
  p.service_level_formula = v::ignore_abandons;
  EXPECT_NEAR(*s.service_level(p), 0.7778, 5e-5);  // 70 / (100 - 10) published
  EXPECT_DOUBLE_EQ(*s.service_level(p), 70.0 / 90.0);
  p.service_level_formula = v::abandons_negative;
  EXPECT_DOUBLE_EQ(*s.service_level(p), 0.70);  // 70 / 100 published
  p.service_level_formula = v::abandons_positive;
  EXPECT_DOUBLE_EQ(*s.service_level(p), 0.80);  // (70 + 10) / 100 published
  // By hand with the 15/5 split: A = 85, Ab = 15.
  p.service_level_formula = v::answered_only;
  EXPECT_DOUBLE_EQ(*s.service_level(p), 70.0 / 85.0);  // 0.823529...
  p.service_level_formula = v::exclude_short_abandons;
  EXPECT_DOUBLE_EQ(*s.service_level(p), 70.0 / 90.0);  // 70 / (85 + 15 - 10)
}

TEST(CallStats, EmptyWindowCountsZeroRatesUndefined) {
  const kpi::call_stats s;
  const kpi::kpi_params p;
  for (const kpi::value &count :
       {s.calls(), s.outbound_calls(), s.connected_calls(), s.handled_calls(), s.talk_time_total_s(),
        s.offered_calls(), s.answered_calls(), s.abandoned_calls(p)})
    EXPECT_EQ(count, 0.0);
  for (const kpi::value &undefined :
       {s.outbound_calls_per_agent_day(), s.connection_rate(), s.avg_talk_time_s(), s.median_talk_time_s(),
        s.p90_talk_time_s(), s.short_call_share(p), s.aht_s(), s.abandon_rate(p), s.asa_s(),
        s.avg_queue_time_s(), s.avg_abandon_time_s(p), s.service_level(p), s.repeat_call_rate(p),
        s.fcr_rate(p), s.abandon_callback_rate(p)})
    EXPECT_EQ(undefined, std::nullopt);
  using v = kpi::service_level_variant;
  for (auto f : {v::ignore_abandons, v::abandons_negative, v::abandons_positive, v::exclude_short_abandons}) {
    kpi::kpi_params q;
    q.service_level_formula = f;
    EXPECT_EQ(s.service_level(q), std::nullopt);
  }
}

TEST(CallStats, ZeroDenominators) {
  // Only inbound calls: outbound ratios undefined. Only abandons: answered-based ones undefined.
  kpi::call_stats s;
  s.add(call("", in, call_outcome::abandoned, 0, 10), 5);
  const kpi::kpi_params p;
  EXPECT_EQ(s.connection_rate(), std::nullopt);
  EXPECT_EQ(s.outbound_calls_per_agent_day(), std::nullopt);
  EXPECT_EQ(s.avg_talk_time_s(), std::nullopt);
  EXPECT_EQ(s.aht_s(), std::nullopt);
  EXPECT_EQ(s.asa_s(), std::nullopt);
  EXPECT_EQ(s.service_level(p), std::nullopt);  // answered_only: A = 0
  EXPECT_EQ(s.abandon_rate(p), 1.0);            // 1 / 1
  EXPECT_EQ(s.avg_queue_time_s(), 10.0);
  // Every offered call a short abandon: abandon_rate's denominator 1 - 1 = 0 -> undefined.
  kpi::kpi_params q;
  q.short_abandon_threshold_s = 11;
  EXPECT_EQ(s.abandoned_calls(q), 0.0);
  EXPECT_EQ(s.abandon_rate(q), std::nullopt);
  // Outbound calls without agents: per-agent-day undefined, connection rate defined.
  kpi::call_stats d;
  d.add(call("", out, call_outcome::connected, 30), 1);
  EXPECT_EQ(d.outbound_calls_per_agent_day(), std::nullopt);
  EXPECT_EQ(d.connection_rate(), 1.0);
}

TEST(CallStats, RejectsBadDurationsAndLeavesStateUnchanged) {
  kpi::call_stats s = sample_window();
  const kpi::call_stats before = s;
  EXPECT_KPI_ERROR(s.add(call("a", out, call_outcome::connected, -1), 1), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(s.add(call("a", in, call_outcome::connected, 5, std::nan("")), 1),
                   kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(s.add(call("a", in, call_outcome::connected, 5, 1, -2), 1), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(
      s.add(call("a", in, call_outcome::connected, 5, 1, 0, std::numeric_limits<double>::infinity()), 1),
      kpi::errc::invalid_argument);
  EXPECT_EQ(s, before);
  kpi::kpi_params p;
  p.short_call_threshold_s = 119.5;
  EXPECT_KPI_ERROR(s.short_call_share(p), kpi::errc::invalid_argument);
}

// Random but valid records for the property tests.
std::vector<std::pair<call_record, std::int32_t>> random_calls(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<call_record, std::int32_t>> v;
  const char *agents[] = {"", "a1", "a2", "a3", "agent-4", "agent-5"};
  for (int i = 0; i < n; ++i) {
    const bool inbound = rng() % 2 == 0;
    call_record r;
    r.call_id = id_of("r", static_cast<std::uint64_t>(i));
    r.agent_id = agents[rng() % 6];
    r.direction = inbound ? in : out;
    const int o = static_cast<int>(rng() % 7);
    r.outcome = static_cast<call_outcome>(o);
    if (r.outcome == call_outcome::connected || r.outcome == call_outcome::voicemail)
      r.talk_s =
          (rng() % 4 == 0) ? static_cast<double>(rng() % 100000) / 100.0 : static_cast<double>(rng() % 900);
    if (inbound && rng() % 5 != 0) r.wait_s = static_cast<double>(rng() % 200);
    if (rng() % 2) r.hold_s = static_cast<double>(rng() % 60);
    if (rng() % 2) r.acw_s = static_cast<double>(rng() % 90) + 0.5;
    v.emplace_back(r, static_cast<std::int32_t>(20400 + rng() % 3));
  }
  return v;
}

void expect_same_kpis(const kpi::call_stats &a, const kpi::call_stats &b) {
  kpi::kpi_params p;
  p.short_abandon_threshold_s = 5;
  p.timeouts_as_abandons = true;
  EXPECT_EQ(a.calls(), b.calls());
  EXPECT_EQ(a.outbound_calls_per_agent_day(), b.outbound_calls_per_agent_day());
  EXPECT_EQ(a.avg_talk_time_s(), b.avg_talk_time_s());
  EXPECT_EQ(a.p90_talk_time_s(), b.p90_talk_time_s());
  EXPECT_EQ(a.aht_s(), b.aht_s());
  EXPECT_EQ(a.abandon_rate(p), b.abandon_rate(p));
  EXPECT_EQ(a.avg_queue_time_s(), b.avg_queue_time_s());
  EXPECT_EQ(a.service_level(p), b.service_level(p));
}

TEST(CallStats, MergeEqualsSinglePassOverRandomSplits) {
  const auto records = random_calls(20261123, 4000);
  kpi::call_stats all;
  for (const auto &[r, day] : records) all.add(r, day);
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 20; ++trial) {
    kpi::call_stats a, b;
    for (const auto &[r, day] : records) (rng() % 2 ? a : b).add(r, day);
    kpi::call_stats ab = a;
    ab.merge(b);
    EXPECT_EQ(ab, all);
    kpi::call_stats ba = b;
    ba.merge(a);
    EXPECT_EQ(ba, all);
    expect_same_kpis(ab, all);
  }
  // Merging an empty state changes nothing; a state differs from a smaller one.
  kpi::call_stats copy = all;
  copy.merge(kpi::call_stats{});
  EXPECT_EQ(copy, all);
  kpi::call_stats one;
  one.add(records[0].first, records[0].second);
  EXPECT_FALSE(one == all);
}

TEST(CallStats, SaveLoadRoundTripAndTruncation) {
  const auto records = random_calls(5, 300);
  kpi::call_stats s;
  for (const auto &[r, day] : records) s.add(r, day);
  s.add_caller_outcome({0, 11, kpi::caller_outcome::kind::contact, true, {}});
  s.add_caller_outcome({0, 12, kpi::caller_outcome::kind::abandon, false, {}});
  for (const kpi::call_stats &state : {kpi::call_stats{}, sample_window(), s}) {
    std::string bytes;
    state.save(bytes);
    bytes += "tail";
    std::string_view view(bytes);
    const auto back = kpi::call_stats::load(view);
    EXPECT_EQ(back, state);
    EXPECT_EQ(view, "tail");
    expect_same_kpis(back, state);
  }
  std::string bytes;
  sample_window().save(bytes);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    std::string_view view(bytes.data(), len);
    EXPECT_KPI_ERROR(kpi::call_stats::load(view), kpi::errc::corrupt);
  }
  // An inconsistent counter (calls 12 -> 13: outbound + offered no longer add up) is rejected.
  std::string bad = bytes;
  ASSERT_EQ(bad[2], 12);
  bad[2] = 13;
  std::string_view view(bad);
  EXPECT_KPI_ERROR(kpi::call_stats::load(view), kpi::errc::corrupt);
  std::string wrong_tag = bytes;
  wrong_tag[0] = 'Z';
  std::string_view view2(wrong_tag);
  EXPECT_KPI_ERROR(kpi::call_stats::load(view2), kpi::errc::corrupt);
}

// ---- caller_tracker ------------------------------------------------------------------------------

call_record caller_call(const std::string &caller, direction dir, call_outcome outcome, std::int64_t at_ms) {
  call_record r = call(outcome == call_outcome::connected ? "a" : "", dir, outcome, 0, 0);
  if (outcome == call_outcome::connected) r.talk_s = 30;
  r.caller = caller;
  r.start = kpi::from_unix_ms(at_ms);
  return r;
}

TEST(CallerTracker, RepeatAndCallbackWindowsAreInclusiveAtTheEnd) {
  kpi::caller_tracker tracker(kpi::caller_tracking{});  // N = 7 days, H = 24 hours
  std::vector<kpi::caller_outcome> outcomes;
  const auto conn = call_outcome::connected;
  // Slot 0 = day 0. X: again after 3 days (repeat). Y: once (not). Z: again at exactly +7 days
  // (repeat, inclusive). W: again at +7 days +1 ms (not). V: abandons, called back at exactly +24 h.
  // U: abandons, called back at +24 h + 1 s (not). T: abandons, never called back, never calls again.
  tracker.add(caller_call("X", in, conn, t0), 0);
  tracker.add(caller_call("Y", in, conn, t0 + hour_ms), 0);
  tracker.add(caller_call("Z", in, conn, t0 + 2 * hour_ms), 0);
  tracker.add(caller_call("W", in, conn, t0 + 3 * hour_ms), 0);
  tracker.add(caller_call("V", in, call_outcome::abandoned, t0 + 4 * hour_ms), 0);
  tracker.add(caller_call("U", in, call_outcome::abandoned, t0 + 5 * hour_ms), 0);
  tracker.add(caller_call("T", in, call_outcome::abandoned, t0 + 6 * hour_ms), 0);
  tracker.add(caller_call("V", out, conn, t0 + 4 * hour_ms + day_ms), 1);
  tracker.add(caller_call("U", out, conn, t0 + 5 * hour_ms + day_ms + 1000), 1);
  // Nothing is final before the horizons pass: the abandons at 04:00-06:00 need 24 h.
  tracker.finalize_before(kpi::from_unix_ms(t0 + day_ms), outcomes);
  EXPECT_TRUE(outcomes.empty());
  tracker.add(caller_call("X", in, conn, t0 + 3 * day_ms), 3);
  // At day 3 the abandons are final (t + 24 h < U), the contacts are not (t + 7 d >= U).
  tracker.finalize_before(kpi::from_unix_ms(t0 + 3 * day_ms), outcomes);
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto &o : outcomes) EXPECT_EQ(o.what, kpi::caller_outcome::kind::abandon);
  // Adding a call before the finalized time is refused.
  EXPECT_KPI_ERROR(tracker.add(caller_call("Q", in, conn, t0 + 2 * day_ms), 2), kpi::errc::invalid_argument);
  tracker.add(caller_call("Z", in, conn, t0 + 2 * hour_ms + 7 * day_ms), 7);
  tracker.add(caller_call("W", in, conn, t0 + 3 * hour_ms + 7 * day_ms + 1), 7);
  tracker.finish(outcomes);
  EXPECT_EQ(tracker.pending(), 0u);
  EXPECT_EQ(tracker.callers_held(), 0u);

  kpi::call_stats day0, later;
  for (const auto &o : outcomes) (o.slot == 0 ? day0 : later).add_caller_outcome(o);
  const kpi::kpi_params p;
  // Day 0 contacts: X, Y, Z, W, V, U, T = 7 callers; repeats X, Z = 2 -> 2/7; fcr 5/7.
  EXPECT_EQ(day0.unique_callers(), 7u);
  EXPECT_EQ(day0.repeat_callers(), 2u);
  EXPECT_DOUBLE_EQ(*day0.repeat_call_rate(p), 2.0 / 7.0);
  EXPECT_DOUBLE_EQ(*day0.fcr_rate(p), 5.0 / 7.0);
  // Abandoned callers V, U, T; called back V -> 1/3.
  EXPECT_EQ(day0.abandoned_callers(), 3u);
  EXPECT_DOUBLE_EQ(*day0.abandon_callback_rate(p), 1.0 / 3.0);
  // Later slots: X (day 3), Z, W (day 7) contacts, none repeated; no abandons -> callback undefined.
  EXPECT_EQ(later.unique_callers(), 3u);
  EXPECT_EQ(later.repeat_call_rate(p), 0.0);
  EXPECT_EQ(later.abandon_callback_rate(p), std::nullopt);
  // The month (union): X repeated (on day 0) -> repeat callers X, Z of 7 distinct.
  kpi::call_stats month = day0;
  month.merge(later);
  EXPECT_EQ(month.unique_callers(), 7u);
  EXPECT_DOUBLE_EQ(*month.repeat_call_rate(p), 2.0 / 7.0);
  // Asking with other parameters than tracked is refused, not silently wrong.
  kpi::kpi_params other;
  other.repeat_call_window_days = 3;
  EXPECT_KPI_ERROR(day0.repeat_call_rate(other), kpi::errc::invalid_argument);
  other = {};
  other.callback_window_hours = 48;
  EXPECT_KPI_ERROR(day0.abandon_callback_rate(other), kpi::errc::invalid_argument);
}

// `n` random calls of `callers` callers over `days` days from t0, each with its day as slot, in start
// order: a third outbound, a third of the inbound ones abandoned, the rest connected.
std::vector<std::pair<call_record, std::uint64_t>> random_caller_calls(std::uint64_t seed, int n, int days,
                                                                       std::uint64_t callers) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<call_record, std::uint64_t>> calls;
  for (int i = 0; i < n; ++i) {
    const std::int64_t at =
        t0 + static_cast<std::int64_t>(rng() % (static_cast<std::uint64_t>(days) * day_ms));
    const auto dir = rng() % 3 == 0 ? out : in;
    const auto outcome = dir == in && rng() % 3 == 0 ? call_outcome::abandoned : call_outcome::connected;
    calls.emplace_back(caller_call(id_of("caller", rng() % callers), dir, outcome, at),
                       static_cast<std::uint64_t>((at - t0) / day_ms));
  }
  std::sort(calls.begin(), calls.end(),
            [](const auto &a, const auto &b) { return a.first.start < b.first.start; });
  return calls;
}

TEST(CallerTracker, UnorderedInputWithFinishMatchesOrdered) {
  // 200 calls of 12 callers over 20 days, added in time order with periodic finalization, and in
  // reverse order with finish() only: the same outcomes per slot.
  const auto calls = random_caller_calls(3, 200, 20, 12);
  kpi::caller_tracking tr;
  tr.repeat_call_window_days = 2;
  tr.callback_window_hours = 12;
  kpi::caller_tracker ordered(tr), unordered(tr);
  std::vector<kpi::caller_outcome> o1, o2;
  for (const auto &[r, slot] : calls) {
    ordered.finalize_before(r.start, o1);
    ordered.add(r, slot);
  }
  ordered.finish(o1);
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) unordered.add(it->first, it->second);
  unordered.finish(o2);
  auto by_slot = [](const std::vector<kpi::caller_outcome> &os) {
    std::vector<kpi::call_stats> slots(21);
    for (const auto &o : os) slots.at(o.slot).add_caller_outcome(o);
    return slots;
  };
  const auto s1 = by_slot(o1), s2 = by_slot(o2);
  EXPECT_EQ(o1.size(), o2.size());
  for (std::size_t i = 0; i < s1.size(); ++i) EXPECT_EQ(s1[i], s2[i]) << "slot " << i;
  // Brute force for slot 0: a caller is a repeat caller when one of their inbound calls that day has
  // another inbound call in (t, t + 2 days].
  std::vector<std::string> callers, repeaters;
  for (const auto &[r, slot] : calls) {
    if (slot != 0 || r.direction != in) continue;
    callers.push_back(r.caller);
    for (const auto &[q, s] : calls)
      if (q.direction == in && q.caller == r.caller && q.start > r.start &&
          q.start <= r.start + std::chrono::days(2))
        repeaters.push_back(r.caller);
  }
  std::sort(callers.begin(), callers.end());
  callers.erase(std::unique(callers.begin(), callers.end()), callers.end());
  std::sort(repeaters.begin(), repeaters.end());
  repeaters.erase(std::unique(repeaters.begin(), repeaters.end()), repeaters.end());
  EXPECT_EQ(s1[0].unique_callers(), callers.size());
  EXPECT_EQ(s1[0].repeat_callers(), repeaters.size());
}

TEST(CallerTracker, SaveLoadMidStreamThenContinueEqualsOnePass) {
  // The same 300 calls in time order into one tracker, and into a tracker saved and loaded at every
  // 50th call (slots renumbered by +100 and back): the same outcomes, and equal trackers throughout.
  const auto calls = random_caller_calls(17, 300, 15, 9);
  const kpi::caller_tracking tr;
  kpi::caller_tracker one(tr), resumed(tr);
  std::vector<kpi::caller_outcome> o1, o2;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const auto &[r, slot] = calls[i];
    one.finalize_before(r.start, o1);
    one.add(r, slot);
    resumed.finalize_before(r.start, o2);
    resumed.add(r, slot);
    if (i % 50 == 49) {
      std::string bytes = "x";
      resumed.save(bytes, [](std::uint64_t s) { return s + 100; });
      std::string_view in_bytes(bytes);
      in_bytes.remove_prefix(1);
      kpi::caller_tracker back = kpi::caller_tracker::load(in_bytes, tr, 200);
      EXPECT_TRUE(in_bytes.empty());
      // Slots back from +100: save with the inverse map, load again.
      std::string again;
      back.save(again, [](std::uint64_t s) { return s - 100; });
      std::string_view in2(again);
      resumed = kpi::caller_tracker::load(in2, tr, 100);
      EXPECT_TRUE(resumed == one) << "after call " << i;
      EXPECT_EQ(resumed.pending(), one.pending());
    }
  }
  one.finish(o1);
  resumed.finish(o2);
  auto key = [](const kpi::caller_outcome &o) { return std::tuple(o.slot, o.caller, o.what, o.flag); };
  auto sorted = [&](std::vector<kpi::caller_outcome> v) {
    std::sort(v.begin(), v.end(), [&](const auto &a, const auto &b) { return key(a) < key(b); });
    std::vector<std::tuple<std::uint64_t, std::uint64_t, kpi::caller_outcome::kind, bool>> k;
    for (const auto &o : v) k.push_back(key(o));
    return k;
  };
  EXPECT_EQ(sorted(o1), sorted(o2));
}

TEST(CallerTracker, LoadRejectsTruncatedAndInconsistentBytes) {
  kpi::caller_tracker t(kpi::caller_tracking{});
  t.add(caller_call("A", in, call_outcome::abandoned, t0), 3);
  t.add(caller_call("A", out, call_outcome::connected, t0 + hour_ms), 4);
  t.add(caller_call("B", in, call_outcome::connected, t0 + 2 * hour_ms), 4);
  std::string bytes;
  t.save(bytes, [](std::uint64_t s) { return s; });
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    std::string_view cut(bytes.data(), n);
    EXPECT_KPI_ERROR(kpi::caller_tracker::load(cut, kpi::caller_tracking{}, 5), kpi::errc::corrupt);
  }
  std::string_view whole(bytes);
  EXPECT_TRUE(kpi::caller_tracker::load(whole, kpi::caller_tracking{}, 5) == t);
  // A slot beyond the owner's cells.
  std::string_view again(bytes);
  EXPECT_KPI_ERROR(kpi::caller_tracker::load(again, kpi::caller_tracking{}, 4), kpi::errc::corrupt);
  // Every single-byte change is rejected or loads into a tracker that saves again (no crash).
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string b = bytes;
    b[i] = static_cast<char>(b[i] ^ 0x41);
    std::string_view v(b);
    try {
      const kpi::caller_tracker x = kpi::caller_tracker::load(v, kpi::caller_tracking{}, 5);
      std::string re;
      x.save(re, [](std::uint64_t s) { return s; });
    } catch (const kpi::error &e) {
      EXPECT_EQ(e.code(), kpi::errc::corrupt) << e.what();
    }
  }
}

TEST(CallerTracker, RejectsBadWindowsAndMixedParameters) {
  kpi::caller_tracking bad;
  bad.repeat_call_window_days = 0;
  EXPECT_KPI_ERROR(kpi::caller_tracker{bad}, kpi::errc::invalid_argument);
  bad = {};
  bad.callback_window_hours = std::nan("");
  EXPECT_KPI_ERROR(kpi::caller_tracker{bad}, kpi::errc::invalid_argument);
  kpi::call_stats s;
  s.add_caller_outcome({0, 1, kpi::caller_outcome::kind::contact, false, {}});
  kpi::caller_outcome other{0, 2, kpi::caller_outcome::kind::contact, false, {}};
  other.tracking.repeat_call_window_days = 1;
  EXPECT_KPI_ERROR(s.add_caller_outcome(other), kpi::errc::invalid_argument);
  kpi::call_stats t;
  t.add_caller_outcome(other);
  EXPECT_KPI_ERROR(s.merge(t), kpi::errc::invalid_argument);
  // Calls without a caller are ignored.
  kpi::caller_tracker tracker(kpi::caller_tracking{});
  tracker.add(call("a", in, call_outcome::connected, 5, 1), 0);
  EXPECT_EQ(tracker.pending(), 0u);
}

TEST(CallerTracker, DecisionsAreCopiedMergedAndSavedWithTheirState) {
  // The caller decisions live on the heap from the first one: copies own theirs, a merge into a state
  // without any takes the parameters with the sets, and save/load keeps them (or their absence).
  kpi::call_stats s;
  EXPECT_FALSE(s.tracking().has_value());
  s.add_caller_outcome({0, 1, kpi::caller_outcome::kind::contact, true, {}});
  s.add_caller_outcome({0, 2, kpi::caller_outcome::kind::abandon, false, {}});
  kpi::call_stats copy = s;
  copy.add_caller_outcome({0, 3, kpi::caller_outcome::kind::contact, false, {}});
  EXPECT_EQ(s.unique_callers(), 1u);
  EXPECT_EQ(copy.unique_callers(), 2u);
  EXPECT_EQ(copy.repeat_callers(), 1u);
  EXPECT_NE(copy, s);
  kpi::call_stats none;
  none.merge(copy);
  EXPECT_EQ(none, copy);
  ASSERT_TRUE(none.tracking().has_value());
  EXPECT_EQ(*none.tracking(), kpi::caller_tracking{});
  EXPECT_EQ(none.abandoned_callers(), 1u);
  EXPECT_EQ(none.abandoned_called_back(), 0u);
  for (const kpi::call_stats *state : {&s, &copy, &none}) {
    std::string bytes;
    state->save(bytes);
    std::string_view in = bytes;
    EXPECT_EQ(kpi::call_stats::load(in), *state);
  }
  std::string bytes;
  kpi::call_stats{}.save(bytes);
  std::string_view in = bytes;
  EXPECT_FALSE(kpi::call_stats::load(in).tracking().has_value());
}

// ---- the registry rows (src/kpis/calls.cpp) ----------------------------------------------------------

kpi::order_record order(const std::string &id, const std::string &amount, const std::string &call_id) {
  kpi::order_record o;
  o.order_id = id;
  o.amount = kpi::parse_money(amount, kpi::currency::of("IDR"));
  o.call_id = call_id;
  return o;
}

TEST(CallKpis, RegistryEvaluatesTheSampleWindow) {
  kpi::group_state w;
  w.calls = sample_window();
  // Orders: two made on calls (100000.00 + 50000.00 IDR), one not linked to a call (20000.00).
  w.orders.add(order("o1", "100000", "c-1"));
  w.orders.add(order("o2", "50000", "c-2"));
  w.orders.add(order("o3", "20000", ""));
  const kpi::group_state before;
  kpi::kpi_params p;
  const kpi::kpi_context ctx(w, before, p);
  using id = kpi::kpi_id;
  // The arithmetic of each value is in the CallStats tests above.
  EXPECT_EQ(kpi::evaluate(id::calls, ctx), 12.0);
  EXPECT_EQ(kpi::evaluate(id::outbound_calls, ctx), 6.0);
  EXPECT_DOUBLE_EQ(*kpi::evaluate(id::outbound_calls_per_agent_day, ctx), 5.0 / 3.0);
  EXPECT_EQ(kpi::evaluate(id::connected_calls, ctx), 3.0);
  EXPECT_EQ(kpi::evaluate(id::connection_rate, ctx), 0.5);
  EXPECT_EQ(kpi::evaluate(id::handled_calls, ctx), 5.0);
  EXPECT_EQ(kpi::evaluate(id::avg_talk_time_s, ctx), 156.0);
  EXPECT_EQ(kpi::evaluate(id::median_talk_time_s, ctx), 120.0);
  EXPECT_DOUBLE_EQ(*kpi::evaluate(id::p90_talk_time_s, ctx), 260.0);
  EXPECT_EQ(kpi::evaluate(id::short_call_share, ctx), 0.4);
  EXPECT_EQ(kpi::evaluate(id::talk_time_total_s, ctx), 805.0);
  EXPECT_EQ(kpi::evaluate(id::aht_s, ctx), 176.0);
  EXPECT_EQ(kpi::evaluate(id::offered_calls, ctx), 6.0);
  EXPECT_EQ(kpi::evaluate(id::answered_calls, ctx), 2.0);
  EXPECT_EQ(kpi::evaluate(id::abandoned_calls, ctx), 3.0);
  EXPECT_EQ(kpi::evaluate(id::abandon_rate, ctx), 0.5);
  EXPECT_EQ(kpi::evaluate(id::asa_s, ctx), 32.5);
  EXPECT_DOUBLE_EQ(*kpi::evaluate(id::avg_queue_time_s, ctx), 43.6);
  EXPECT_EQ(kpi::evaluate(id::avg_abandon_time_s, ctx), 16.5);
  EXPECT_EQ(kpi::evaluate(id::service_level, ctx), 0.5);
  // No caller tracking: the identity KPIs are undefined.
  EXPECT_EQ(kpi::evaluate(id::repeat_call_rate, ctx), std::nullopt);
  EXPECT_EQ(kpi::evaluate(id::fcr_rate, ctx), std::nullopt);
  EXPECT_EQ(kpi::evaluate(id::abandon_callback_rate, ctx), std::nullopt);
  // revenue_per_call: linked revenue 150000 IDR / 12 calls = 12500; / 6 outbound = 25000;
  // / 3 connected = 50000.
  EXPECT_EQ(kpi::evaluate(id::revenue_per_call, ctx), 12500.0);
  p.revenue_per_call_denominator = kpi::calls_denominator::outbound;
  EXPECT_EQ(kpi::evaluate(id::revenue_per_call, ctx), 25000.0);
  p.revenue_per_call_denominator = kpi::calls_denominator::connected;
  EXPECT_EQ(kpi::evaluate(id::revenue_per_call, ctx), 50000.0);
  // sales_per_connected_call: 2 linked orders / 3 connected calls.
  EXPECT_DOUBLE_EQ(*kpi::evaluate(id::sales_per_connected_call, ctx), 2.0 / 3.0);
  // The variant parameters reach the evaluators: timeouts as abandons -> 4 abandoned, rate 4/6.
  p.timeouts_as_abandons = true;
  EXPECT_EQ(kpi::evaluate(id::abandoned_calls, ctx), 4.0);
  EXPECT_DOUBLE_EQ(*kpi::evaluate(id::abandon_rate, ctx), 4.0 / 6.0);
  p.service_level_formula = kpi::service_level_variant::abandons_negative;
  EXPECT_EQ(kpi::evaluate(id::service_level, ctx), 0.2);
}

TEST(CallKpis, RevenuePerCallWithoutCallsIsUndefined) {
  kpi::group_state w;
  w.orders.add(order("o1", "100000", "c-1"));
  const kpi::group_state before;
  const kpi::kpi_params p;
  const kpi::kpi_context ctx(w, before, p);
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::revenue_per_call, ctx), std::nullopt);          // 100000 / 0
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::sales_per_connected_call, ctx), std::nullopt);  // 1 / 0
  // Calls without linked orders: revenue_per_call is 0, not undefined.
  kpi::group_state c;
  c.calls.add(call("a", out, call_outcome::connected, 30), 1);
  const kpi::kpi_context ctx2(c, before, p);
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::revenue_per_call, ctx2), 0.0);
  EXPECT_EQ(kpi::evaluate(kpi::kpi_id::sales_per_connected_call, ctx2), 0.0);
}

TEST(CallKpis, GroupStateMergeEqualsSinglePass) {
  const auto records = random_calls(77, 1000);
  kpi::group_state all, a, b;
  for (std::size_t i = 0; i < records.size(); ++i) {
    all.calls.add(records[i].first, records[i].second);
    (i % 3 == 0 ? a : b).calls.add(records[i].first, records[i].second);
  }
  a.merge(b);
  EXPECT_EQ(a.calls, all.calls);
  const kpi::kpi_params p;
  const kpi::group_state before;
  for (int i = 1; i <= 25; ++i) {
    const auto k = static_cast<kpi::kpi_id>(i);
    EXPECT_EQ(kpi::evaluate(k, kpi::kpi_context(a, before, p)),
              kpi::evaluate(k, kpi::kpi_context(all, before, p)))
        << kpi::info(k).name;
  }
}

TEST(StableIdHash, IsFnv1a64) {
  // FNV-1a 64 reference values (offset basis 14695981039346656037, prime 1099511628211):
  // "" -> the offset basis; "a" -> 0xaf63dc4c8601ec8c; "foobar" -> 0x85944171f73967e8.
  EXPECT_EQ(kpi::stable_id_hash(""), 14695981039346656037ull);
  EXPECT_EQ(kpi::stable_id_hash("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(kpi::stable_id_hash("foobar"), 0x85944171f73967e8ull);
}

}  // namespace
