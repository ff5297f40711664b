// The customer value models module of the C ABI: extern "C" shims over kpi/models/*.hpp.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guard.hpp"
#include "kpi/models/bgnbd.hpp"
#include "kpi/models/clv.hpp"
#include "kpi/models/gamma_gamma.hpp"
#include "kpi/models/sbg.hpp"
#include "kpi/models/summary.hpp"

struct kpi_customer_set {
  std::vector<kpi::models::customer_summary> customers;
};

namespace {

namespace m = kpi::models;
using kpi::capi::check_version;
using kpi::capi::require;

m::time_unit to_unit(int32_t unit) {
  if (unit == KPI_TIME_UNIT_DAY) return m::time_unit::day;
  if (unit == KPI_TIME_UNIT_WEEK) return m::time_unit::week;
  throw kpi::error(
      kpi::errc::invalid_argument,
      "time unit must be KPI_TIME_UNIT_DAY (0) or KPI_TIME_UNIT_WEEK (1), got " + std::to_string(unit));
}

// Arrays may be NULL only when there are no elements.
void require_array(const void *p, std::size_t count, const char *name) {
  if (count > 0) require(p, name);
}

m::fit_options to_fit(const kpi_fit_options *o) {
  m::fit_options f;
  if (o == nullptr) return f;
  check_version(o->version, KPI_FIT_OPTIONS_VERSION, "kpi_fit_options");
  f.max_iterations = o->max_iterations;
  f.tolerance = o->tolerance;
  return f;
}

m::summary_options to_summary_options(const kpi_summary_options *o) {
  m::summary_options s;
  if (o == nullptr) return s;
  check_version(o->version, KPI_SUMMARY_OPTIONS_VERSION, "kpi_summary_options");
  s.unit = to_unit(o->unit);
  if (o->has_calibration_end != 0 && o->has_calibration_end != 1)
    throw kpi::error(kpi::errc::invalid_argument, "kpi_summary_options.has_calibration_end must be 0 or 1");
  if (o->reserved != 0)
    throw kpi::error(kpi::errc::invalid_argument, "kpi_summary_options.reserved must be 0");
  if (o->has_calibration_end == 1) s.calibration_end_ms = o->calibration_end_ms;
  if (o->time_zone != nullptr) s.time_zone = o->time_zone;
  return s;
}

m::clv_options to_clv_options(const kpi_clv_options *o) {
  m::clv_options c;
  if (o == nullptr) return c;
  check_version(o->version, KPI_CLV_OPTIONS_VERSION, "kpi_clv_options");
  if (o->reserved != 0) throw kpi::error(kpi::errc::invalid_argument, "kpi_clv_options.reserved must be 0");
  c.horizon_months = o->horizon_months;
  c.unit = to_unit(o->unit);
  c.monthly_discount = o->monthly_discount;
  c.units_per_month = o->units_per_month;
  return c;
}

// Customers from parallel arrays; any of t_x, T, zbar may be NULL (then 0).
std::vector<m::customer_summary> gather(const double *x, const double *t_x, const double *T,
                                        const double *zbar, std::size_t count) {
  std::vector<m::customer_summary> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i].x = x[i];
    out[i].t_x = t_x != nullptr ? t_x[i] : 0.0;
    out[i].T = T != nullptr ? T[i] : 0.0;
    out[i].zbar = zbar != nullptr ? zbar[i] : 0.0;
    out[i].id = std::to_string(i);  // position, for error messages
    m::validate(out[i]);
  }
  return out;
}

const kpi_bgnbd &checked(const kpi_bgnbd *p) {
  require(p, "model");
  check_version(p->version, KPI_BGNBD_VERSION, "kpi_bgnbd");
  return *p;
}

m::bgnbd_params params_of(const kpi_bgnbd &p) {
  return {p.r, p.alpha, p.a, p.b};
}

const kpi_gamma_gamma &checked(const kpi_gamma_gamma *p) {
  require(p, "model");
  check_version(p->version, KPI_GAMMA_GAMMA_VERSION, "kpi_gamma_gamma");
  return *p;
}

