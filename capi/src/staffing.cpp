// The staffing module of the C ABI: extern "C" shims over kpi/staffing/erlang.hpp.
#include <limits>
#include <string>

#include "guard.hpp"
#include "kpi/staffing/erlang.hpp"

namespace {

namespace st = kpi::staffing;

st::queue_model to_model(const kpi_staffing_params &p) {
  st::queue_model m;
  m.calls = p.calls;
  m.interval_s = p.interval_s;
  m.aht_s = p.aht_s;
  m.answer_within_s = p.answer_within_s;
  if (p.model == KPI_STAFFING_ERLANG_A) {
    m.patience_s = p.patience_s;
  } else if (p.model != KPI_STAFFING_ERLANG_C) {
    throw kpi::error(
        kpi::errc::invalid_argument,
        "kpi_staffing_params.model must be KPI_STAFFING_ERLANG_C (0) or KPI_STAFFING_ERLANG_A (1), got " +
            std::to_string(p.model));
  }
  return m;
}

st::staffing_target to_target(const kpi_staffing_params &p) {
  return st::staffing_target{p.target_service_level, p.max_occupancy, p.shrinkage};
}

const kpi_staffing_params &checked_params(const kpi_staffing_params *params) {
  kpi::capi::require(params, "params");
  kpi::capi::check_version(params->version, KPI_STAFFING_PARAMS_VERSION, "kpi_staffing_params");
  return *params;
}

void check_result(const kpi_staffing_result *out) {
  kpi::capi::require(out, "out");
  kpi::capi::check_version(out->version, KPI_STAFFING_RESULT_VERSION, "kpi_staffing_result");
}

void fill(kpi_staffing_result *out, const st::queue_metrics &m, std::int64_t scheduled,
          const st::staffing_target &target) {
  out->agents = static_cast<int32_t>(m.agents);
  out->scheduled = static_cast<int32_t>(scheduled);
  out->meets_target = st::meets_target(m, target) ? 1 : 0;
  out->has_p_abandon = m.p_abandon.has_value() ? 1 : 0;
  out->service_level = m.service_level;
  out->p_wait = m.p_wait;
  out->asa_s = m.asa_s;
  out->mean_wait_s = m.mean_wait_s;
  out->occupancy = m.occupancy;
  out->p_abandon = m.p_abandon.value_or(std::numeric_limits<double>::quiet_NaN());
}

// scheduled_agents() accepts agents up to kpi::staffing::max_agents (1e7); a shrinkage close to 1 could
// take the result past int32_t.
std::int64_t scheduled_checked(std::int64_t agents, double shrinkage) {
  const std::int64_t s = st::scheduled_agents(agents, shrinkage);
  if (s > std::numeric_limits<int32_t>::max()) {
    throw kpi::error(kpi::errc::overflow, "scheduled agents " + std::to_string(s) + " do not fit in int32_t");
  }
  return s;
}

}  // namespace

extern "C" {

KPI_API int kpi_staffing_params_init(kpi_staffing_params *params, uint32_t version) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(params, "params");
    kpi::capi::check_version(version, KPI_STAFFING_PARAMS_VERSION, "kpi_staffing_params");
    const kpi_staffing_params defaults = KPI_STAFFING_PARAMS_INIT;
    *params = defaults;
    params->version = version;
  });
}

KPI_API int kpi_staffing_result_init(kpi_staffing_result *result, uint32_t version) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(result, "result");
    kpi::capi::check_version(version, KPI_STAFFING_RESULT_VERSION, "kpi_staffing_result");
    const kpi_staffing_result zero = KPI_STAFFING_RESULT_INIT;
    *result = zero;
    result->version = version;
  });
}

KPI_API int kpi_staffing_erlang_b(double *out, int32_t agents, double traffic) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    *out = st::erlang_b(agents, traffic);
  });
}

KPI_API int kpi_staffing_erlang_c(double *out, int32_t agents, double traffic) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    *out = st::erlang_c(agents, traffic);
  });
}

KPI_API int kpi_staffing_evaluate(kpi_staffing_result *out, const kpi_staffing_params *params,
                                  int32_t agents) {
  return kpi::capi::guarded([&] {
    check_result(out);
    const kpi_staffing_params &p = checked_params(params);
    const st::staffing_target target = to_target(p);
    const st::queue_metrics m = st::evaluate(to_model(p), agents);
    fill(out, m, scheduled_checked(agents, p.shrinkage), target);
  });
}

KPI_API int kpi_staffing_solve(kpi_staffing_result *out, const kpi_staffing_params *params) {
  return kpi::capi::guarded([&] {
    check_result(out);
    const kpi_staffing_params &p = checked_params(params);
    const st::staffing_target target = to_target(p);
    const st::staffing_plan plan = st::solve(to_model(p), target);
    fill(out, plan.metrics, scheduled_checked(plan.agents, p.shrinkage), target);
  });
}

}  // extern "C"
