// Merge equivalence, serialization round trips and corrupt-input rejection of the sales, funnel and
// customer accumulators (order_stats, customer_order_counts, first_order_tracker, lead_stats,
// opportunity_stats, customer_stats, spend_stats).
//
// Merge equivalence: a random stream (fixed seed) is added to one state in a single pass, and also split
// at random into parts whose states are merged in a shuffled order; the two states must be equal
// (operator==) and give the same KPIs.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/customers.hpp"
#include "kpi/stats/funnel.hpp"
#include "kpi/stats/sales.hpp"
#include "test_util.hpp"

namespace {

// "prefix" + the decimal n, built by appending (GCC 12 at -O3 misreports `"x" + std::to_string(n)` under
// -Wrestrict).
std::string numbered(const char *prefix, std::uint64_t n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::seconds;

const kpi::timestamp t0 = kpi::parse_timestamp("2026-03-01T00:00:00Z");

// ---- random records -------------------------------------------------------------------------------------

std::vector<kpi::order_record> random_orders(std::mt19937_64 &rng, int n) {
  std::vector<kpi::order_record> v;
  const kpi::currency idr = kpi::currency::of("IDR");
  for (int i = 0; i < n; ++i) {
    kpi::order_record o;
    o.order_id = numbered("o", i);
    if (rng() % 10 != 0) o.customer_id = numbered("cust", rng() % 300);
    if (rng() % 8 != 0) o.agent_id = numbered("agent", rng() % 20);
    if (rng() % 2 == 0) o.call_id = numbered("call", i);
    o.time = t0 + seconds(static_cast<std::int64_t>(rng() % (31 * 86400)));
    o.amount = {static_cast<std::int64_t>(rng() % 200000000), idr};  // up to Rp2,000,000.00
    if (rng() % 3 != 0) o.cost = {o.amount.minor / 2 + static_cast<std::int64_t>(rng() % 1000), idr};
    o.kind = static_cast<kpi::order_kind>(rng() % 3);
    v.push_back(o);
  }
  return v;
}

std::vector<kpi::lead_record> random_leads(std::mt19937_64 &rng, int n) {
  std::vector<kpi::lead_record> v;
  for (int i = 0; i < n; ++i) {
    kpi::lead_record l;
    l.lead_id = numbered("l", i);
    l.created = t0 + seconds(static_cast<std::int64_t>(rng() % (31 * 86400)));
    const auto later = [&] { return l.created + milliseconds(static_cast<std::int64_t>(rng() % 900000000)); };
    if (rng() % 4 != 0) l.first_contact = later();
    if (rng() % 2 == 0) l.mql = later();
    if (rng() % 3 == 0) l.sql = later();
    if (rng() % 4 == 0) l.opportunity = later();
    if (rng() % 6 == 0) l.won = later();
    v.push_back(l);
  }
  return v;
}

std::vector<kpi::opportunity_record> random_opportunities(std::mt19937_64 &rng, int n) {
  std::vector<kpi::opportunity_record> v;
  const kpi::currency idr = kpi::currency::of("IDR");
  for (int i = 0; i < n; ++i) {
    kpi::opportunity_record o;
    o.opportunity_id = numbered("p", i);
    o.created = t0 + seconds(static_cast<std::int64_t>(rng() % (31 * 86400)));
    o.amount = {static_cast<std::int64_t>(rng() % 1000000000), idr};
    if (rng() % 5 != 0) o.probability = static_cast<double>(rng() % 101) / 100.0;
    const auto s = rng() % 3;
    o.status = static_cast<kpi::opportunity_status>(s);
    if (s != 0) o.closed = o.created + seconds(static_cast<std::int64_t>(rng() % (60 * 86400)));
    v.push_back(o);
  }
  return v;
}

// Splits `items` at random into `parts` groups (some possibly empty).
template <class T>
std::vector<std::vector<T>> split(std::mt19937_64 &rng, const std::vector<T> &items, int parts) {
  std::vector<std::vector<T>> out(static_cast<std::size_t>(parts));
  for (const T &x : items) out[rng() % out.size()].push_back(x);
  return out;
}

// Merges the states in a shuffled order, sometimes as a tree ((a+b)+(c+d)), to exercise associativity.
template <class S>
S merge_all(std::mt19937_64 &rng, std::vector<S> states) {
  std::shuffle(states.begin(), states.end(), rng);
  while (states.size() > 1) {
    std::vector<S> next;
    for (std::size_t i = 0; i + 1 < states.size(); i += 2) {
      S m = states[i];
      m.merge(states[i + 1]);
      next.push_back(m);
    }
    if (states.size() % 2 == 1) next.push_back(states.back());
    states = next;
  }
  return states.empty() ? S{} : states.front();
}

template <class S>
S round_trip(const S &s) {
  std::string bytes;
  s.save(bytes);
  std::string_view in = bytes;
  S back = S::load(in);
  EXPECT_TRUE(in.empty()) << "load must consume exactly what save wrote";
  return back;
}

// Every proper prefix of a valid serialization is rejected with errc::corrupt.
template <class S>
void expect_truncations_rejected(const S &s) {
  std::string bytes;
  s.save(bytes);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    std::string_view in(bytes.data(), n);
    EXPECT_EQ(code_of([&] { (void)S::load(in); }), kpi::errc::corrupt) << "prefix of " << n << " bytes";
  }
}

// ---- order_stats ----------------------------------------------------------------------------------------

kpi::order_stats orders_state(const std::vector<kpi::order_record> &v) {
  kpi::order_stats s;
  for (const auto &o : v) s.add(o);
  return s;
}

TEST(StatsMerge, OrderStatsRandomSplitEqualsSinglePass) {
  std::mt19937_64 rng(20261123);
  const auto all = random_orders(rng, 3000);
  const kpi::order_stats whole = orders_state(all);
  for (int parts : {2, 3, 7}) {
    std::vector<kpi::order_stats> states;
    for (const auto &p : split(rng, all, parts)) states.push_back(orders_state(p));
    const kpi::order_stats merged = merge_all(rng, states);
    EXPECT_EQ(merged, whole) << parts << " parts";
    EXPECT_EQ(merged.revenue_minor(), whole.revenue_minor());
    EXPECT_EQ(merged.customers().repeat_customers(), whole.customers().repeat_customers());
    EXPECT_EQ(merged.amounts().quantile(0.5), whole.amounts().quantile(0.5));
  }
  // Independent check of a few totals, recomputed directly from the records.
  std::int64_t revenue = 0, linked = 0;
  for (const auto &o : all) {
    revenue += o.amount.minor;
    if (!o.call_id.empty()) linked += o.amount.minor;
  }
  EXPECT_EQ(whole.revenue_minor(), revenue);
  EXPECT_EQ(whole.linked_revenue_minor(), linked);
  EXPECT_EQ(whole.orders(), 3000u);
}

TEST(StatsMerge, OrderStatsMergeWithEmptyAndSelf) {
  std::mt19937_64 rng(7);
  const kpi::order_stats s = orders_state(random_orders(rng, 50));
  kpi::order_stats a = s;
  a.merge(kpi::order_stats{});
  EXPECT_EQ(a, s);
  kpi::order_stats e;
  e.merge(s);
  EXPECT_EQ(e, s);
  kpi::order_stats twice = s;
  twice.merge(twice);
  kpi::order_stats expected = s;
  expected.merge(kpi::order_stats(s));
  EXPECT_EQ(twice, expected);
  EXPECT_EQ(twice.orders(), 100u);
}

TEST(StatsMerge, OrderStatsSaveLoadRoundTrip) {
  std::mt19937_64 rng(11);
  const kpi::order_stats s = orders_state(random_orders(rng, 500));
  EXPECT_EQ(round_trip(s), s);
  EXPECT_EQ(round_trip(kpi::order_stats{}), kpi::order_stats{});
  // Equal states serialize to equal bytes (hash containers are written sorted).
  std::string a, b;
  s.save(a);
  round_trip(s).save(b);
  EXPECT_EQ(a, b);
}

TEST(StatsMerge, OrderStatsTruncatedInputRejected) {
  std::mt19937_64 rng(12);
  expect_truncations_rejected(orders_state(random_orders(rng, 20)));
  expect_truncations_rejected(kpi::order_stats{});
}

TEST(StatsMerge, OrderStatsNonsenseRejected) {
  std::mt19937_64 rng(13);
  const kpi::order_stats s = orders_state(random_orders(rng, 20));
  std::string bytes;
  s.save(bytes);
  const auto rejects = [](std::string b) {
    std::string_view in = b;
    return code_of([&] { (void)kpi::order_stats::load(in); });
  };
  std::string bad = bytes;
  bad[0] = 'X';  // wrong tag
  EXPECT_EQ(rejects(bad), kpi::errc::corrupt);
  bad = bytes;
  bad[1] = 9;  // unknown version
  EXPECT_EQ(rejects(bad), kpi::errc::corrupt);
  bad = bytes;
  bad.replace(2, 3, "ZZZ");  // not an ISO 4217 code
  EXPECT_EQ(rejects(bad), kpi::errc::corrupt);
  bad = bytes;
  bad[5] = static_cast<char>(bad[5] + 1);  // 21 orders claimed: the histogram holds 20
  EXPECT_EQ(rejects(bad), kpi::errc::corrupt);
  bad = bytes;
  bad[6] = static_cast<char>(bad[6] ^ 0x01);  // revenue off by one minor unit: the histogram's sum differs
  EXPECT_EQ(rejects(bad), kpi::errc::corrupt);
}

TEST(StatsMerge, CustomerOrderCountsRejectHugeCountsWithoutAllocating) {
  // Tag 'K', version 1, then a varint count of 2^62 customers in a 12-byte input.
  std::string b = "K\x01";
  b += std::string("\x80\x80\x80\x80\x80\x80\x80\x80\x40", 9);
  std::string_view in = b;
  EXPECT_EQ(code_of([&] { (void)kpi::customer_order_counts::load(in); }), kpi::errc::corrupt);
  // Unsorted hashes and zero counts are rejected too.
  kpi::customer_order_counts c;
  c.add(5);
  c.add(9, 2);
  std::string ok;
  c.save(ok);
  EXPECT_EQ(round_trip(c), c);
  EXPECT_EQ(c.customers(), 2u);
  EXPECT_EQ(c.repeat_customers(), 1u);
  // A count beyond 2^32 − 1 orders of one customer is an overflow, and leaves the counts unchanged.
  kpi::customer_order_counts full;
  full.add(5, 0xffffffffu);
  const kpi::customer_order_counts before = full;
  EXPECT_EQ(code_of([&] { full.add(5); }), kpi::errc::overflow);
  EXPECT_EQ(code_of([&] { full.merge(c); }), kpi::errc::overflow);  // c has customer 5 too
  EXPECT_EQ(full, before);
  EXPECT_EQ(full.orders_of(5), 0xffffffffu);
  std::string zero = ok;
  zero[2 + 1 + 8] = 0;  // first customer's count (a 1-byte varint after its hash) set to 0
  std::string_view zin = zero;
  EXPECT_EQ(code_of([&] { (void)kpi::customer_order_counts::load(zin); }), kpi::errc::corrupt);
  std::string swapped = ok;  // swap the two 8-byte hashes: no longer increasing
  std::swap_ranges(swapped.begin() + 3, swapped.begin() + 11, swapped.begin() + 12);
  std::string_view sin = swapped;
  EXPECT_EQ(code_of([&] { (void)kpi::customer_order_counts::load(sin); }), kpi::errc::corrupt);
}

// ---- first_order_tracker --------------------------------------------------------------------------------

TEST(StatsMerge, FirstOrderTrackerIsIndependentOfArrivalOrder) {
  std::mt19937_64 rng(99);
  auto all = random_orders(rng, 2000);
  // Windows: the 31 days of March; slot = day index.
  const auto slot_of = [](const kpi::order_record &o) {
    return static_cast<std::uint64_t>((o.time - t0) / days(1));
  };
  const auto run = [&](const std::vector<kpi::order_record> &v) {
    std::vector<kpi::order_stats> day(31);
    kpi::first_order_tracker t;
    for (const auto &o : v)
      t.add(o, slot_of(o), [&](std::uint64_t s) -> kpi::order_stats & { return day[s]; });
    return std::pair(day, t);
  };
  auto sorted = all;
  std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.time < b.time; });
  const auto [in_order, t1] = run(sorted);
  std::shuffle(all.begin(), all.end(), rng);
  const auto [shuffled, t2] = run(all);
  EXPECT_EQ(t1, t2);
  std::uint64_t total = 0;
  for (std::size_t d = 0; d < 31; ++d) {
    EXPECT_EQ(in_order[d], shuffled[d]) << "day " << d;
    total += shuffled[d].new_customers().value();
  }
  // Every distinct customer is new exactly once over the month.
  EXPECT_EQ(total, t1.customers());
  // Trackers merge: two halves merged give the same identity map as one pass.
  kpi::first_order_tracker h1, h2;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].customer_id.empty()) continue;
    (i % 2 ? h1 : h2).observe(kpi::stable_id_hash(all[i].customer_id), all[i].time, slot_of(all[i]));
  }
  h1.merge(h2);
  EXPECT_EQ(h1, t1);
  EXPECT_EQ(round_trip(t1), t1);
  kpi::first_order_tracker small;
  small.observe(1, t0, 0);
  small.observe(2, t0 + days(1), 1);
  expect_truncations_rejected(small);
}