m::gamma_gamma_params params_of(const kpi_gamma_gamma &p) {
  return {p.p, p.q, p.gamma};
}

const kpi_sbg &checked(const kpi_sbg *p) {
  require(p, "model");
  check_version(p->version, KPI_SBG_VERSION, "kpi_sbg");
  return *p;
}

m::sbg_params params_of(const kpi_sbg &p) {
  return {p.alpha, p.beta};
}

std::ifstream open_file(const char *path) {
  require(path, "path");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw kpi::error(kpi::errc::io, std::string("cannot open '") + path + "' for reading");
  return in;
}

template <class T>
int init_struct(T *s, uint32_t version, uint32_t current, const char *name, const T &defaults) {
  return kpi::capi::guarded([&] {
    require(s, name);
    check_version(version, current, name);
    *s = defaults;
    s->version = version;
  });
}

}  // namespace

extern "C" {

KPI_API int kpi_models_units_per_month(double *out, int32_t unit) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = m::units_per_month(to_unit(unit));
  });
}

KPI_API int kpi_fit_options_init(kpi_fit_options *options, uint32_t version) {
  const kpi_fit_options d = KPI_FIT_OPTIONS_INIT;
  return init_struct(options, version, KPI_FIT_OPTIONS_VERSION, "kpi_fit_options", d);
}

KPI_API int kpi_summary_options_init(kpi_summary_options *options, uint32_t version) {
  const kpi_summary_options d = KPI_SUMMARY_OPTIONS_INIT;
  return init_struct(options, version, KPI_SUMMARY_OPTIONS_VERSION, "kpi_summary_options", d);
}

KPI_API int kpi_customer_init(kpi_customer *customer, uint32_t version) {
  const kpi_customer d = KPI_CUSTOMER_INIT;
  return init_struct(customer, version, KPI_CUSTOMER_VERSION, "kpi_customer", d);
}

KPI_API int kpi_customer_set_new(kpi_customer_set **out) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = nullptr;
    *out = new kpi_customer_set();
  });
}

KPI_API void kpi_customer_set_free(kpi_customer_set *set) {
  delete set;
}

KPI_API int kpi_customer_set_add(kpi_customer_set *set, const kpi_customer *customer) {
  return kpi::capi::guarded([&] {
    require(set, "set");
    require(customer, "customer");
    check_version(customer->version, KPI_CUSTOMER_VERSION, "kpi_customer");
    m::customer_summary c{customer->id != nullptr ? customer->id : "", customer->x, customer->t_x,
                          customer->T, customer->zbar};
    m::validate(c);
    set->customers.push_back(std::move(c));
  });
}

KPI_API int kpi_customer_set_add_transactions(kpi_customer_set *set, const char *const *customer_ids,
                                              const int64_t *time_ms, const double *amounts, size_t count,
                                              const kpi_summary_options *options) {
  return kpi::capi::guarded([&] {
    require(set, "set");
    require_array(customer_ids, count, "customer_ids");
    require_array(time_ms, count, "time_ms");
    require_array(amounts, count, "amounts");
    const m::summary_options o = to_summary_options(options);
    std::vector<m::transaction> tx(count);
    for (std::size_t i = 0; i < count; ++i) {
      if (customer_ids[i] == nullptr)
        throw kpi::error(kpi::errc::null_pointer, "customer_ids[" + std::to_string(i) + "] is NULL");
      tx[i] = {customer_ids[i], time_ms[i], amounts[i]};
    }
    auto customers = m::summarize(tx, o);
    set->customers.insert(set->customers.end(), std::make_move_iterator(customers.begin()),
                          std::make_move_iterator(customers.end()));
  });
}

