// The streaming engine through the C ABI: flat versioned records in, KPIs out. Each function is a thin
// shim: convert the flat C structs into the C++ records, call kpi::engine, translate errors.
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "guard.hpp"
#include "kpi/catalog.hpp"
#include "kpi/engine.hpp"

/// The opaque handle: the C++ engine plus the query parameters set through kpi_engine_set_param().
struct kpi_engine {
  kpi::engine engine;
  kpi::kpi_params params;
};

namespace {

using kpi::capi::require;

std::string text(const char *s) {
  return s == nullptr ? std::string() : std::string(s);
}

std::optional<kpi::timestamp> optional_time(std::int64_t ms) {
  if (ms == KPI_NO_TIME) return std::nullopt;
  return kpi::timestamp(std::chrono::milliseconds(ms));
}

kpi::timestamp time_of(std::int64_t ms) {
  return kpi::timestamp(std::chrono::milliseconds(ms));
}

std::optional<double> optional_seconds(double s) {
  if (std::isnan(s)) return std::nullopt;
  return s;
}

kpi::money money_of(const kpi_engine &e, std::int64_t minor, const char *code) {
  const kpi::currency cur =
      code == nullptr || *code == '\0' ? e.engine.options().default_currency : kpi::currency::of(code);
  return kpi::money{minor, cur};
}

kpi::call_record convert(const kpi_engine &, const kpi_call_record &c) {
  kpi::call_record r;
  r.call_id = text(c.call_id);
  r.agent_id = text(c.agent_id);
  r.team_id = text(c.team_id);
  r.campaign_id = text(c.campaign_id);
  r.queue_id = text(c.queue_id);
  r.caller = text(c.caller);
  r.direction = static_cast<kpi::direction>(c.direction);
  r.outcome = static_cast<kpi::call_outcome>(c.outcome);
  r.start = time_of(c.start_ms);
  r.wait_s = optional_seconds(c.wait_s);
  r.talk_s = c.talk_s;
  r.hold_s = optional_seconds(c.hold_s);
  r.acw_s = optional_seconds(c.acw_s);
  return r;
}

kpi::order_record convert(const kpi_engine &e, const kpi_order_record &c) {
  kpi::order_record r;
  r.order_id = text(c.order_id);
  r.customer_id = text(c.customer_id);
  r.agent_id = text(c.agent_id);
  r.team_id = text(c.team_id);
  r.campaign_id = text(c.campaign_id);
  r.call_id = text(c.call_id);
  r.time = time_of(c.time_ms);
  r.amount = money_of(e, c.amount_minor, c.currency);
  if (c.has_cost != 0) r.cost = kpi::money{c.cost_minor, r.amount.cur};
  r.kind = static_cast<kpi::order_kind>(c.kind);
  return r;
}

kpi::lead_record convert(const kpi_engine &, const kpi_lead_record &c) {
  kpi::lead_record r;
  r.lead_id = text(c.lead_id);
  r.agent_id = text(c.agent_id);
  r.campaign_id = text(c.campaign_id);
  r.source = text(c.source);
  r.created = time_of(c.created_ms);
  r.first_contact = optional_time(c.first_contact_ms);
  r.mql = optional_time(c.mql_ms);
  r.sql = optional_time(c.sql_ms);
  r.opportunity = optional_time(c.opportunity_ms);
  r.won = optional_time(c.won_ms);
  r.lost = optional_time(c.lost_ms);
  return r;
}

kpi::opportunity_record convert(const kpi_engine &e, const kpi_opportunity_record &c) {
  kpi::opportunity_record r;
  r.opportunity_id = text(c.opportunity_id);
  r.lead_id = text(c.lead_id);
  r.agent_id = text(c.agent_id);
  r.team_id = text(c.team_id);
  r.campaign_id = text(c.campaign_id);
  r.created = time_of(c.created_ms);
  r.closed = optional_time(c.closed_ms);
  r.status = static_cast<kpi::opportunity_status>(c.status);
  r.amount = money_of(e, c.amount_minor, c.currency);
  r.probability = optional_seconds(c.probability);
  return r;
}

kpi::customer_record convert(const kpi_engine &, const kpi_customer_record &c) {
  kpi::customer_record r;
  r.customer_id = text(c.customer_id);
  r.acquired = time_of(c.acquired_ms);
  r.churned = optional_time(c.churned_ms);
  r.campaign_id = text(c.campaign_id);
  return r;
}

kpi::spend_record convert(const kpi_engine &e, const kpi_spend_record &c) {
  kpi::spend_record r;
  r.campaign_id = text(c.campaign_id);
  r.channel = text(c.channel);
  r.start = time_of(c.start_ms);
  r.end = time_of(c.end_ms);
  r.amount = money_of(e, c.amount_minor, c.currency);
  return r;
}

/// Enum fields arrive as int32: an out-of-range value is rejected here, before it becomes a C++ enum.
void check_enum(std::int32_t v, std::int32_t max, const char *field) {
  if (v < 0 || v > max) {
    throw kpi::error(kpi::errc::invalid_argument,
                     std::string(field) + " " + std::to_string(v) + " is out of range");
  }
}
void check_enums(const kpi_call_record &c) {
  check_enum(c.direction, KPI_DIRECTION_INBOUND, "direction");
  check_enum(c.outcome, KPI_OUTCOME_TIMEOUT, "outcome");
}
void check_enums(const kpi_order_record &c) {
  check_enum(c.kind, KPI_ORDER_CROSS_SELL, "kind");
}
void check_enums(const kpi_opportunity_record &c) {
  check_enum(c.status, KPI_OPPORTUNITY_LOST, "status");
}
void check_enums(const kpi_lead_record &) {}
void check_enums(const kpi_customer_record &) {}
void check_enums(const kpi_spend_record &) {}

/// Adds `count` records laid out `stride` bytes apart. Each record's own `version` says how many of its
/// bytes are there (only version 1 exists so far, so each must be at least sizeof(Record)). A record the
/// engine finds invalid is counted as rejected (kpi_engine_counts()); a record that cannot even be
/// converted (an enum out of range, an unknown currency code, a bad version) stops the call with an
/// error, the records before it added and counted in *accepted_out.
template <class Record>
int add_records(kpi_engine *engine, const Record *records, std::size_t count, std::size_t stride,
                std::size_t *accepted_out, std::uint32_t current_version, const char *name) {
  if (accepted_out != nullptr) *accepted_out = 0;
  return kpi::capi::guarded([&] {
    require(engine, "engine");
    if (count > 0) require(records, "records");
    if (count > 0 && stride < sizeof(Record)) {
      throw kpi::error(kpi::errc::invalid_argument, "stride " + std::to_string(stride) + " is smaller than " +
                                                        name + " version 1 (" +
                                                        std::to_string(sizeof(Record)) + " bytes)");
    }
    const auto *bytes = reinterpret_cast<const unsigned char *>(records);
    for (std::size_t i = 0; i < count; ++i) {
      Record r;
      std::memcpy(&r, bytes + i * stride, sizeof r);
      kpi::capi::check_version(r.version, current_version, name);
      check_enums(r);
      if (engine->engine.add(convert(*engine, r)) && accepted_out != nullptr) ++*accepted_out;
    }
  });
}

kpi::period parse_query_period(const char *label) {
  if (label == nullptr) return kpi::period{kpi::period_kind::none, 0};
  try {
    return kpi::parse_period(label);
  } catch (const kpi::error &e) {
    throw kpi::error(kpi::errc::invalid_argument, e.what());
  }
}

kpi::group_filter make_filter(const std::int32_t *dims, const char *const *values, std::size_t count) {
  kpi::group_filter filter;
  if (count > 0) {
    require(dims, "dims");
    require(values, "values");
  }
  for (std::size_t i = 0; i < count; ++i) {
    check_enum(dims[i], KPI_DIM_SOURCE, "dimension");
    require(values[i], "values[i]");
    filter.where(static_cast<kpi::dimension>(dims[i]), values[i]);
  }
  return filter;
}

/// Writes `bytes` into a caller buffer with the size-query protocol.
int write_buffer(void *buffer, std::size_t capacity, std::size_t *written_out, const std::string &bytes,
                 bool nul_terminate) {
  require(written_out, "written_out");
  const std::size_t needed = bytes.size() + (nul_terminate ? 1 : 0);
  *written_out = needed;
  if (buffer == nullptr || capacity < needed) {
    return kpi::capi::fail(KPI_EBUFS, ("buffer of " + std::to_string(capacity) +
                                       " bytes is too small: " + std::to_string(needed) + " needed")
                                          .c_str());
  }
  std::memcpy(buffer, bytes.data(), bytes.size());
  if (nul_terminate) static_cast<char *>(buffer)[bytes.size()] = '\0';
  return KPI_OK;
}

struct param_range {
  double lo, hi;
};

param_range bounds_of(std::int32_t key) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (key) {
    case KPI_PARAM_SHORT_CALL_THRESHOLD_S:
    case KPI_PARAM_SERVICE_LEVEL_THRESHOLD_S:
    case KPI_PARAM_SHORT_ABANDON_THRESHOLD_S:
    case KPI_PARAM_REPEAT_CALL_WINDOW_DAYS:
    case KPI_PARAM_CALLBACK_WINDOW_HOURS:
    case KPI_PARAM_CLV_DISCOUNT:
      return {0, inf};
    case KPI_PARAM_SERVICE_LEVEL_VARIANT:
      return {0, 4};
    case KPI_PARAM_TIMEOUTS_AS_ABANDONS:
    case KPI_PARAM_LEAD_TO_OPPORTUNITY_MODE:
    case KPI_PARAM_WIN_RATE_MODE:
    case KPI_PARAM_SALES_GROWTH_BASE:
    case KPI_PARAM_CHURN_FORMULA:
    case KPI_PARAM_MARKETING_ROI_BASIS:
      return {0, 1};
    case KPI_PARAM_REVENUE_PER_CALL_DENOMINATOR:
      return {0, 2};
    case KPI_PARAM_SALES_GROWTH_OF:
      return {1, 999};
    case KPI_PARAM_CLV_MARGIN:
      return {-inf, inf};
    case KPI_PARAM_CLV_RETENTION:
      return {0, 1};
    case KPI_PARAM_CHURN_INACTIVITY_DAYS:
      return {0, 36500};
    case KPI_PARAM_CONTROL_REVENUE:
      return {0, inf};
    case KPI_PARAM_CONTROL_SIZE:
    case KPI_PARAM_TREATED_SIZE:
      return {std::numeric_limits<double>::min(), inf};
    default:
      throw kpi::error(kpi::errc::invalid_argument, "unknown parameter key " + std::to_string(key));
  }
}