// ---- lead_stats and opportunity_stats -------------------------------------------------------------------

kpi::lead_stats leads_state(const std::vector<kpi::lead_record> &v) {
  kpi::lead_stats s;
  for (const auto &l : v) {
    s.add(l);
    if (l.mql) s.add_mql(l);
    if (l.sql) s.add_sql(l);
    if (l.opportunity) s.add_opportunity(l);
  }
  return s;
}

TEST(StatsMerge, LeadStatsRandomSplitEqualsSinglePassAndRoundTrips) {
  std::mt19937_64 rng(42);
  const auto all = random_leads(rng, 2000);
  const kpi::lead_stats whole = leads_state(all);
  std::vector<kpi::lead_stats> states;
  for (const auto &p : split(rng, all, 5)) states.push_back(leads_state(p));
  EXPECT_EQ(merge_all(rng, states), whole);
  EXPECT_EQ(whole.leads(), 2000u);
  EXPECT_EQ(whole.uncontacted() + whole.response_times_s().count(), 2000u);
  EXPECT_EQ(round_trip(whole), whole);
  expect_truncations_rejected(leads_state(random_leads(rng, 10)));
  // Inconsistent cohort counts: more MQL-and-SQL leads than MQL leads.
  kpi::lead_stats empty;
  std::string b;
  empty.save(b);
  b[2 + 5] = 1;  // cohort_mql_sql (6th varint) = 1 while cohort_mql = 0
  std::string_view in = b;
  EXPECT_EQ(code_of([&] { (void)kpi::lead_stats::load(in); }), kpi::errc::corrupt);
}