KPI_API int kpi_customer_set_read_transactions(kpi_customer_set *set, const char *path,
                                               const kpi_summary_options *options) {
  return kpi::capi::guarded([&] {
    require(set, "set");
    const m::summary_options o = to_summary_options(options);
    std::ifstream in = open_file(path);
    const auto tx = m::read_transactions(in, path, o.time_zone);
    auto customers = m::summarize(tx, o);
    set->customers.insert(set->customers.end(), std::make_move_iterator(customers.begin()),
                          std::make_move_iterator(customers.end()));
  });
}

KPI_API int kpi_customer_set_read_summary_csv(kpi_customer_set *set, const char *path) {
  return kpi::capi::guarded([&] {
    require(set, "set");
    std::ifstream in = open_file(path);
    auto customers = m::read_summary(in, path);
    set->customers.insert(set->customers.end(), std::make_move_iterator(customers.begin()),
                          std::make_move_iterator(customers.end()));
  });
}

KPI_API int kpi_customer_set_count(size_t *out, const kpi_customer_set *set) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    require(set, "set");
    *out = set->customers.size();
  });
}

KPI_API int kpi_customer_set_get(kpi_customer *out, const kpi_customer_set *set, size_t index) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    require(set, "set");
    check_version(out->version, KPI_CUSTOMER_VERSION, "kpi_customer");
    if (index >= set->customers.size())
      throw kpi::error(kpi::errc::invalid_argument, "index " + std::to_string(index) +
                                                        " is out of range (count " +
                                                        std::to_string(set->customers.size()) + ")");
    const auto &c = set->customers[index];
    out->id = c.id.c_str();
    out->x = c.x;
    out->t_x = c.t_x;
    out->T = c.T;
    out->zbar = c.zbar;
  });
}

KPI_API int kpi_customer_set_columns(double *x_out, double *t_x_out, double *T_out, double *zbar_out,
                                     size_t capacity, const kpi_customer_set *set) {
  return kpi::capi::guarded([&]() -> int {
    require(set, "set");
    const auto &cs = set->customers;
    if (capacity < cs.size())
      return kpi::capi::fail(KPI_EBUFS, ("the arrays hold " + std::to_string(capacity) +
                                         " elements; the set has " + std::to_string(cs.size()) + " customers")
                                            .c_str());
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (x_out != nullptr) x_out[i] = cs[i].x;
      if (t_x_out != nullptr) t_x_out[i] = cs[i].t_x;
      if (T_out != nullptr) T_out[i] = cs[i].T;
      if (zbar_out != nullptr) zbar_out[i] = cs[i].zbar;
    }
    return KPI_OK;
  });
}

KPI_API int kpi_bgnbd_init(kpi_bgnbd *model, uint32_t version) {
  const kpi_bgnbd d = KPI_BGNBD_INIT;
  return init_struct(model, version, KPI_BGNBD_VERSION, "kpi_bgnbd", d);
}

KPI_API int kpi_bgnbd_fit(kpi_bgnbd *out, const double *x, const double *t_x, const double *T, size_t count,
                          const kpi_fit_options *options) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    check_version(out->version, KPI_BGNBD_VERSION, "kpi_bgnbd");
    require_array(x, count, "x");
    require_array(t_x, count, "t_x");
    require_array(T, count, "T");
    const m::fit_options f = to_fit(options);
    const auto fit = m::fit_bgnbd(gather(x, t_x, T, nullptr, count), f);
    out->iterations = fit.iterations;
    out->customers = fit.customers;
    out->r = fit.params.r;
    out->alpha = fit.params.alpha;
    out->a = fit.params.a;
    out->b = fit.params.b;
    out->loglik = fit.loglik;
  });
}

KPI_API int kpi_bgnbd_loglik(double *out, const kpi_bgnbd *model, const double *x, const double *t_x,
                             const double *T, size_t count) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    const kpi_bgnbd &p = checked(model);
    require_array(x, count, "x");
    require_array(t_x, count, "t_x");
    require_array(T, count, "T");
    *out = m::bgnbd_loglik(params_of(p), gather(x, t_x, T, nullptr, count));
  });
}

