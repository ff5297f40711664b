// kpi::engine::merge: property tests. Random record streams (fixed seeds) split into random shards fed
// in random orders and merged in random trees give exactly the single-pass KPIs, for every windowed KPI
// of the catalog, every group roll-up and every period; merge is commutative and associative (the saved
// bytes agree); one engine per thread plus merge equals one engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <thread>

#include "engine_test_util.hpp"
#include "kpi/engine.hpp"
#include "kpi/stats/hash.hpp"

namespace kpi {
namespace {

engine_options property_options(bool callers) {
  engine_options o;
  o.group_by = {dimension::team_id, dimension::agent_id, dimension::campaign_id};
  o.period = period_kind::day;
  o.zone = time_zone::locate("Asia/Jakarta");
  o.deduplicate = true;
  o.track_first_orders = true;
  o.track_order_activity = true;  // churn from orders in the day rows below
  o.track_callers = callers;
  o.caller_lateness_hours = 800000;  // input in random order: never finalize during ingest
  return o;
}

/// Every report row of the engine for each roll-up and period kind, flattened for comparison.
std::vector<report_row> all_rows(const engine &e) {
  std::vector<report_row> rows;
  const std::vector<std::vector<dimension>> rollups = {{},
                                                       {dimension::agent_id},
                                                       {dimension::team_id},
                                                       {dimension::campaign_id},
                                                       {dimension::team_id, dimension::agent_id}};
  for (const auto &by : rollups) {
    for (period_kind k : {period_kind::day, period_kind::month, period_kind::none}) {
      report_request req;
      req.group_by = by;
      req.period = k;
      req.from = k == period_kind::none ? std::nullopt : std::optional<period>(period_of_day(20'630, k));
      req.to = k == period_kind::none ? std::nullopt : std::optional<period>(period_of_day(20'830, k));
      kpi_params p;
      if (k == period_kind::month) p.sales_growth_base = growth_base::year_before;
      if (k == period_kind::day) p.churn_inactivity_days = 7;  // the customer snapshots from order activity
      req.params = p;
      report r = e.make_report(req);
      for (report_row &row : r.rows) rows.push_back(std::move(row));
    }
  }
  return rows;
}

void expect_same_rows(const std::vector<report_row> &a, const std::vector<report_row> &b) {
  ASSERT_EQ(a.size(), b.size());
  std::size_t checked = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].group, b[i].group);
    ASSERT_EQ(a[i].period, b[i].period);
    ASSERT_EQ(a[i].values.size(), b[i].values.size());
    for (std::size_t k = 0; k < a[i].values.size(); ++k) {
      // Exact equality: the family states are exact, so the merged KPIs are the same doubles.
      EXPECT_EQ(a[i].values[k], b[i].values[k]) << "row " << i << " (" << label(a[i].period) << ") kpi " << k;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000u);
}

/// Feeds the records picked by `shard_of` into `shards` engines, each in a random order.
std::vector<engine> shard(const test::random_stream &s, const engine_options &o, std::size_t shards,
                          std::mt19937_64 &rng,
                          const std::function<std::size_t(int, std::size_t)> &shard_of) {
  std::vector<std::vector<std::pair<int, std::size_t>>> plan(shards);
  auto put = [&](int fam, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) plan[shard_of(fam, i)].emplace_back(fam, i);
  };
  put(0, s.calls.size());
  put(1, s.orders.size());
  put(2, s.leads.size());
  put(3, s.opportunities.size());
  put(4, s.customers.size());
  put(5, s.spend.size());
  std::vector<engine> out;
  for (auto &p : plan) {
    std::shuffle(p.begin(), p.end(), rng);
    engine e(o);
    for (auto [fam, i] : p) {
      switch (fam) {
        case 0:
          e.add(s.calls[i]);
          break;
        case 1:
          e.add(s.orders[i]);
          break;
        case 2:
          e.add(s.leads[i]);
          break;
        case 3:
          e.add(s.opportunities[i]);
          break;
        case 4:
          e.add(s.customers[i]);
          break;
        default:
          e.add(s.spend[i]);
          break;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

/// Merges the engines in a random binary tree, in random directions.
engine merge_randomly(std::vector<engine> pool, std::mt19937_64 &rng) {
  while (pool.size() > 1) {
    std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
    std::size_t i = pick(rng), j = pick(rng);
    while (j == i) j = pick(rng);
    pool[i].merge(pool[j]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(j));
  }
  return std::move(pool.front());
}

engine single_pass(const test::random_stream &s, const engine_options &o) {
  engine e(o);
  test::feed(e, s, [](int, std::size_t) { return true; });
  return e;
}

TEST(EngineMerge, RandomShardsAndOrdersEqualSinglePass) {
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    SCOPED_TRACE(seed);
    const test::random_stream s = test::make_stream(seed, 1500);
    const engine_options o = property_options(false);
    const engine one = single_pass(s, o);
    ASSERT_EQ(one.counts().rejected, 0u) << (one.counts().reasons.empty() ? "" : one.counts().reasons[0]);
    const auto expected = all_rows(one);
    std::mt19937_64 rng(seed * 7919);
    const std::size_t k = 2 + static_cast<std::size_t>(seed % 4);
    std::uniform_int_distribution<std::size_t> any(0, k - 1);
    const auto shards = shard(s, o, k, rng, [&](int, std::size_t) { return any(rng); });
    const engine merged = merge_randomly(shards, rng);
    EXPECT_EQ(merged.counts().accepted, one.counts().accepted);
    expect_same_rows(all_rows(merged), expected);
    // Another tree over the same shards: the same state, byte for byte.
    const engine again = merge_randomly(shards, rng);
    EXPECT_EQ(again.save(), merged.save());
    // Merging moved-from engines (merge(engine &&)) gives that state too.
    std::vector<engine> moved = shards;
    engine into = std::move(moved.front());
    for (std::size_t i = 1; i < moved.size(); ++i) into.merge(std::move(moved[i]));
    EXPECT_TRUE(into.save() == merged.save());
    // The moved-from engines are left empty, with their options, and usable: given again, they
    // change nothing; given their shard again, they hold it again.
    const engine_options fresh_options = moved[1].options();
    EXPECT_EQ(moved[1].cell_count(), 0u);
    EXPECT_EQ(moved[1].counts().read, 0u);
    EXPECT_TRUE(moved[1].save() == engine(fresh_options).save());
    into.merge(std::move(moved[1]));
    EXPECT_TRUE(into.save() == merged.save());
    moved[1].merge(shards[1]);
    EXPECT_TRUE(moved[1].save() == shards[1].save());
  }
}

TEST(EngineMerge, ACopyIngestsOnItsOwnAfterTheOriginalIsGone) {
  // A copy owns deep copies of the states, while the cells' talk-counter hints (prefetch only) still
  // point into the original's histograms; with the original destroyed, the copy goes on ingesting
  // the rest of the stream and must equal one engine given all of it.
  const test::random_stream s = test::make_stream(21, 1500);
  const engine_options o = property_options(false);
  const engine one = single_pass(s, o);
  auto original = std::make_unique<engine>(o);
  const std::size_t half = s.calls.size() / 2;
  test::feed(*original, s, [&](int, std::size_t i) { return i < half; });
  engine copy = *original;
  engine assigned(o);
  assigned = *original;
  original.reset();
  for (engine *e : {&copy, &assigned}) {
    test::feed(*e, s, [&](int, std::size_t i) { return i >= half; });
    EXPECT_EQ(e->counts().accepted, one.counts().accepted);
    EXPECT_TRUE(e->save() == one.save());
  }
}

TEST(EngineMerge, CallerKpisWithShardsPartitionedByCaller) {
  for (std::uint64_t seed : {21u, 22u}) {
    SCOPED_TRACE(seed);
    const test::random_stream s = test::make_stream(seed, 1500);
    const engine_options o = property_options(true);
    const engine one = single_pass(s, o);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> any(0, 2);
    // Calls go to the shard of their caller (repeats and callbacks need all of a caller's calls); the
    // other families anywhere.
    const auto shards = shard(s, o, 3, rng, [&](int fam, std::size_t i) {
      return fam == 0 ? static_cast<std::size_t>(stable_id_hash(s.calls[i].caller) % 3) : any(rng);
    });
    const engine merged = merge_randomly(shards, rng);
    const period sep = parse_period("2026-09"), oct = parse_period("2026-10");
    for (kpi_id id : {kpi_id::repeat_call_rate, kpi_id::fcr_rate, kpi_id::abandon_callback_rate}) {
      for (period p : {sep, oct}) {
        const value v = one.evaluate(id, {}, p);
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(merged.evaluate(id, {}, p), v);
        EXPECT_EQ(merged.evaluate(id, group_filter{}.where(dimension::team_id, "T1"), p),
                  one.evaluate(id, group_filter{}.where(dimension::team_id, "T1"), p));
      }
    }
  }
}

TEST(EngineMerge, CommutativeAndAssociative) {
  const test::random_stream s = test::make_stream(31, 900);
  const engine_options o = property_options(false);
  std::mt19937_64 rng(31);
  std::uniform_int_distribution<std::size_t> any(0, 2);
  const auto parts = shard(s, o, 3, rng, [&](int, std::size_t) { return any(rng); });
  const engine &a = parts[0], &b = parts[1], &c = parts[2];
  engine ab = a;
  ab.merge(b);
  engine ba = b;
  ba.merge(a);
  EXPECT_EQ(ab.save(), ba.save());
  engine ab_c = ab;
  ab_c.merge(c);
  engine bc = b;
  bc.merge(c);
  engine a_bc = a;
  a_bc.merge(bc);
  EXPECT_EQ(ab_c.save(), a_bc.save());
  // Merging an empty engine changes nothing; merging an engine into itself doubles every count.
  engine with_empty = ab;
  with_empty.merge(engine(o));
  EXPECT_EQ(with_empty.save(), ab.save());
  engine_options plain = o;
  plain.deduplicate = false;
  plain.track_first_orders = false;
  engine self(plain);
  self.add(test::outbound("c1", "A1", "T1", "2026-11-02T09:00:00Z", 100));
  self.merge(self);
  EXPECT_EQ(self.evaluate(kpi_id::calls, {}, parse_period("2026-11")), 2.0);
}

TEST(EngineMerge, OneEnginePerThreadThenMerge) {
  const test::random_stream s = test::make_stream(41, 4000);
  engine_options o = property_options(false);
  o.deduplicate = false;
  const engine one = [&] {
    engine e(o);
    for (const call_record &r : s.calls) e.add(r);
    return e;
  }();
  engine left(o), right(o);
  const std::size_t half = s.calls.size() / 2;
  std::thread t1([&] {
    for (std::size_t i = 0; i < half; ++i) left.add(s.calls[i]);
  });
  std::thread t2([&] {
    for (std::size_t i = half; i < s.calls.size(); ++i) right.add(s.calls[i]);
  });
  t1.join();
  t2.join();
  left.merge(right);
  expect_same_rows(all_rows(left), all_rows(one));
}

}  // namespace
}  // namespace kpi