kpi::opportunity_stats opps_state(const std::vector<kpi::opportunity_record> &v) {
  kpi::opportunity_stats s;
  for (const auto &o : v) {
    s.add_created(o);
    if (o.closed) s.add_closed(o);
  }
  return s;
}

TEST(StatsMerge, OpportunityStatsRandomSplitEqualsSinglePassAndRoundTrips) {
  std::mt19937_64 rng(43);
  const auto all = random_opportunities(rng, 2000);
  const kpi::opportunity_stats whole = opps_state(all);
  std::vector<kpi::opportunity_stats> states;
  for (const auto &p : split(rng, all, 4)) states.push_back(opps_state(p));
  const kpi::opportunity_stats merged = merge_all(rng, states);
  EXPECT_EQ(merged, whole);
  // The snapshot over everything: exactly the records whose status is open.
  std::int64_t open = 0, amount = 0;
  for (const auto &o : all)
    if (o.status == kpi::opportunity_status::open) {
      ++open;
      amount += o.amount.minor;
    }
  const kpi::pipeline_snapshot snap = kpi::opportunity_stats::open_at_end({}, merged);
  EXPECT_EQ(snap.open, open);
  EXPECT_EQ(snap.amount_minor, amount);
  EXPECT_EQ(round_trip(whole), whole);
  expect_truncations_rejected(opps_state(random_opportunities(rng, 10)));
}