KPI_API int kpi_bgnbd_expected_purchases(double *out, const kpi_bgnbd *model, double t) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = m::bgnbd_expected_purchases(params_of(checked(model)), t);
  });
}

KPI_API int kpi_bgnbd_conditional_expected_purchases(double *out, const kpi_bgnbd *model, double t,
                                                     const double *x, const double *t_x, const double *T,
                                                     size_t count) {
  return kpi::capi::guarded([&] {
    require_array(out, count, "out");
    const m::bgnbd_params p = params_of(checked(model));
    require_array(x, count, "x");
    require_array(t_x, count, "t_x");
    require_array(T, count, "T");
    std::vector<double> result(count);
    for (std::size_t i = 0; i < count; ++i)
      result[i] = m::bgnbd_conditional_expected_purchases(p, t, x[i], t_x[i], T[i]);
    std::copy(result.begin(), result.end(), out);
  });
}

KPI_API int kpi_bgnbd_p_alive(double *out, const kpi_bgnbd *model, const double *x, const double *t_x,
                              const double *T, size_t count) {
  return kpi::capi::guarded([&] {
    require_array(out, count, "out");
    const m::bgnbd_params p = params_of(checked(model));
    require_array(x, count, "x");
    require_array(t_x, count, "t_x");
    require_array(T, count, "T");
    std::vector<double> result(count);
    for (std::size_t i = 0; i < count; ++i) result[i] = m::bgnbd_p_alive(p, x[i], t_x[i], T[i]);
    std::copy(result.begin(), result.end(), out);
  });
}

KPI_API int kpi_bgnbd_p_purchases(double *out, const kpi_bgnbd *model, double t, uint32_t n) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = m::bgnbd_p_purchases(params_of(checked(model)), t, n);
  });
}

KPI_API int kpi_gamma_gamma_init(kpi_gamma_gamma *model, uint32_t version) {
  const kpi_gamma_gamma d = KPI_GAMMA_GAMMA_INIT;
  return init_struct(model, version, KPI_GAMMA_GAMMA_VERSION, "kpi_gamma_gamma", d);
}

KPI_API int kpi_gamma_gamma_fit(kpi_gamma_gamma *out, const double *x, const double *zbar, size_t count,
                                const kpi_fit_options *options) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    check_version(out->version, KPI_GAMMA_GAMMA_VERSION, "kpi_gamma_gamma");
    require_array(x, count, "x");
    require_array(zbar, count, "zbar");
    const m::fit_options f = to_fit(options);
    // t_x and T play no part in the value model: give every customer t_x = 0, T = 0.
    const auto fit = m::fit_gamma_gamma(gather(x, nullptr, nullptr, zbar, count), f);
    out->iterations = fit.iterations;
    out->customers = fit.customers;
    out->p = fit.params.p;
    out->q = fit.params.q;
    out->gamma = fit.params.gamma;
    out->loglik = fit.loglik;
  });
}

KPI_API int kpi_gamma_gamma_loglik(double *out, const kpi_gamma_gamma *model, const double *x,
                                   const double *zbar, size_t count) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    const kpi_gamma_gamma &p = checked(model);
    require_array(x, count, "x");
    require_array(zbar, count, "zbar");
    *out = m::gamma_gamma_loglik(params_of(p), gather(x, nullptr, nullptr, zbar, count));
  });
}

KPI_API int kpi_gamma_gamma_expected_value(double *out, int32_t *defined_out, const kpi_gamma_gamma *model,
                                           const double *x, const double *zbar, size_t count) {
  return kpi::capi::guarded([&] {
    require_array(out, count, "out");
    const m::gamma_gamma_params p = params_of(checked(model));
    require_array(x, count, "x");
    require_array(zbar, count, "zbar");
    std::vector<kpi::value> result(count);
    for (std::size_t i = 0; i < count; ++i) result[i] = m::gamma_gamma_expected_value(p, x[i], zbar[i]);
    for (std::size_t i = 0; i < count; ++i) {
      out[i] = result[i].value_or(std::numeric_limits<double>::quiet_NaN());
      if (defined_out != nullptr) defined_out[i] = result[i] ? 1 : 0;
    }
  });
}

