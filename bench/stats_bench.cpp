// Benchmarks of the window accumulators: the per-record cost of call_stats::add and
// exact_histogram::add, the engine's hot path (10^7 calls a run).
//
//   cmake --preset bench && cmake --build --preset bench && build/bench/bench/kpi_bench
//   --benchmark_filter=Stats
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "kpi/records.hpp"
#include "kpi/stats/calls.hpp"
#include "kpi/stats/histogram.hpp"

namespace {

// 65536 realistic records of `agents` agents in random order, 3 days, half inbound, whole-second talk
// (0..1800 s) and wait (0..300 s), every outcome. With 1 agent (a per-agent cell of the engine) the
// agent caches of call_stats always hit; with 40 (a team or all-company cell) they usually miss, and
// each call pays the FNV-1a hash of its agent_id and two id_set probes.
struct sample {
  std::vector<kpi::call_record> calls;
  std::vector<std::int32_t> days;
};

sample make_records(int agents) {
  sample out;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 65536; ++i) {
    kpi::call_record r;
    r.call_id = "call-";
    r.call_id += std::to_string(i);
    const bool inbound = rng() % 2 == 0;
    r.direction = inbound ? kpi::direction::inbound : kpi::direction::outbound;
    const auto roll = rng() % 10;
    if (inbound)
      r.outcome = roll < 7 ? kpi::call_outcome::connected
                           : (roll < 9 ? kpi::call_outcome::abandoned : kpi::call_outcome::timeout);
    else
      r.outcome = roll < 5 ? kpi::call_outcome::connected
                           : (roll < 8 ? kpi::call_outcome::no_answer : kpi::call_outcome::voicemail);
    if (r.outcome == kpi::call_outcome::connected || !inbound) {
      r.agent_id = "agent-";
      r.agent_id += std::to_string(rng() % static_cast<std::uint64_t>(agents));
    }
    if (r.outcome == kpi::call_outcome::connected) r.talk_s = static_cast<double>(rng() % 1800);
    if (inbound) r.wait_s = static_cast<double>(rng() % 300);
    if (r.outcome == kpi::call_outcome::connected) {
      r.hold_s = static_cast<double>(rng() % 30);
      r.acw_s = static_cast<double>(rng() % 60);
    }
    out.calls.push_back(std::move(r));
    out.days.push_back(static_cast<std::int32_t>(20415 + rng() % 3));
  }
  return out;
}

const sample &records(int agents) {
  static const sample one = make_records(1);
  static const sample forty = make_records(40);
  return agents == 1 ? one : forty;
}

void BM_CallStatsAdd(benchmark::State &state) {
  const sample &s = records(static_cast<int>(state.range(0)));
  const std::size_t mask = s.calls.size() - 1;
  kpi::call_stats stats;
  std::size_t i = 0;
  for (auto _ : state) {
    stats.add(s.calls[i & mask], s.days[i & mask]);
    ++i;
  }
  benchmark::DoNotOptimize(stats.calls());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_CallStatsAdd)->ArgName("agents")->Arg(1)->Arg(40);

void BM_ExactHistogramAdd(benchmark::State &state) {
  std::vector<double> xs;
  std::mt19937_64 rng(2);
  for (int i = 0; i < 65536; ++i) xs.push_back(static_cast<double>(rng() % 1800));
  kpi::exact_histogram h;
  std::size_t i = 0;
  for (auto _ : state) {
    h.add(xs[i & 65535]);
    ++i;
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ExactHistogramAdd);

void BM_CallStatsMerge(benchmark::State &state) {
  const sample &s = records(40);
  kpi::call_stats day;
  for (std::size_t i = 0; i < s.calls.size(); ++i) day.add(s.calls[i], s.days[i]);
  for (auto _ : state) {
    kpi::call_stats month;
    month.merge(day);
    benchmark::DoNotOptimize(month.calls());
  }
}
BENCHMARK(BM_CallStatsMerge);

}  // namespace
