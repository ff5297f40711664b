// Customer value models on the CDNOW master file (23,570 customers, 69,659 purchases, 39-week
// calibration in weeks): read + summarize, the BG/NBD and Gamma-Gamma fits, scoring every customer
// (P(alive), E[Y], E[M], 12-month CLV), and the same fit through the C ABI.
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include "kpi/kpi.h"
#include "kpi/models/clv.hpp"
#include "kpi/models/summary.hpp"

namespace {

namespace m = kpi::models;

const std::string kMaster = std::string(KPI_SHARED_DATA_DIR) + "/cdnow/CDNOW_master.txt";
constexpr std::int64_t kCalibrationEnd = 875577600000;  // 1997-09-30T00:00:00Z

std::vector<m::transaction> master_transactions() {
  std::ifstream in(kMaster);
  return m::read_transactions(in, kMaster);
}

m::summary_options weeks() {
  m::summary_options o;
  o.unit = m::time_unit::week;
  o.calibration_end_ms = kCalibrationEnd;
  return o;
}

const std::vector<m::customer_summary> &master_customers() {
  static const std::vector<m::customer_summary> customers = m::summarize(master_transactions(), weeks());
  return customers;
}

void BM_ModelsReadAndSummarizeMaster(benchmark::State &state) {
  for (auto _ : state) {
    auto customers = m::summarize(master_transactions(), weeks());
    benchmark::DoNotOptimize(customers.data());
  }
  state.SetItemsProcessed(state.iterations() * 69659);
}
BENCHMARK(BM_ModelsReadAndSummarizeMaster)->Unit(benchmark::kMillisecond);

void BM_ModelsBgNbdFitMaster(benchmark::State &state) {
  const auto &customers = master_customers();
  for (auto _ : state) {
    auto fit = m::fit_bgnbd(customers);
    benchmark::DoNotOptimize(fit.params.r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
BENCHMARK(BM_ModelsBgNbdFitMaster)->Unit(benchmark::kMillisecond);

void BM_ModelsGammaGammaFitMaster(benchmark::State &state) {
  const auto &customers = master_customers();
  for (auto _ : state) {
    auto fit = m::fit_gamma_gamma(customers);
    benchmark::DoNotOptimize(fit.params.p);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
BENCHMARK(BM_ModelsGammaGammaFitMaster)->Unit(benchmark::kMillisecond);

void BM_ModelsScoreMaster(benchmark::State &state) {
  const auto &customers = master_customers();
  const auto bg = m::fit_bgnbd(customers).params;
  const auto gg = m::fit_gamma_gamma(customers).params;
  m::clv_options o;
  o.horizon_months = static_cast<std::int32_t>(state.range(0));
  for (auto _ : state) {
    auto scores = m::score_customers(bg, gg, customers, o);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
BENCHMARK(BM_ModelsScoreMaster)->Arg(12)->Arg(60)->Unit(benchmark::kMillisecond);

void BM_ModelsBgNbdFitMasterCapi(benchmark::State &state) {
  const auto &customers = master_customers();
  std::vector<double> x, t_x, T;
  for (const auto &c : customers) {
    x.push_back(c.x);
    t_x.push_back(c.t_x);
    T.push_back(c.T);
  }
  for (auto _ : state) {
    kpi_bgnbd bg = KPI_BGNBD_INIT;
    if (kpi_bgnbd_fit(&bg, x.data(), t_x.data(), T.data(), x.size(), nullptr) != KPI_OK) {
      state.SkipWithError(kpi_last_error_message());
      break;
    }
    benchmark::DoNotOptimize(bg.r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
BENCHMARK(BM_ModelsBgNbdFitMasterCapi)->Unit(benchmark::kMillisecond);

}  // namespace