KPI_API int kpi_clv_options_init(kpi_clv_options *options, uint32_t version) {
  const kpi_clv_options d = KPI_CLV_OPTIONS_INIT;
  return init_struct(options, version, KPI_CLV_OPTIONS_VERSION, "kpi_clv_options", d);
}

KPI_API int kpi_clv(double *out, int32_t *defined_out, const kpi_bgnbd *purchases,
                    const kpi_gamma_gamma *value, const double *x, const double *t_x, const double *T,
                    const double *zbar, size_t count, const kpi_clv_options *options) {
  return kpi::capi::guarded([&] {
    require_array(out, count, "out");
    const m::bgnbd_params bg = params_of(checked(purchases));
    const m::gamma_gamma_params gg = params_of(checked(value));
    require_array(x, count, "x");
    require_array(t_x, count, "t_x");
    require_array(T, count, "T");
    require_array(zbar, count, "zbar");
    const m::clv_options o = to_clv_options(options);
    const auto customers = gather(x, t_x, T, zbar, count);
    std::vector<kpi::value> result(count);
    for (std::size_t i = 0; i < count; ++i) result[i] = m::clv(bg, gg, customers[i], o);
    for (std::size_t i = 0; i < count; ++i) {
      out[i] = result[i].value_or(std::numeric_limits<double>::quiet_NaN());
      if (defined_out != nullptr) defined_out[i] = result[i] ? 1 : 0;
    }
  });
}

KPI_API int kpi_sbg_init(kpi_sbg *model, uint32_t version) {
  const kpi_sbg d = KPI_SBG_INIT;
  return init_struct(model, version, KPI_SBG_VERSION, "kpi_sbg", d);
}

KPI_API int kpi_sbg_fit(kpi_sbg *out, const double *survivors, size_t count, const kpi_fit_options *options) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    check_version(out->version, KPI_SBG_VERSION, "kpi_sbg");
    require_array(survivors, count, "survivors");
    const m::fit_options f = to_fit(options);
    const auto fit = m::fit_sbg(std::span<const double>(survivors, count), f);
    out->iterations = fit.iterations;
    out->alpha = fit.params.alpha;
    out->beta = fit.params.beta;
    out->loglik = fit.loglik;
  });
}

KPI_API int kpi_sbg_loglik(double *out, const kpi_sbg *model, const double *survivors, size_t count) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    const kpi_sbg &p = checked(model);
    require_array(survivors, count, "survivors");
    *out = m::sbg_loglik(params_of(p), std::span<const double>(survivors, count));
  });
}

KPI_API int kpi_sbg_survival(double *out, const kpi_sbg *model, uint32_t t) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = m::sbg_survival(params_of(checked(model)), t);
  });
}

KPI_API int kpi_sbg_churn_probability(double *out, const kpi_sbg *model, uint32_t t) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = m::sbg_churn_probability(params_of(checked(model)), t);
  });
}

KPI_API int kpi_sbg_retention(double *out, const kpi_sbg *model, uint32_t t) {
  return kpi::capi::guarded([&] {
    require(out, "out");
    *out = m::sbg_retention(params_of(checked(model)), t);
  });
}

KPI_API int kpi_sbg_project_survival(double *out, size_t count, const kpi_sbg *model) {
  return kpi::capi::guarded([&] {
    require_array(out, count, "out");
    const m::sbg_params p = params_of(checked(model));
    if (count == 0) {
      m::sbg_survival(p, 0);  // validates the parameters
      return;
    }
    if (count - 1 > std::numeric_limits<std::uint32_t>::max())
      throw kpi::error(kpi::errc::invalid_argument, "kpi_sbg_project_survival: count is above 2^32");
    const auto curve = m::sbg_project_survival(p, static_cast<std::uint32_t>(count - 1));
    std::copy(curve.begin(), curve.end(), out);
  });
}

}  // extern "C"