void set_param(kpi::kpi_params &p, std::int32_t key, double v) {
  const bool measured = std::isnan(v) && (key == KPI_PARAM_CLV_MARGIN || key == KPI_PARAM_CLV_RETENTION ||
                                          key == KPI_PARAM_CONTROL_REVENUE);
  const param_range range = bounds_of(key);
  if (!measured && !(v >= range.lo && v <= range.hi)) {
    throw kpi::error(kpi::errc::invalid_argument,
                     "parameter " + std::to_string(key) + " value " + std::to_string(v) + " is outside [" +
                         std::to_string(range.lo) + ", " + std::to_string(range.hi) + "]");
  }
  const auto as_int = static_cast<std::int32_t>(v);
  switch (key) {
    case KPI_PARAM_SHORT_CALL_THRESHOLD_S:
      p.short_call_threshold_s = v;
      break;
    case KPI_PARAM_SERVICE_LEVEL_THRESHOLD_S:
      p.service_level_threshold_s = v;
      break;
    case KPI_PARAM_SERVICE_LEVEL_VARIANT:
      p.service_level_formula = static_cast<kpi::service_level_variant>(as_int);
      break;
    case KPI_PARAM_SHORT_ABANDON_THRESHOLD_S:
      p.short_abandon_threshold_s = v;
      break;
    case KPI_PARAM_TIMEOUTS_AS_ABANDONS:
      p.timeouts_as_abandons = v != 0;
      break;
    case KPI_PARAM_REPEAT_CALL_WINDOW_DAYS:
      p.repeat_call_window_days = v;
      break;
    case KPI_PARAM_CALLBACK_WINDOW_HOURS:
      p.callback_window_hours = v;
      break;
    case KPI_PARAM_REVENUE_PER_CALL_DENOMINATOR:
      p.revenue_per_call_denominator = static_cast<kpi::calls_denominator>(as_int);
      break;
    case KPI_PARAM_LEAD_TO_OPPORTUNITY_MODE:
      p.lead_to_opportunity_mode = static_cast<kpi::funnel_mode>(as_int);
      break;
    case KPI_PARAM_WIN_RATE_MODE:
      p.win_rate_mode = static_cast<kpi::funnel_mode>(as_int);
      break;
    case KPI_PARAM_SALES_GROWTH_BASE:
      p.sales_growth_base = static_cast<kpi::growth_base>(as_int);
      break;
    case KPI_PARAM_SALES_GROWTH_OF:
      (void)kpi::info(static_cast<kpi::kpi_id>(as_int));  // unknown id: errc::unknown_kpi
      p.sales_growth_of = static_cast<kpi::kpi_id>(as_int);
      break;
    case KPI_PARAM_CHURN_FORMULA:
      p.churn_formula = static_cast<kpi::churn_denominator>(as_int);
      break;
    case KPI_PARAM_MARKETING_ROI_BASIS:
      p.marketing_roi_basis = static_cast<kpi::roi_basis>(as_int);
      break;
    case KPI_PARAM_CLV_MARGIN:
      p.clv_margin = measured ? std::nullopt : std::optional<double>(v);
      break;
    case KPI_PARAM_CLV_RETENTION:
      p.clv_retention = measured ? std::nullopt : std::optional<double>(v);
      break;
    case KPI_PARAM_CLV_DISCOUNT:
      p.clv_discount = v;
      break;
    case KPI_PARAM_CHURN_INACTIVITY_DAYS:
      p.churn_inactivity_days = v;
      break;
    case KPI_PARAM_CONTROL_REVENUE:
      p.control_revenue = measured ? std::nullopt : std::optional<double>(v);
      break;
    case KPI_PARAM_CONTROL_SIZE:
      p.control_size = v;
      break;
    case KPI_PARAM_TREATED_SIZE:
      p.treated_size = v;
      break;
    default:
      break;  // bounds_of() already rejected unknown keys
  }
  p.validate();
}

}  // namespace