// ---- customer_stats and spend_stats ---------------------------------------------------------------------

TEST(StatsMerge, CustomerStatsDaysMergeIntoTheMonth) {
  std::mt19937_64 rng(44);
  std::vector<kpi::customer_record> all;
  for (int i = 0; i < 1000; ++i) {
    kpi::customer_record c;
    c.customer_id = numbered("c", i);
    // Acquired between 1 February and 31 March; half of them churn up to 40 days later.
    c.acquired = t0 - days(28) + seconds(static_cast<std::int64_t>(rng() % (59 * 86400)));
    if (rng() % 2 == 0) c.churned = c.acquired + seconds(static_cast<std::int64_t>(rng() % (40 * 86400)));
    all.push_back(c);
  }
  const kpi::window march{t0, t0 + days(31)};
  // Month state in one pass, and 31 day states merged (in a shuffled order).
  kpi::customer_stats month;
  std::vector<kpi::customer_stats> day(31);
  std::uint64_t lost_by_hand = 0;
  for (const auto &c : all) {
    if (march.contains(c.acquired)) {
      month.add_acquired(c);
      day[static_cast<std::size_t>((c.acquired - t0) / days(1))].add_acquired(c);
    }
    if (c.churned && march.contains(*c.churned)) {
      month.add_churned(c, march.start);
      const auto d = (*c.churned - t0) / days(1);
      day[static_cast<std::size_t>(d)].add_churned(c, t0 + days(d));
      if (c.acquired < march.start) ++lost_by_hand;  // active at the month's start
    }
  }
  const kpi::customer_stats merged = merge_all(rng, day);
  EXPECT_EQ(merged.lost(), lost_by_hand);
  EXPECT_EQ(month.lost(), lost_by_hand);
  // Equal except that a day with no churn contributes no start: both start at 1 March when the
  // first day has a churn; compare the observable counts.
  EXPECT_EQ(merged.acquired(), month.acquired());
  EXPECT_EQ(merged.churned(), month.churned());
  EXPECT_EQ(round_trip(merged), merged);
  expect_truncations_rejected(merged);
}

