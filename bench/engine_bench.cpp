// Benchmarks of the streaming engine (issue 4): ingest of call records per record and in columnar
// batches (1e6 and 1e7 records, 500 agents, 90 days, the full telesales KPI set with exact quantiles),
// a plain hand-written loop over the same arrays computing the same KPIs (the reference), the query
// time of a full per-agent monthly report, heap in use, merge cost and 2-thread scaling.
//
// Run (docs/performance.md has the numbers):
//   cmake -S . -B build/bench-engine -G Ninja -DCMAKE_BUILD_TYPE=Release -DKPI_BUILD_BENCH=ON
//         -DKPI_BUILD_TESTS=OFF -DKPI_BUILD_DOCS=OFF -DKPI_BUILD_CLI=OFF
//   cmake --build build/bench-engine --target kpi_bench
//   build/bench-engine/bench/kpi_bench --benchmark_filter='Engine|PlainLoop'
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kpi/catalog.hpp"
#include "kpi/engine.hpp"

namespace {

using namespace kpi;

constexpr int k_agents = 500;
constexpr int k_teams = 25;
constexpr int k_days = 90;
constexpr std::int64_t k_day_ms = 86'400'000;
const std::int64_t k_t0 = to_unix_ms(parse_timestamp("2026-09-01T00:00:00Z"));

/// n call records over 500 agents and 90 days, in start order (as a PBX writes them), as columns.
struct dataset {
  std::size_t n = 0;
  std::vector<std::string> agent_names, team_names;
  std::vector<std::string_view> agent_dict, team_dict;
  std::vector<std::int32_t> agent, team, dir, outcome;
  std::vector<std::int64_t> start;
  std::vector<double> wait, talk, hold, acw;

  explicit dataset(std::size_t rows) : n(rows) {
    for (int a = 0; a < k_agents; ++a) agent_names.push_back("agent-" + std::to_string(1000 + a));
    for (int t = 0; t < k_teams; ++t) team_names.push_back("team-" + std::to_string(t));
    for (const auto &s : agent_names) agent_dict.push_back(s);
    for (const auto &s : team_names) team_dict.push_back(s);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int> pick_agent(0, k_agents - 1), pct(0, 99), talk_s(5, 900),
        wait_s(0, 120), hold_s(0, 60), acw_s(0, 90);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (auto *v : {&agent, &team, &dir, &outcome}) v->resize(n);
    start.resize(n);
    for (auto *v : {&wait, &talk, &hold, &acw}) v->resize(n);
    const double step = static_cast<double>(k_days * k_day_ms) / static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int a = pick_agent(rng);
      start[i] = k_t0 + static_cast<std::int64_t>(static_cast<double>(i) * step);
      const bool in = pct(rng) < 20;
      dir[i] = in ? 1 : 0;
      const int o = pct(rng);
      std::int32_t out;
      if (in)
        out = o < 80 ? 0 : o < 95 ? 5 : 6;  // connected, abandoned, timeout
      else
        out = o < 55   ? 0
              : o < 75 ? 1
              : o < 85 ? 2
              : o < 95 ? 4
                       : 3;  // connected, no_answer, busy, voicemail, failed
      outcome[i] = out;
      // Nobody answered an abandoned or timed-out inbound call: no agent.
      agent[i] = (in && out != 0) ? -1 : a;
      team[i] = a % k_teams;
      wait[i] = in ? wait_s(rng) : nan;
      talk[i] = out == 0 ? talk_s(rng) : 0;
      hold[i] = out == 0 ? hold_s(rng) : nan;
      acw[i] = out == 0 ? acw_s(rng) : nan;
    }
  }

  call_columns slice(std::size_t from, std::size_t count) const {
    call_columns c;
    c.rows = count;
    c.agent_id = {std::span(agent).subspan(from, count), agent_dict};
    c.team_id = {std::span(team).subspan(from, count), team_dict};
    c.direction = std::span(dir).subspan(from, count);
    c.start_ms = std::span(start).subspan(from, count);
    c.wait_s = std::span(wait).subspan(from, count);
    c.talk_s = std::span(talk).subspan(from, count);
    c.hold_s = std::span(hold).subspan(from, count);
    c.acw_s = std::span(acw).subspan(from, count);
    c.outcome = std::span(outcome).subspan(from, count);
    return c;
  }
};

const dataset &data(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<dataset>> cache;
  auto &d = cache[n];
  if (!d) d = std::make_unique<dataset>(n);
  return *d;
}