extern "C" {

KPI_API int kpi_param_bounds(double *lo, double *hi, int32_t key) {
  return kpi::capi::guarded([&] {
    require(lo, "lo");
    require(hi, "hi");
    const param_range r = bounds_of(key);
    *lo = r.lo;
    *hi = r.hi;
  });
}

KPI_API int kpi_engine_options_init(kpi_engine_options *options, uint32_t version) {
  return kpi::capi::guarded([&] {
    require(options, "options");
    kpi::capi::check_version(version, KPI_ENGINE_OPTIONS_VERSION, "kpi_engine_options");
    const kpi_engine_options defaults KPI_ENGINE_OPTIONS_INIT;
    // A version 1 struct ends before track_order_activity: write only the fields it has.
    const std::size_t size =
        version == 1 ? offsetof(kpi_engine_options, track_order_activity) : sizeof(kpi_engine_options);
    std::memcpy(static_cast<void *>(options), &defaults, size);
    options->version = version;
  });
}

KPI_API int kpi_engine_new(kpi_engine **out, const kpi_engine_options *options) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = nullptr;
    const kpi_engine_options defaults KPI_ENGINE_OPTIONS_INIT;
    const kpi_engine_options &o = options != nullptr ? *options : defaults;
    kpi::capi::check_version(o.version, KPI_ENGINE_OPTIONS_VERSION, "kpi_engine_options");
    kpi::engine_options cpp;
    if (o.group_by_count > 0) require(o.group_by, "options->group_by");
    for (std::size_t i = 0; i < o.group_by_count; ++i) {
      check_enum(o.group_by[i], KPI_DIM_SOURCE, "group_by dimension");
      cpp.group_by.push_back(static_cast<kpi::dimension>(o.group_by[i]));
    }
    check_enum(o.period, KPI_PERIOD_YEAR, "period");
    cpp.period = static_cast<kpi::period_kind>(o.period);
    if (o.time_zone != nullptr) {
      try {
        cpp.zone = kpi::time_zone::locate(o.time_zone);
      } catch (const kpi::error &e) {
        throw kpi::error(kpi::errc::invalid_argument, e.what());
      }
    }
    if (o.default_currency != nullptr) cpp.default_currency = kpi::currency::of(o.default_currency);
    cpp.deduplicate = o.deduplicate != 0;
    cpp.track_callers = o.track_callers != 0;
    cpp.track_first_orders = o.track_first_orders != 0;
    if (o.version >= 2) {  // fields of version 2 (a version 1 struct is shorter: never read them)
      cpp.track_order_activity = o.track_order_activity != 0;
      cpp.order_activity_resolution_days = o.order_activity_resolution_days;
    }
    *out = new kpi_engine{kpi::engine(std::move(cpp)), {}};
  });
}

