// The views module of the C ABI: extern "C" shims over kpi/views/*.hpp.
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "guard.hpp"
#include "kpi/views/anomaly.hpp"
#include "kpi/views/coaching.hpp"
#include "kpi/views/leaderboard.hpp"
#include "kpi/views/targets.hpp"
#include "kpi/views/trend.hpp"

namespace vw = kpi::views;

struct kpi_target_table {
  vw::target_table table;
  // Period labels handed out by kpi_target_table_get(), by record index; cleared on modification.
  mutable std::vector<std::string> labels;
};

struct kpi_anomaly_detector {
  vw::anomaly_detector detector;
};

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::string_view text(const char *s) {
  return s == nullptr ? std::string_view{} : std::string_view{s};
}

kpi::time_zone zone_of(const char *name) {
  if (name == nullptr || *name == '\0') return kpi::time_zone::utc();
  return kpi::time_zone::locate(name);
}

kpi::target_op op_of(int32_t op) {
  if (op < KPI_TARGET_AT_LEAST || op > KPI_TARGET_BETWEEN) {
    throw kpi::error(kpi::errc::invalid_argument, "target op " + std::to_string(op) +
                                                      " is not KPI_TARGET_AT_LEAST (0), _AT_MOST (1) or "
                                                      "_BETWEEN (2)");
  }
  return static_cast<kpi::target_op>(op);
}

vw::better better_of(int32_t better) {
  if (better != KPI_BETTER_HIGHER && better != KPI_BETTER_LOWER) {
    throw kpi::error(
        kpi::errc::invalid_argument,
        "better " + std::to_string(better) + " is not KPI_BETTER_HIGHER (0) or KPI_BETTER_LOWER (1)");
  }
  return static_cast<vw::better>(better);
}

vw::target_spec spec_of(const kpi_target_spec *spec) {
  kpi::capi::require(spec, "spec");
  kpi::capi::check_version(spec->version, KPI_TARGET_SPEC_VERSION, "kpi_target_spec");
  vw::target_spec s;
  s.op = op_of(spec->op);
  s.value = spec->value;
  if (s.op == kpi::target_op::between) s.value2 = spec->value2;
  s.additive = spec->additive != 0;
  return s;
}

void fill_spec(kpi_target_spec *out, const vw::target_spec &s) {
  out->op = static_cast<int32_t>(s.op);
  out->additive = s.additive ? 1 : 0;
  out->value = s.value;
  out->value2 = s.value2.value_or(0.0);
}

// The values of a C array with an optional `defined` mask, as kpi::value.
std::vector<kpi::value> values_of(const double *values, const int32_t *defined, std::size_t count) {
  if (count > 0) kpi::capi::require(values, "values");
  std::vector<kpi::value> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (defined == nullptr || defined[i] != 0) out[i] = values[i];
  }
  return out;
}

void fill_alert(kpi_anomaly_alert *out, const vw::anomaly_alert &a) {
  out->direction = a.direction;
  out->has_score = a.score ? 1 : 0;
  out->reserved = 0;
  out->time_ms = kpi::to_unix_ms(a.time);
  out->actual = a.actual;
  out->expected = a.expected;
  out->score = a.score.value_or(nan_value);
  out->scale = a.scale;
  out->history = static_cast<int64_t>(a.history);
}

vw::anomaly_options options_of(const kpi_anomaly_options *o) {
  vw::anomaly_options opt;
  if (o == nullptr) return opt;
  kpi::capi::check_version(o->version, KPI_ANOMALY_OPTIONS_VERSION, "kpi_anomaly_options");
  opt.resolution = static_cast<vw::resolution>(o->resolution);
  opt.seasonality = static_cast<vw::seasonality>(o->seasonality);
  opt.window_days = o->window_days;
  opt.threshold = o->threshold;
  if (o->min_history < 0) {
    throw kpi::error(kpi::errc::invalid_argument,
                     "anomaly min_history " + std::to_string(o->min_history) + " must be >= 3");
  }
  opt.min_history = static_cast<std::size_t>(o->min_history);
  opt.min_deviation = o->min_deviation;
  opt.zone = zone_of(o->time_zone);
  return opt;
}

}  // namespace

extern "C" {

KPI_API int kpi_target_spec_init(kpi_target_spec *spec, uint32_t version) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(spec, "spec");
    kpi::capi::check_version(version, KPI_TARGET_SPEC_VERSION, "kpi_target_spec");
    const kpi_target_spec defaults = KPI_TARGET_SPEC_INIT;
    *spec = defaults;
    spec->version = version;
  });
}

