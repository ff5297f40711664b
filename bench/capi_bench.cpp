// Benchmarks of issue 5: one batch workload ingested through C++ and through the C ABI (the Python
// numpy path is bench/python_engine_bench.py, on the same workload). Goal: the C ABI columnar batch
// within 10 % of the C++ columnar batch.
//
// Workload: 1e6 calls over 500 agents (25 teams) and 30 days, seed 5, one every 2.592 s; 25 % inbound
// (80 % connected, 15 % abandoned, 5 % timeout; unanswered inbound calls have no agent), 75 % outbound
// (50 % connected, 25 % no answer, 10 % busy, 10 % voicemail, 5 % failed); whole-second talk (5..900 s
// when connected, else 0), wait (0..120 s, inbound only), hold (0..60 s) and after-call work (0..90 s,
// connected only). Engine: group_by team_id then agent_id, daily periods, UTC.
//
// Paths (each iteration ingests the whole 1e6 calls into a fresh engine; creating and destroying the
// engine happens with the timer paused):
//   BM_EngineIngest_CxxColumns   kpi::engine::add_calls(const call_columns&), one batch
//   BM_EngineIngest_CapiColumns  kpi_engine_add_call_columns(), one batch
//   BM_EngineIngest_CapiRecords  kpi_engine_add_calls(), an array of kpi_call_record with its stride
//   BM_EngineIngest_CxxRecords   kpi::engine::add(const call_record&) per record, prebuilt records
//   BM_EngineIngest_CxxRecordSpan kpi::engine::add(std::span<const call_record>), all records at once
// The columnar ones take an argument `ids`: 0 without the call_id column (the engine does not need it
// unless deduplicating), 1 with it (the C ABI then measures each id's length: one strlen per row).
//
// Run (docs/performance.md has the numbers):
//   cmake -S . -B build/perf -G Ninja -DCMAKE_BUILD_TYPE=Release -DKPI_BUILD_BENCH=ON
//         -DKPI_BUILD_TESTS=OFF -DKPI_BUILD_DOCS=OFF
//   cmake --build build/perf -j2 --target kpi_bench kpi_capi
//   build/perf/bench/kpi_bench --benchmark_filter='EngineIngest_' --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/engine.hpp"
#include "kpi/kpi.h"