KPI_API void kpi_engine_free(kpi_engine *engine) {
  delete engine;
}

KPI_API int kpi_engine_set_rate(kpi_engine *engine, const char *from, const char *rate_decimal) {
  return kpi::capi::guarded([&] {
    require(engine, "engine");
    require(from, "from");
    require(rate_decimal, "rate_decimal");
    const kpi::engine_options &o = engine->engine.options();
    if (o.default_currency == kpi::currency()) {
      throw kpi::error(kpi::errc::invalid_argument, "conversion rates need the engine's default_currency");
    }
    kpi::rate_table rates = o.rates ? *o.rates : kpi::rate_table(o.default_currency);
    rates.set(kpi::currency::of(from), std::string_view(rate_decimal));
    engine->engine.set_rates(std::move(rates));
  });
}

KPI_API int kpi_engine_set_param(kpi_engine *engine, int32_t key, double value) {
  return kpi::capi::guarded([&] {
    require(engine, "engine");
    kpi::kpi_params updated = engine->params;
    set_param(updated, key, value);
    engine->params = updated;
  });
}

KPI_API int kpi_engine_add_calls(kpi_engine *engine, const kpi_call_record *records, size_t count,
                                 size_t stride, size_t *accepted_out) {
  return add_records(engine, records, count, stride, accepted_out, KPI_CALL_RECORD_VERSION,
                     "kpi_call_record");
}