KPI_API int kpi_target_evaluation_init(kpi_target_evaluation *evaluation, uint32_t version) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(evaluation, "evaluation");
    kpi::capi::check_version(version, KPI_TARGET_EVALUATION_VERSION, "kpi_target_evaluation");
    const kpi_target_evaluation zero = KPI_TARGET_EVALUATION_INIT;
    *evaluation = zero;
    evaluation->version = version;
  });
}

KPI_API int kpi_target_evaluate(kpi_target_evaluation *out, const kpi_target_spec *spec, double actual,
                                int32_t actual_defined, double progress) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::check_version(out->version, KPI_TARGET_EVALUATION_VERSION, "kpi_target_evaluation");
    const vw::target_evaluation e =
        vw::evaluate_target(spec_of(spec), actual_defined != 0 ? kpi::value(actual) : std::nullopt, progress);
    out->status = e.status ? static_cast<int32_t>(*e.status) : KPI_TARGET_NO_DATA;
    out->has_attainment = e.attainment ? 1 : 0;
    out->has_projection = e.projection ? 1 : 0;
    out->has_prorated_target2 = e.prorated_target2 ? 1 : 0;
    out->reserved = 0;
    out->attainment = e.attainment.value_or(nan_value);
    out->prorated_target = e.prorated_target;
    out->prorated_target2 = e.prorated_target2.value_or(nan_value);
    out->projection = e.projection.value_or(nan_value);
  });
}

KPI_API int kpi_period_progress(double *out, const char *period, const char *time_zone, int64_t as_of_ms) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::require(period, "period");
    *out = vw::period_progress(kpi::parse_period(period), zone_of(time_zone), kpi::from_unix_ms(as_of_ms));
  });
}

KPI_API int kpi_target_is_additive(int32_t *out, const char *kpi_name) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::require(kpi_name, "kpi_name");
    *out = vw::is_additive(std::string_view(kpi_name)) ? 1 : 0;
  });
}

KPI_API const char *kpi_target_status_str(int32_t status) {
  if (status == KPI_TARGET_NO_DATA) return "no_data";
  if (status < KPI_TARGET_MET || status > KPI_TARGET_MISSED) return "unknown";
  return vw::to_string(static_cast<vw::target_status>(status));
}

KPI_API int kpi_target_table_new(kpi_target_table **out) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    *out = nullptr;
    *out = new kpi_target_table{};
  });
}

KPI_API void kpi_target_table_free(kpi_target_table *table) {
  delete table;
}

KPI_API int kpi_target_table_read_csv(kpi_target_table *table, const char *path) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(table, "table");
    kpi::capi::require(path, "path");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw kpi::error(kpi::errc::io, std::string("cannot open target file '") + path + "'");
    table->labels.clear();
    table->table.read_csv(in, path);
  });
}

KPI_API int kpi_target_table_set(kpi_target_table *table, const kpi_target *target) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(table, "table");
    kpi::capi::require(target, "target");
    kpi::capi::check_version(target->version, KPI_TARGET_VERSION, "kpi_target");
    kpi::capi::require(target->kpi, "target->kpi");
    kpi::capi::require(target->period, "target->period");
    kpi::target_record r;
    r.kpi = target->kpi;
    r.agent_id = text(target->agent_id);
    r.team_id = text(target->team_id);
    r.campaign_id = text(target->campaign_id);
    r.period = kpi::parse_period(target->period);
    r.op = op_of(target->op);
    r.value = target->value;
    if (r.op == kpi::target_op::between) r.value2 = target->value2;
    table->labels.clear();
    table->table.set(r);
  });
}

KPI_API int kpi_target_table_count(size_t *out, const kpi_target_table *table) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::require(table, "table");
    *out = table->table.size();
  });
}

KPI_API int kpi_target_table_get(kpi_target *out, const kpi_target_table *table, size_t index) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::require(table, "table");
    kpi::capi::check_version(out->version, KPI_TARGET_VERSION, "kpi_target");
    const auto records = table->table.records();
    if (index >= records.size()) {
      throw kpi::error(kpi::errc::invalid_argument, "target index " + std::to_string(index) +
                                                        " is out of range (the table has " +
                                                        std::to_string(records.size()) + ")");
    }
    const kpi::target_record &r = records[index];
    table->labels.resize(records.size());
    table->labels[index] = kpi::label(r.period);
    out->op = static_cast<int32_t>(r.op);
    out->kpi = r.kpi.c_str();
    out->agent_id = r.agent_id.c_str();
    out->team_id = r.team_id.c_str();
    out->campaign_id = r.campaign_id.c_str();
    out->period = table->labels[index].c_str();
    out->value = r.value;
    out->value2 = r.value2.value_or(0.0);
  });
}