engine_options bench_options(period_kind kind) {
  engine_options o;
  o.group_by = {dimension::team_id, dimension::agent_id};
  o.period = kind;
  return o;
}

constexpr std::size_t k_batch = 65'536;

/// Rows [from, to) of `d` into `e` in batches of k_batch; `after_batch()` runs after each batch.
template <class AfterBatch = void (*)()>
void ingest_batched(
    engine &e, const dataset &d, std::size_t from, std::size_t to, AfterBatch after_batch = [] {}) {
  for (std::size_t i = from; i < to; i += k_batch) {
    e.add_calls(d.slice(i, std::min(k_batch, to - i)));
    after_batch();
  }
}

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

void report_rate(benchmark::State &state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.counters["ns_per_record"] =
      benchmark::Counter(static_cast<double>(n) * 1e-9,
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// ---- Engine ingest ----

void BM_EngineIngestBatched(benchmark::State &state) {
  const dataset &d = data(static_cast<std::size_t>(state.range(0)));
  const auto kind = static_cast<period_kind>(state.range(1));
  std::size_t heap = 0, cells = 0;
  for (auto _ : state) {
    state.PauseTiming();  // freeing the previous engine and creating this one are not ingest
    std::unique_ptr<engine> e;
    const std::size_t before = heap_in_use();
    e = std::make_unique<engine>(bench_options(kind));
    state.ResumeTiming();
    ingest_batched(*e, d, 0, d.n);
    state.PauseTiming();
    heap = heap_in_use() - before;
    cells = e->cell_count();
    benchmark::DoNotOptimize(*e);
    e.reset();
    state.ResumeTiming();
  }
  report_rate(state, d.n);
  state.counters["engine_MB"] = static_cast<double>(heap) / 1e6;
  state.counters["cells"] = static_cast<double>(cells);
  // Peak: one more ingest, untimed, with the heap in use read after every batch (the engine with its
  // batch scratch, which it keeps for the next batch).
  {
    const std::size_t before = heap_in_use();
    std::size_t peak = 0;
    engine e(bench_options(kind));
    ingest_batched(e, d, 0, d.n, [&] { peak = std::max(peak, heap_in_use() - before); });
    state.counters["peak_MB"] = static_cast<double>(peak) / 1e6;
  }
}
BENCHMARK(BM_EngineIngestBatched)
    ->ArgsProduct({{1'000'000, 10'000'000},
                   {static_cast<int>(period_kind::day), static_cast<int>(period_kind::month)}})
    ->ArgNames({"records", "period"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_EngineIngestPerRecord(benchmark::State &state) {
  const dataset &d = data(static_cast<std::size_t>(state.range(0)));
  const auto kind = static_cast<period_kind>(state.range(1));
  for (auto _ : state) {
    state.PauseTiming();  // creating and freeing the engine are not ingest
    auto owned = std::make_unique<engine>(bench_options(kind));
    engine &e = *owned;
    state.ResumeTiming();
    // A caller converting its rows: one call_record reused, its strings keeping their capacity.
    call_record r;
    r.call_id = "call";
    for (std::size_t i = 0; i < d.n; ++i) {
      r.agent_id.assign(d.agent[i] < 0 ? std::string_view{}
                                       : d.agent_dict[static_cast<std::size_t>(d.agent[i])]);
      r.team_id.assign(d.team_dict[static_cast<std::size_t>(d.team[i])]);
      r.direction = static_cast<direction>(d.dir[i]);
      r.outcome = static_cast<call_outcome>(d.outcome[i]);
      r.start = from_unix_ms(d.start[i]);
      r.wait_s = std::isnan(d.wait[i]) ? std::nullopt : std::optional<double>(d.wait[i]);
      r.talk_s = d.talk[i];
      r.hold_s = std::isnan(d.hold[i]) ? std::nullopt : std::optional<double>(d.hold[i]);
      r.acw_s = std::isnan(d.acw[i]) ? std::nullopt : std::optional<double>(d.acw[i]);
      e.add(r);
    }
    benchmark::DoNotOptimize(e);
    state.PauseTiming();
    owned.reset();
    state.ResumeTiming();
  }
  report_rate(state, d.n);
}
BENCHMARK(BM_EngineIngestPerRecord)
    ->ArgsProduct({{1'000'000, 10'000'000},
                   {static_cast<int>(period_kind::day), static_cast<int>(period_kind::month)}})
    ->ArgNames({"records", "period"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- The reference: a plain loop over the same arrays ----
//
// Per (agent, month): calls, outbound, connected, handled, offered, answered, abandoned, timeouts, talk
// total, handled talk, hold and after-call work (AHT), waits of answered / abandoned / all inbound calls,
// answered within 20 s (service level), short calls (< 120 s), distinct (agent, day) pairs with an
// outbound call; with quantiles also the exact median and p90 of talk time (values kept per cell,
// nth_element at the end). The state is not mergeable and the KPIs are fixed at compile time.

struct plain_cell {
  std::uint64_t calls = 0, outbound = 0, connected = 0, handled = 0, offered = 0, answered = 0, abandoned = 0,
                timeouts = 0, within_sl = 0, short_calls = 0, wait_n = 0;
  double talk_all = 0, talk_handled = 0, hold = 0, acw = 0, wait_all = 0, wait_answered = 0,
         wait_abandoned = 0;
};

void BM_PlainLoop(benchmark::State &state) {
  const dataset &d = data(static_cast<std::size_t>(state.range(0)));
  const bool quantiles = state.range(1) != 0;
  // Month of each day (UTC; the data set starts on 2026-09-01): Sep 30, Oct 31, Nov 29 days.
  std::vector<std::uint8_t> month_of(k_days);
  for (int day = 0; day < k_days; ++day)
    month_of[static_cast<std::size_t>(day)] = day < 30 ? 0 : day < 61 ? 1 : 2;
  double checksum = 0;
  for (auto _ : state) {
    // Agent -1 (unanswered inbound) is slot k_agents.
    std::vector<plain_cell> cells((k_agents + 1) * 3);
    std::vector<std::uint8_t> agent_day((k_agents + 1) * k_days, 0);
    std::vector<std::vector<double>> talks(quantiles ? cells.size() : 0);
    for (std::size_t i = 0; i < d.n; ++i) {
      const std::size_t a = d.agent[i] < 0 ? k_agents : static_cast<std::size_t>(d.agent[i]);
      const auto day = static_cast<std::size_t>((d.start[i] - k_t0) / k_day_ms);
      const std::size_t c = a * 3 + month_of[day];
      plain_cell &s = cells[c];
      const bool conn = d.outcome[i] == 0;
      ++s.calls;
      s.talk_all += d.talk[i];
      if (d.dir[i] == 0) {
        ++s.outbound;
        s.connected += conn;
        agent_day[a * k_days + day] = 1;
      } else {
        ++s.offered;
        s.answered += conn;
        s.abandoned += d.outcome[i] == 5;
        s.timeouts += d.outcome[i] == 6;
        if (!std::isnan(d.wait[i])) {
          ++s.wait_n;
          s.wait_all += d.wait[i];
          if (conn) {
            s.wait_answered += d.wait[i];
            s.within_sl += d.wait[i] <= 20;
          }
          if (d.outcome[i] == 5) s.wait_abandoned += d.wait[i];
        }
      }
      if (conn) {
        ++s.handled;
        s.talk_handled += d.talk[i];
        s.short_calls += d.talk[i] < 120;
        if (!std::isnan(d.hold[i])) s.hold += d.hold[i];
        if (!std::isnan(d.acw[i])) s.acw += d.acw[i];
        if (quantiles) talks[c].push_back(d.talk[i]);
      }
    }
    // Finish: agent-days per (agent, month), and the quantiles.
    std::vector<std::uint64_t> agent_days(cells.size(), 0);
    for (std::size_t a = 0; a <= k_agents; ++a)
      for (int day = 0; day < k_days; ++day)
        agent_days[a * 3 + month_of[static_cast<std::size_t>(day)]] +=
            agent_day[a * k_days + static_cast<std::size_t>(day)];
    for (std::size_t c = 0; c < cells.size(); ++c) {
      checksum += static_cast<double>(agent_days[c]) + cells[c].talk_handled;
      if (quantiles && !talks[c].empty()) {
        auto &v = talks[c];
        const std::size_t k90 = (v.size() - 1) * 9 / 10;
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k90), v.end());
        checksum += v[k90];
        const std::size_t k50 = (v.size() - 1) / 2;
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k50),
                         v.begin() + static_cast<std::ptrdiff_t>(k90));
        checksum += v[k50];
      }
    }
    benchmark::DoNotOptimize(checksum);
  }
  report_rate(state, d.n);
}
BENCHMARK(BM_PlainLoop)
    ->ArgsProduct({{1'000'000, 10'000'000}, {0, 1}})
    ->ArgNames({"records", "quantiles"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- Queries ----

std::vector<kpi_id> telesales_kpis() {
  std::vector<kpi_id> ids;
  for (const kpi_info &k : catalog())
    if (k.evaluate != nullptr && k.families == family_calls) ids.push_back(k.id);
  return ids;
}

const engine &built(std::size_t n, period_kind kind) {
  static std::map<std::pair<std::size_t, int>, std::unique_ptr<engine>> cache;
  auto &e = cache[{n, static_cast<int>(kind)}];
  if (!e) {
    e = std::make_unique<engine>(bench_options(kind));
    ingest_batched(*e, data(n), 0, n);
  }
  return *e;
}

void BM_EngineMonthlyAgentReport(benchmark::State &state) {
  const auto kind = static_cast<period_kind>(state.range(1));
  const engine &e = built(static_cast<std::size_t>(state.range(0)), kind);
  report_request req;
  req.kpis = telesales_kpis();
  req.group_by = {dimension::agent_id};
  req.period = period_kind::month;
  std::size_t rows = 0;
  for (auto _ : state) {
    const report r = e.make_report(req);
    rows = r.rows.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["kpis"] = static_cast<double>(req.kpis.size());
}
BENCHMARK(BM_EngineMonthlyAgentReport)
    ->ArgsProduct({{10'000'000}, {static_cast<int>(period_kind::day), static_cast<int>(period_kind::month)}})
    ->ArgNames({"records", "period"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_EngineEvaluateOneAgentMonth(benchmark::State &state) {
  const engine &e = built(10'000'000, period_kind::day);
  const group_filter f = group_filter{}.where(dimension::agent_id, "agent-1042");
  const period p = parse_period("2026-10");
  for (auto _ : state) benchmark::DoNotOptimize(e.evaluate(kpi_id::p90_talk_time_s, f, p));
}
BENCHMARK(BM_EngineEvaluateOneAgentMonth)->Unit(benchmark::kMicrosecond);

// ---- Merge and threads ----

void BM_EngineMerge(benchmark::State &state) {
  const auto kind = static_cast<period_kind>(state.range(0));
  const dataset &d = data(10'000'000);
  static std::map<int, std::pair<std::unique_ptr<engine>, std::unique_ptr<engine>>> halves;
  auto &h = halves[static_cast<int>(kind)];
  if (!h.first) {
    h.first = std::make_unique<engine>(bench_options(kind));
    h.second = std::make_unique<engine>(bench_options(kind));
    ingest_batched(*h.first, d, 0, d.n / 2);
    ingest_batched(*h.second, d, d.n / 2, d.n);
  }
  for (auto _ : state) {
    state.PauseTiming();  // the copy is not the merge (a whole iteration lasts tens of ms)
    engine target = *h.first;
    state.ResumeTiming();
    target.merge(*h.second);
    benchmark::DoNotOptimize(target);
  }
  state.counters["cells"] = static_cast<double>(h.second->cell_count());
}
BENCHMARK(BM_EngineMerge)
    ->Arg(static_cast<int>(period_kind::day))
    ->Arg(static_cast<int>(period_kind::month))
    ->ArgName("period")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// T threads, each with its own engine over 1/T of the records (batched, contiguous time ranges, as a
/// PBX cluster or a backfill splits them), then merged into the first: wall time of ingest and merge.
/// Creating and freeing the engines are not timed.
void BM_EngineIngestThreads(benchmark::State &state) {
  const auto threads = static_cast<std::size_t>(state.range(0));
  const auto kind = static_cast<period_kind>(state.range(1));
  const dataset &d = data(10'000'000);
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<engine> engines;
    for (std::size_t t = 0; t < threads; ++t) engines.emplace_back(bench_options(kind));
    state.ResumeTiming();
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
      pool.emplace_back(
          [&, t] { ingest_batched(engines[t], d, d.n * t / threads, d.n * (t + 1) / threads); });
    for (auto &th : pool) th.join();
    for (std::size_t t = 1; t < threads; ++t) engines[0].merge(std::move(engines[t]));
    benchmark::DoNotOptimize(engines[0]);
    state.PauseTiming();
    engines.clear();
    state.ResumeTiming();
  }
  report_rate(state, d.n);
}
BENCHMARK(BM_EngineIngestThreads)
    ->ArgsProduct({{1, 2}, {static_cast<int>(period_kind::day), static_cast<int>(period_kind::month)}})
    ->ArgNames({"threads", "period"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