KPI_API int kpi_engine_add_orders(kpi_engine *engine, const kpi_order_record *records, size_t count,
                                  size_t stride, size_t *accepted_out) {
  return add_records(engine, records, count, stride, accepted_out, KPI_ORDER_RECORD_VERSION,
                     "kpi_order_record");
}

KPI_API int kpi_engine_add_leads(kpi_engine *engine, const kpi_lead_record *records, size_t count,
                                 size_t stride, size_t *accepted_out) {
  return add_records(engine, records, count, stride, accepted_out, KPI_LEAD_RECORD_VERSION,
                     "kpi_lead_record");
}

KPI_API int kpi_engine_add_opportunities(kpi_engine *engine, const kpi_opportunity_record *records,
                                         size_t count, size_t stride, size_t *accepted_out) {
  return add_records(engine, records, count, stride, accepted_out, KPI_OPPORTUNITY_RECORD_VERSION,
                     "kpi_opportunity_record");
}

KPI_API int kpi_engine_add_customers(kpi_engine *engine, const kpi_customer_record *records, size_t count,
                                     size_t stride, size_t *accepted_out) {
  return add_records(engine, records, count, stride, accepted_out, KPI_CUSTOMER_RECORD_VERSION,
                     "kpi_customer_record");
}

KPI_API int kpi_engine_add_spend(kpi_engine *engine, const kpi_spend_record *records, size_t count,
                                 size_t stride, size_t *accepted_out) {
  return add_records(engine, records, count, stride, accepted_out, KPI_SPEND_RECORD_VERSION,
                     "kpi_spend_record");
}