namespace {

constexpr std::uint64_t k_seed = 5;
constexpr std::size_t k_rows = 1'000'000;
constexpr int k_agents = 500;
constexpr int k_teams = 25;
constexpr int k_days = 30;
constexpr std::int64_t k_day_ms = 86'400'000;
constexpr std::int64_t k_t0 = 1'793'491'200'000;  // 2026-11-01T00:00:00Z
constexpr std::int64_t k_step_ms = k_days * k_day_ms / static_cast<std::int64_t>(k_rows);  // 2592 ms

/// The random draws: SplitMix64's finalizer over (row, field), a counter-based generator that
/// bench/python_engine_bench.py repeats with numpy, so both programs ingest exactly the same calls.
std::uint64_t uniform(std::uint64_t row, std::uint64_t field) {
  std::uint64_t z = k_seed + 0x9E3779B97F4A7C15ULL * (row * 8 + field + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// The workload in every form the four paths take, built once (about 0.4 GB).
struct workload {
  // Columns.
  std::vector<std::string> agent_names, team_names, id_text;
  std::vector<std::string_view> agent_dict, team_dict, ids;
  std::vector<const char *> agent_cdict, team_cdict, cids;
  std::vector<std::int32_t> agent, team, dir, outcome;
  std::vector<std::int64_t> start;
  std::vector<double> wait, talk, hold, acw;
  // Rows.
  std::vector<kpi_call_record> c_records;
  std::vector<kpi::call_record> records;

  workload() {
    for (int a = 0; a < k_agents; ++a) agent_names.push_back("agent-" + std::to_string(1000 + a));
    for (int t = 0; t < k_teams; ++t) team_names.push_back("team-" + std::to_string(t));
    for (const auto &s : agent_names) {
      agent_dict.push_back(s);
      agent_cdict.push_back(s.c_str());
    }
    for (const auto &s : team_names) {
      team_dict.push_back(s);
      team_cdict.push_back(s.c_str());
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    id_text.resize(k_rows);
    for (auto *v : {&agent, &team, &dir, &outcome}) v->resize(k_rows);
    start.resize(k_rows);
    for (auto *v : {&wait, &talk, &hold, &acw}) v->resize(k_rows);
    for (std::size_t i = 0; i < k_rows; ++i) {
      auto draw = [i](std::uint64_t field, std::uint64_t range) {
        return static_cast<int>(uniform(i, field) % range);
      };
      id_text[i] = "C" + std::to_string(10'000'000 + i);
      const int a = draw(0, k_agents);
      start[i] = k_t0 + static_cast<std::int64_t>(i) * k_step_ms;
      const bool in = draw(1, 100) < 25;
      dir[i] = in ? KPI_DIRECTION_INBOUND : KPI_DIRECTION_OUTBOUND;
      const int o = draw(2, 100);
      if (in)
        outcome[i] = o < 80 ? KPI_OUTCOME_CONNECTED : o < 95 ? KPI_OUTCOME_ABANDONED : KPI_OUTCOME_TIMEOUT;
      else
        outcome[i] = o < 50   ? KPI_OUTCOME_CONNECTED
                     : o < 75 ? KPI_OUTCOME_NO_ANSWER
                     : o < 85 ? KPI_OUTCOME_BUSY
                     : o < 95 ? KPI_OUTCOME_VOICEMAIL
                              : KPI_OUTCOME_FAILED;
      const bool connected = outcome[i] == KPI_OUTCOME_CONNECTED;
      agent[i] = (in && !connected) ? -1 : a;  // nobody answered: no agent
      team[i] = a % k_teams;
      talk[i] = connected ? 5 + draw(3, 896) : 0;
      wait[i] = in ? draw(4, 121) : nan;
      hold[i] = connected ? draw(5, 61) : nan;
      acw[i] = connected ? draw(6, 91) : nan;
    }
    ids.reserve(k_rows);
    cids.reserve(k_rows);
    for (const auto &s : id_text) {
      ids.push_back(s);
      cids.push_back(s.c_str());
    }

    c_records.resize(k_rows);
    records.resize(k_rows);
    auto opt = [](double v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); };
    for (std::size_t i = 0; i < k_rows; ++i) {
      kpi_call_record &c = c_records[i];
      c = kpi_call_record{};
      c.version = KPI_CALL_RECORD_VERSION;
      c.call_id = cids[i];
      c.agent_id = agent[i] < 0 ? nullptr : agent_cdict[static_cast<std::size_t>(agent[i])];
      c.team_id = team_cdict[static_cast<std::size_t>(team[i])];
      c.direction = dir[i];
      c.outcome = outcome[i];
      c.start_ms = start[i];
      c.wait_s = wait[i];
      c.talk_s = talk[i];
      c.hold_s = hold[i];
      c.acw_s = acw[i];

      kpi::call_record &r = records[i];
      r.call_id = id_text[i];
      if (agent[i] >= 0) r.agent_id = agent_names[static_cast<std::size_t>(agent[i])];
      r.team_id = team_names[static_cast<std::size_t>(team[i])];
      r.direction = static_cast<kpi::direction>(dir[i]);
      r.outcome = static_cast<kpi::call_outcome>(outcome[i]);
      r.start = kpi::from_unix_ms(start[i]);
      r.wait_s = opt(wait[i]);
      r.talk_s = talk[i];
      r.hold_s = opt(hold[i]);
      r.acw_s = opt(acw[i]);
    }
  }

  [[nodiscard]] kpi::call_columns cxx_columns(bool with_ids) const {
    kpi::call_columns c;
    c.rows = k_rows;
    if (with_ids) c.call_id = ids;
    c.agent_id = {agent, agent_dict};
    c.team_id = {team, team_dict};
    c.direction = dir;
    c.start_ms = start;
    c.wait_s = wait;
    c.talk_s = talk;
    c.hold_s = hold;
    c.acw_s = acw;
    c.outcome = outcome;
    return c;
  }

  [[nodiscard]] kpi_call_columns c_columns(bool with_ids) const {
    kpi_call_columns c KPI_CALL_COLUMNS_INIT;
    c.rows = k_rows;
    c.start_ms = start.data();
    c.direction = dir.data();
    c.outcome = outcome.data();
    c.talk_s = talk.data();
    c.wait_s = wait.data();
    c.hold_s = hold.data();
    c.acw_s = acw.data();
    c.agent_codes = agent.data();
    c.agent_dictionary = agent_cdict.data();
    c.agent_dictionary_size = agent_cdict.size();
    c.team_codes = team.data();
    c.team_dictionary = team_cdict.data();
    c.team_dictionary_size = team_cdict.size();
    if (with_ids) c.call_ids = cids.data();
    return c;
  }
};

const workload &data() {
  static const workload w;
  return w;
}

kpi::engine_options cxx_options() {
  kpi::engine_options o;
  o.group_by = {kpi::dimension::team_id, kpi::dimension::agent_id};
  o.period = kpi::period_kind::day;
  return o;
}

struct c_engine_deleter {
  void operator()(kpi_engine *e) const noexcept { kpi_engine_free(e); }
};
using c_engine_ptr = std::unique_ptr<kpi_engine, c_engine_deleter>;

c_engine_ptr c_engine() {
  const int32_t dims[] = {KPI_DIM_TEAM_ID, KPI_DIM_AGENT_ID};
  kpi_engine_options o KPI_ENGINE_OPTIONS_INIT;
  o.group_by = dims;
  o.group_by_count = 2;
  o.period = KPI_PERIOD_DAY;
  kpi_engine *e = nullptr;
  if (kpi_engine_new(&e, &o) != KPI_OK) throw std::runtime_error("kpi_engine_new failed");
  return c_engine_ptr(e);
}

/// Items = calls; also "ns_per_call" (wall time per call of one whole ingest) and the accepted count.
void finish(benchmark::State &state, std::size_t accepted) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(k_rows));
  state.counters["ns_per_call"] =
      benchmark::Counter(static_cast<double>(k_rows) * 1e-9,
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["accepted"] = static_cast<double>(accepted);
}

void BM_EngineIngest_CxxColumns(benchmark::State &state) {
  const workload &w = data();
  const kpi::call_columns batch = w.cxx_columns(state.range(0) != 0);
  std::size_t accepted = 0;
  std::optional<kpi::engine> e;
  for (auto _ : state) {
    state.PauseTiming();
    e.reset();  // destroy the previous iteration's engine untimed
    e.emplace(cxx_options());
    state.ResumeTiming();
    accepted = e->add_calls(batch);
    benchmark::DoNotOptimize(accepted);
  }
  finish(state, accepted);
}

void BM_EngineIngest_CapiColumns(benchmark::State &state) {
  const workload &w = data();
  const kpi_call_columns batch = w.c_columns(state.range(0) != 0);
  std::size_t accepted = 0;
  c_engine_ptr e;
  for (auto _ : state) {
    state.PauseTiming();
    e.reset();
    e = c_engine();
    state.ResumeTiming();
    if (kpi_engine_add_call_columns(e.get(), &batch, &accepted) != KPI_OK) {
      state.SkipWithError("kpi_engine_add_call_columns failed");
      break;
    }
    benchmark::DoNotOptimize(accepted);
  }
  finish(state, accepted);
}

void BM_EngineIngest_CapiRecords(benchmark::State &state) {
  const workload &w = data();
  std::size_t accepted = 0;
  c_engine_ptr e;
  for (auto _ : state) {
    state.PauseTiming();
    e.reset();
    e = c_engine();
    state.ResumeTiming();
    if (kpi_engine_add_calls(e.get(), w.c_records.data(), w.c_records.size(), sizeof(kpi_call_record),
                             &accepted) != KPI_OK) {
      state.SkipWithError("kpi_engine_add_calls failed");
      break;
    }
    benchmark::DoNotOptimize(accepted);
  }
  finish(state, accepted);
}

/// Times `ingest(engine, records)` into a fresh C++ engine per iteration (creating and destroying it
/// untimed); `ingest` returns the number accepted.
template <class Ingest>
void cxx_records_bench(benchmark::State &state, Ingest ingest) {
  const workload &w = data();
  std::size_t accepted = 0;
  std::optional<kpi::engine> e;
  for (auto _ : state) {
    state.PauseTiming();
    e.reset();
    e.emplace(cxx_options());
    state.ResumeTiming();
    accepted = ingest(*e, w.records);
    benchmark::DoNotOptimize(accepted);
  }
  finish(state, accepted);
}

void BM_EngineIngest_CxxRecords(benchmark::State &state) {
  cxx_records_bench(state, [](kpi::engine &e, const std::vector<kpi::call_record> &records) {
    std::size_t accepted = 0;
    for (const kpi::call_record &r : records) accepted += e.add(r) ? 1u : 0u;
    return accepted;
  });
}

void BM_EngineIngest_CxxRecordSpan(benchmark::State &state) {
  cxx_records_bench(state, [](kpi::engine &e, const std::vector<kpi::call_record> &records) {
    return e.add(std::span<const kpi::call_record>(records));
  });
}

BENCHMARK(BM_EngineIngest_CxxColumns)
    ->ArgName("ids")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EngineIngest_CapiColumns)
    ->ArgName("ids")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EngineIngest_CapiRecords)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EngineIngest_CxxRecordSpan)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EngineIngest_CxxRecords)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