KPI_API int kpi_target_table_find(kpi_target_spec *out, const kpi_target_table *table, const char *kpi,
                                  const char *agent_id, const char *team_id, const char *campaign_id,
                                  const char *period) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::require(table, "table");
    kpi::capi::require(kpi, "kpi");
    kpi::capi::require(period, "period");
    kpi::capi::check_version(out->version, KPI_TARGET_SPEC_VERSION, "kpi_target_spec");
    const kpi::target_record *r =
        table->table.find(kpi, text(agent_id), text(team_id), text(campaign_id), kpi::parse_period(period));
    if (r == nullptr) {
      throw kpi::error(kpi::errc::not_found,
                       std::string("no target for kpi '") + kpi + "' in period " + period);
    }
    fill_spec(out, vw::spec_of(*r));
  });
}

KPI_API int kpi_leaderboard_rank(int32_t *ranks_out, int32_t *standing_out, size_t *order_out,
                                 const double *values, const int32_t *defined, const double *volumes,
                                 const char *const *names, size_t count, int32_t better, double min_volume) {
  return kpi::capi::guarded([&] {
    if (count > 0) {
      kpi::capi::require(ranks_out, "ranks_out");
      kpi::capi::require(volumes, "volumes");
    }
    const std::vector<kpi::value> v = values_of(values, defined, count);
    std::vector<vw::leaderboard_entry> entries(count);
    for (std::size_t i = 0; i < count; ++i) {
      if (names != nullptr && names[i] != nullptr) entries[i].name = names[i];
      entries[i].kpi_value = v[i];
      entries[i].volume = volumes[i];
    }
    const auto rows = vw::rank(entries, better_of(better), min_volume);
    for (std::size_t pos = 0; pos < rows.size(); ++pos) {
      const auto &r = rows[pos];
      ranks_out[r.index] = r.rank;
      if (standing_out != nullptr) standing_out[r.index] = static_cast<int32_t>(r.standing);
      if (order_out != nullptr) order_out[pos] = r.index;
    }
  });
}

KPI_API int kpi_quantile_type7(double *out, const double *values, size_t count, double p) {
  return kpi::capi::guarded([&]() -> int {
    kpi::capi::require(out, "out");
    if (count > 0) kpi::capi::require(values, "values");
    const kpi::value q = vw::quantile_type7(std::span<const double>(values, count), p);
    *out = q.value_or(nan_value);
    return q ? KPI_OK : KPI_EUNDEFINED;
  });
}

KPI_API int kpi_coaching_flags(int32_t *flagged_out, int64_t *streak_out, const double *values,
                               const int32_t *defined, const int32_t *teams, size_t agents, size_t periods,
                               size_t k, double percentile, int32_t better) {
  return kpi::capi::guarded([&] {
    if (agents > 0) {
      kpi::capi::require(flagged_out, "flagged_out");
      kpi::capi::require(teams, "teams");
    }
    if (periods > 0 && agents > std::numeric_limits<std::size_t>::max() / periods) {
      throw kpi::error(kpi::errc::invalid_argument, "agents x periods overflows size_t");
    }
    const std::vector<kpi::value> v = values_of(values, defined, agents * periods);
    std::vector<vw::agent_series> series(agents);
    for (std::size_t i = 0; i < agents; ++i) {
      series[i].agent = std::to_string(i);
      series[i].team = std::to_string(teams[i]);
      series[i].values.assign(v.begin() + static_cast<std::ptrdiff_t>(i * periods),
                              v.begin() + static_cast<std::ptrdiff_t>((i + 1) * periods));
    }
    vw::coaching_options o;
    o.k = k;
    o.percentile = percentile;
    o.order = better_of(better);
    const auto flags = vw::coaching_flags(series, o);
    // Streaks of the agents that were not flagged are needed too: recompute them cheaply with k = 1.
    for (std::size_t i = 0; i < agents; ++i) {
      flagged_out[i] = 0;
      if (streak_out != nullptr) streak_out[i] = 0;
    }
    for (const auto &f : flags) flagged_out[f.index] = 1;
    if (streak_out != nullptr) {
      o.k = 1;
      for (const auto &f : vw::coaching_flags(series, o))
        streak_out[f.index] = static_cast<int64_t>(f.streak);
    }
  });
}