KPI_API int kpi_engine_add_call_columns(kpi_engine *engine, const kpi_call_columns *columns,
                                        size_t *accepted_out) {
  return kpi::capi::guarded([&] {
    require(engine, "engine");
    require(columns, "columns");
    const kpi_call_columns &c = *columns;
    kpi::capi::check_version(c.version, KPI_CALL_COLUMNS_VERSION, "kpi_call_columns");
    const std::size_t n = c.rows;
    if (n > 0) {
      require(c.start_ms, "columns->start_ms");
      require(c.direction, "columns->direction");
      require(c.outcome, "columns->outcome");
      require(c.talk_s, "columns->talk_s");
    }
    // Dictionaries become string_view tables (a copy of pointers and lengths, not of the text).
    std::vector<std::vector<std::string_view>> dictionaries;
    dictionaries.reserve(5);
    auto column = [&](const std::int32_t *codes, const char *const *dict, std::size_t size,
                      const char *name) {
      kpi::dictionary_column out;
      if (codes == nullptr) return out;
      if (size > 0) require(dict, name);
      auto &views = dictionaries.emplace_back();
      views.reserve(size);
      for (std::size_t i = 0; i < size; ++i) views.emplace_back(dict[i] == nullptr ? "" : dict[i]);
      out.codes = std::span<const std::int32_t>(codes, n);
      out.dictionary = views;
      return out;
    };
    kpi::call_columns batch;
    batch.rows = n;
    batch.agent_id = column(c.agent_codes, c.agent_dictionary, c.agent_dictionary_size, "agent_dictionary");
    batch.team_id = column(c.team_codes, c.team_dictionary, c.team_dictionary_size, "team_dictionary");
    batch.campaign_id =
        column(c.campaign_codes, c.campaign_dictionary, c.campaign_dictionary_size, "campaign_dictionary");
    batch.queue_id = column(c.queue_codes, c.queue_dictionary, c.queue_dictionary_size, "queue_dictionary");
    batch.caller = column(c.caller_codes, c.caller_dictionary, c.caller_dictionary_size, "caller_dictionary");
    std::vector<std::string_view> ids;
    if (c.call_ids != nullptr) {
      ids.reserve(n);
      for (std::size_t i = 0; i < n; ++i) ids.emplace_back(c.call_ids[i] == nullptr ? "" : c.call_ids[i]);
      batch.call_id = ids;
    }
    if (n > 0) {
      batch.direction = {c.direction, n};
      batch.start_ms = {c.start_ms, n};
      batch.talk_s = {c.talk_s, n};
      batch.outcome = {c.outcome, n};
      if (c.wait_s != nullptr) batch.wait_s = {c.wait_s, n};
      if (c.hold_s != nullptr) batch.hold_s = {c.hold_s, n};
      if (c.acw_s != nullptr) batch.acw_s = {c.acw_s, n};
    }
    const std::size_t accepted = engine->engine.add_calls(batch);
    if (accepted_out != nullptr) *accepted_out = accepted;
  });
}

KPI_API int kpi_engine_merge(kpi_engine *dst, const kpi_engine *src) {
  return kpi::capi::guarded([&] {
    require(dst, "dst");
    require(src, "src");
    dst->engine.merge(src->engine);
  });
}