TEST(StatsMerge, CustomerStatsRandomSplitEqualsSinglePass) {
  std::mt19937_64 rng(45);
  const kpi::timestamp start = t0;
  std::vector<kpi::customer_record> all;
  for (int i = 0; i < 500; ++i) {
    kpi::customer_record c;
    c.customer_id = numbered("c", i);
    c.acquired = t0 - days(60) + seconds(static_cast<std::int64_t>(rng() % (90 * 86400)));
    c.churned = std::max(c.acquired, t0) + seconds(static_cast<std::int64_t>(rng() % (30 * 86400)));
    all.push_back(c);
  }
  const auto state = [&](const std::vector<kpi::customer_record> &v) {
    kpi::customer_stats s;
    for (const auto &c : v) {
      if (c.acquired >= start) s.add_acquired(c);
      s.add_churned(c, start);
    }
    return s;
  };
  const kpi::customer_stats whole = state(all);
  std::vector<kpi::customer_stats> states;
  for (const auto &p : split(rng, all, 6)) states.push_back(state(p));
  EXPECT_EQ(merge_all(rng, states), whole);
  EXPECT_EQ(round_trip(whole), whole);
}

TEST(StatsMerge, SpendSharesOfDaysMergeIntoTheMonthShare) {
  std::mt19937_64 rng(46);
  const kpi::currency idr = kpi::currency::of("IDR");
  std::vector<kpi::spend_record> rows;
  for (int i = 0; i < 200; ++i) {
    kpi::spend_record s;
    s.campaign_id = "camp";
    s.start = t0 - days(10) + seconds(static_cast<std::int64_t>(rng() % (50 * 86400)));
    s.end = s.start + seconds(1 + static_cast<std::int64_t>(rng() % (20 * 86400)));
    s.amount = {static_cast<std::int64_t>(rng() % 100000000000), idr};
    rows.push_back(s);
  }
  const kpi::window march{t0, t0 + days(31)};
  kpi::spend_stats month;
  std::vector<kpi::spend_stats> day(31);
  for (const auto &s : rows) {
    month.add(s, march);
    for (int d = 0; d < 31; ++d) day[static_cast<std::size_t>(d)].add(s, {t0 + days(d), t0 + days(d + 1)});
  }
  // The 31 daily shares of every row telescope to its March share: the merged days equal the month.
  EXPECT_EQ(merge_all(rng, day).amount_minor(), month.amount_minor());
  EXPECT_EQ(round_trip(month), month);
  expect_truncations_rejected(month);
  // Nonsense: a negative amount.
  std::string b;
  month.save(b);
  b[b.size() - 1] = static_cast<char>(0x80);
  std::string_view in = b;
  EXPECT_EQ(code_of([&] { (void)kpi::spend_stats::load(in); }), kpi::errc::corrupt);
}

TEST(StatsMerge, GroupStateMergeKeepsEveryFamily) {
  std::mt19937_64 rng(47);
  const auto orders = random_orders(rng, 200);
  const auto leads = random_leads(rng, 200);
  const auto opps = random_opportunities(rng, 200);
  kpi::group_state whole, a, b;
  for (std::size_t i = 0; i < 200; ++i) {
    whole.orders.add(orders[i]);
    whole.leads.add(leads[i]);
    whole.opportunities.add_created(opps[i]);
    kpi::group_state &part = (i % 3 == 0) ? a : b;
    part.orders.add(orders[i]);
    part.leads.add(leads[i]);
    part.opportunities.add_created(opps[i]);
  }
  a.merge(b);
  EXPECT_EQ(a.orders, whole.orders);
  EXPECT_EQ(a.leads, whole.leads);
  EXPECT_EQ(a.opportunities, whole.opportunities);
}

}  // namespace