KPI_API int kpi_anomaly_options_init(kpi_anomaly_options *options, uint32_t version) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(options, "options");
    kpi::capi::check_version(version, KPI_ANOMALY_OPTIONS_VERSION, "kpi_anomaly_options");
    const kpi_anomaly_options defaults = KPI_ANOMALY_OPTIONS_INIT;
    *options = defaults;
    options->version = version;
  });
}

KPI_API int kpi_anomaly_detector_new(kpi_anomaly_detector **out, const kpi_anomaly_options *options,
                                     kpi_anomaly_callback callback, void *payload) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    *out = nullptr;
    vw::anomaly_callback cb;
    if (callback != nullptr) {
      cb = [callback, payload](const vw::anomaly_alert &a) {
        kpi_anomaly_alert c = {};
        c.version = KPI_ANOMALY_ALERT_VERSION;
        fill_alert(&c, a);
        callback(&c, payload);
      };
    }
    *out = new kpi_anomaly_detector{vw::anomaly_detector(options_of(options), std::move(cb))};
  });
}

KPI_API void kpi_anomaly_detector_free(kpi_anomaly_detector *detector) {
  delete detector;
}

KPI_API int kpi_anomaly_detector_push(int32_t *flagged_out, kpi_anomaly_alert *alert_out,
                                      kpi_anomaly_detector *detector, int64_t time_ms, double value,
                                      int32_t defined) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(detector, "detector");
    if (alert_out != nullptr) {
      kpi::capi::check_version(alert_out->version, KPI_ANOMALY_ALERT_VERSION, "kpi_anomaly_alert");
    }
    if (flagged_out != nullptr) *flagged_out = 0;
    const auto a =
        detector->detector.push(kpi::from_unix_ms(time_ms), defined != 0 ? kpi::value(value) : std::nullopt);
    if (a) {
      if (flagged_out != nullptr) *flagged_out = 1;
      if (alert_out != nullptr) fill_alert(alert_out, *a);
    }
  });
}

KPI_API int kpi_anomaly_detector_push_many(size_t *alerts_out, kpi_anomaly_detector *detector,
                                           const int64_t *times_ms, const double *values,
                                           const int32_t *defined, size_t count) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(detector, "detector");
    if (count > 0) {
      kpi::capi::require(times_ms, "times_ms");
      kpi::capi::require(values, "values");
    }
    if (alerts_out != nullptr) *alerts_out = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const bool is_defined = defined == nullptr || defined[i] != 0;
      const auto a = detector->detector.push(kpi::from_unix_ms(times_ms[i]),
                                             is_defined ? kpi::value(values[i]) : std::nullopt);
      if (a && alerts_out != nullptr) ++*alerts_out;
    }
  });
}

KPI_API int kpi_anomaly_detector_reset(kpi_anomaly_detector *detector) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(detector, "detector");
    detector->detector.reset();
  });
}

KPI_API int kpi_trend_fit(double *slope_out, double *intercept_out, const double *values,
                          const int32_t *defined, size_t count, size_t n) {
  return kpi::capi::guarded([&]() -> int {
    kpi::capi::require(slope_out, "slope_out");
    const std::vector<kpi::value> v = values_of(values, defined, count);
    const vw::trend_fit f = vw::fit_trend(v, n);
    *slope_out = f.slope.value_or(nan_value);
    if (intercept_out != nullptr) *intercept_out = f.intercept.value_or(nan_value);
    return f.slope ? KPI_OK : KPI_EUNDEFINED;
  });
}

KPI_API int kpi_trend_project(kpi_period_projection *out, const double *values, const int32_t *defined,
                              size_t count, size_t total, size_t n) {
  return kpi::capi::guarded([&] {
    kpi::capi::require(out, "out");
    kpi::capi::check_version(out->version, KPI_PERIOD_PROJECTION_VERSION, "kpi_period_projection");
    const std::vector<kpi::value> v = values_of(values, defined, count);
    const vw::period_projection p = vw::project_to_period_end(v, total, n);
    out->has_run_rate = p.run_rate ? 1 : 0;
    out->has_trend = p.trend ? 1 : 0;
    out->reserved = 0;
    out->actual = p.actual;
    out->run_rate = p.run_rate.value_or(nan_value);
    out->trend = p.trend.value_or(nan_value);
  });
}

}  // extern "C"