KPI_API int kpi_engine_evaluate(double *out, const kpi_engine *engine, int32_t kpi_id, const int32_t *dims,
                                const char *const *values, size_t count, const char *period) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = std::numeric_limits<double>::quiet_NaN();
    require(engine, "engine");
    const kpi::value v =
        engine->engine.evaluate(static_cast<kpi::kpi_id>(kpi_id), make_filter(dims, values, count),
                                parse_query_period(period), engine->params);
    if (!v) return KPI_EUNDEFINED;
    *out = *v;
    return KPI_OK;
  });
}

KPI_API int kpi_engine_evaluate_many(double *out, int *status_out, const kpi_engine *engine,
                                     const int32_t *kpi_ids, size_t count_kpis, const int32_t *dims,
                                     const char *const *values, size_t count, const char *period) {
  return kpi::capi::guarded([&] {
    require(engine, "engine");
    if (count_kpis > 0) {
      require(out, "out");
      require(kpi_ids, "kpi_ids");
    }
    const kpi::group_filter filter = make_filter(dims, values, count);
    const kpi::period p = parse_query_period(period);
    std::vector<kpi::value> results;
    results.reserve(count_kpis);
    for (std::size_t i = 0; i < count_kpis; ++i) {
      results.push_back(
          engine->engine.evaluate(static_cast<kpi::kpi_id>(kpi_ids[i]), filter, p, engine->params));
    }
    // Outputs are written only once every KPI succeeded.
    for (std::size_t i = 0; i < count_kpis; ++i) {
      out[i] = results[i] ? *results[i] : std::numeric_limits<double>::quiet_NaN();
      if (status_out != nullptr) status_out[i] = results[i] ? KPI_OK : KPI_EUNDEFINED;
    }
  });
}

KPI_API int kpi_engine_report_json(char *buffer, size_t capacity, size_t *written_out,
                                   const kpi_engine *engine, const int32_t *kpi_ids, size_t count_kpis,
                                   const int32_t *group_by, size_t group_by_count, int32_t period) {
  return kpi::capi::guarded([&] {
    require(written_out, "written_out");
    require(engine, "engine");
    if (count_kpis > 0) require(kpi_ids, "kpi_ids");
    if (group_by_count > 0) require(group_by, "group_by");
    kpi::report_request request;
    for (std::size_t i = 0; i < count_kpis; ++i) request.kpis.push_back(static_cast<kpi::kpi_id>(kpi_ids[i]));
    for (std::size_t i = 0; i < group_by_count; ++i) {
      check_enum(group_by[i], KPI_DIM_SOURCE, "group_by dimension");
      request.group_by.push_back(static_cast<kpi::dimension>(group_by[i]));
    }
    check_enum(period, KPI_PERIOD_YEAR, "period");
    request.period = static_cast<kpi::period_kind>(period);
    request.params = engine->params;
    return write_buffer(buffer, capacity, written_out, kpi::to_json(engine->engine.make_report(request)),
                        true);
  });
}

KPI_API int kpi_engine_counts(kpi_ingest_counts *out, const kpi_engine *engine) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    kpi::capi::check_version(out->version, KPI_INGEST_COUNTS_VERSION, "kpi_ingest_counts");
    require(engine, "engine");
    const kpi::ingest_counts &c = engine->engine.counts();
    out->read = c.read;
    out->accepted = c.accepted;
    out->rejected = c.rejected;
    out->duplicates = c.duplicates;
    out->late = c.late;
  });
}

KPI_API int kpi_engine_save(void *buffer, size_t capacity, size_t *written_out, const kpi_engine *engine) {
  return kpi::capi::guarded([&] {
    require(written_out, "written_out");
    require(engine, "engine");
    return write_buffer(buffer, capacity, written_out, engine->engine.save(), false);
  });
}

KPI_API int kpi_engine_load(kpi_engine **out, const void *bytes, size_t size) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = nullptr;
    if (size > 0) require(bytes, "bytes");
    *out = new kpi_engine{kpi::engine::load(std::string_view(static_cast<const char *>(bytes), size)), {}};
  });
}

}  // extern "C"
