#include "kpi/staffing/erlang.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include <boost/math/special_functions/beta.hpp>

#include "kpi/error.hpp"

namespace kpi::staffing {
namespace {

// Relative tolerance of the Erlang A chain truncation: the neglected tail is below this share of the
// probability mass (and of the mean queue length).
constexpr double chain_tolerance = 1e-15;
// States of the Erlang A chain whose probability is below this are left out of the service-level sum
// (at most 5e7 of them, so at most 5e-13 in total).
constexpr double negligible_state = 1e-20;
// Once P(answered within t | k queued) is below this, the rest of the service-level sum is ignored.
constexpr double negligible_tail = 1e-17;
// Boost.Math computes in double rather than promoting to long double: ten to fifty times faster, and the
// regularized incomplete beta keeps a relative error of a few 1e-15 (checked against the default).
using ibeta_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
// The most chain states Erlang A visits before giving up.
constexpr std::int64_t max_chain_states = 50'000'000;

std::string num(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

[[noreturn]] void invalid(const std::string &message) {
  throw kpi::error(kpi::errc::invalid_argument, message);
}

void require_positive(double x, const char *name) {
  if (!std::isfinite(x) || x <= 0.0)
    invalid(std::string(name) + " must be a finite number > 0, got " + num(x));
}

void require_non_negative(double x, const char *name) {
  if (!std::isfinite(x) || x < 0.0)
    invalid(std::string(name) + " must be a finite number >= 0, got " + num(x));
}

void require_agents(std::int64_t agents, std::int64_t lowest) {
  if (agents < lowest || agents > max_agents) {
    invalid("agents must be between " + std::to_string(lowest) + " and " + std::to_string(max_agents) +
            ", got " + std::to_string(agents));
  }
}

void require_erlang_c_stable(std::int64_t agents, double traffic) {
  if (static_cast<double>(agents) <= traffic) {
    invalid("Erlang C needs more agents than offered traffic: agents " + std::to_string(agents) +
            " <= traffic " + num(traffic) +
            " Erlangs, so the queue grows without bound (add agents, or use Erlang A with a patience)");
  }
}

// ceil(x), except that x within a relative 1e-9 of an integer counts as that integer, so that quotients
// such as 14 / 0.7 that land a rounding error above an integer are not pushed to the next one.
std::int64_t ceil_tolerant(double x) {
  const double nearest = std::round(x);
  if (std::fabs(x - nearest) <= 1e-9 * std::max(1.0, std::fabs(x))) return static_cast<std::int64_t>(nearest);
  return static_cast<std::int64_t>(std::ceil(x));
}

// One step of the Erlang B recursion: B(k) from B(k-1).
double erlang_b_step(double b_prev, std::int64_t k, double traffic) {
  const double ab = traffic * b_prev;
  return ab / (static_cast<double>(k) + ab);
}

// Erlang C from Erlang B.
double erlang_c_from_b(double b, std::int64_t agents, double traffic) {
  const double n = static_cast<double>(agents);
  return n * b / (n - traffic * (1.0 - b));
}

erlang_c_result erlang_c_from_b(double b, std::int64_t agents, double traffic, double aht_s, double t_s) {
  const double n = static_cast<double>(agents);
  erlang_c_result r;
  r.p_wait = erlang_c_from_b(b, agents, traffic);
  r.service_level = 1.0 - r.p_wait * std::exp(-(n - traffic) * t_s / aht_s);
  r.asa_s = r.p_wait * aht_s / (n - traffic);
  r.occupancy = traffic / n;
  return r;
}

// Whether the Erlang A queue-length distribution, which peaks near k = (A − N)/c, is within reach.
bool chain_fits(std::int64_t agents, double traffic, double c) {
  return (traffic - static_cast<double>(agents)) / c <= static_cast<double>(max_chain_states);
}

[[noreturn]] void chain_too_long(std::int64_t agents, double traffic, double patience_s) {
  throw kpi::error(kpi::errc::no_convergence,
                   "Erlang A: the queue is overloaded (traffic " + num(traffic) + " Erlangs on " +
                       std::to_string(agents) + " agents) and patience " + num(patience_s) +
                       " s is so long that the queue-length distribution needs more than " +
                       std::to_string(max_chain_states) + " states; use a shorter patience or more agents");
}

// log(1 + e^y) without overflow or loss of precision.
double softplus(double y) {
  return y > 0.0 ? y + std::log1p(std::exp(-y)) : std::log1p(std::exp(y));
}

// The sums over the Erlang A chain, each kept as `scaled × e^{log_scale}` so that no term overflows.
struct chain_sums {
  double log_scale = 0.0;
  double mass = 0.0;         // Σ over all states of the unnormalized probability
  double waiting = 0.0;      // Σ over states n >= N (an arrival waits)
  double queue = 0.0;        // Σ (n − N)·w_n for n > N (queue length)
  double served_wait = 0.0;  // Σ w_n · P(served | n) · E[wait | served, n] in units of AHT

  void rescale(double new_log_scale) {
    const double f = std::exp(log_scale - new_log_scale);
    mass *= f;
    waiting *= f;
    queue *= f;
    served_wait *= f;
    log_scale = new_log_scale;
  }
};

}  // namespace

double traffic_erlangs(double calls, double interval_s, double aht_s) {
  require_positive(calls, "calls");
  require_positive(interval_s, "interval_s");
  require_positive(aht_s, "aht_s");
  // calls × AHT first: 100 calls × 180 s / 1800 s is exactly 10, where 100 / 1800 × 180 is not.
  return calls * aht_s / interval_s;
}

double erlang_b(std::int64_t agents, double traffic) {
  require_agents(agents, 0);
  require_positive(traffic, "traffic");
  double b = 1.0;
  for (std::int64_t k = 1; k <= agents; ++k) b = erlang_b_step(b, k, traffic);
  return b;
}

double erlang_c(std::int64_t agents, double traffic) {
  require_agents(agents, 1);
  require_positive(traffic, "traffic");
  require_erlang_c_stable(agents, traffic);
  return erlang_c_from_b(erlang_b(agents, traffic), agents, traffic);
}

erlang_c_result erlang_c_evaluate(std::int64_t agents, double traffic, double aht_s, double answer_within_s) {
  require_agents(agents, 1);
  require_positive(traffic, "traffic");
  require_positive(aht_s, "aht_s");
  require_non_negative(answer_within_s, "answer_within_s");
  require_erlang_c_stable(agents, traffic);
  return erlang_c_from_b(erlang_b(agents, traffic), agents, traffic, aht_s, answer_within_s);
}

// Erlang A. The number of calls in the system is a birth-death chain with birth rate λ and death rate
// min(n, N)·μ + max(n − N, 0)·θ (μ = 1/AHT, θ = 1/patience). In units of μ, with A = λ/μ and c = θ/μ,
// its unnormalized probabilities relative to w_N = 1 are
//   Σ_{n<N} w_n = 1/B(N, A) − 1                     (the Erlang B normalizer),
//   u_k = w_{N+k} = Π_{j=1..k} A / (N + j·c)         (k callers queued).
// An arrival that finds k callers queued (PASTA) waits V = Σ_{j=0..k} Exp((N + j·c)μ) for an agent and
// is answered iff its own patience Exp(θ) exceeds V. Tilting each stage by e^{−θ·stage} gives
//   P(answered | k)            = Π_{j=0..k} (N + j·c)/(N + (j+1)·c) = N / (N + (k+1)·c),
//   P(answered within t | k)   = N / (N + (k+1)·c) · P(Σ_{j=0..k} Exp((N + (j+1)·c)μ) <= t)
//                              = N / (N + (k+1)·c) · I_x(k + 1, N/c + 1),  x = 1 − e^{−θt},
//   E[wait·1{answered} | k]    = N / (N + (k+1)·c) · Σ_{j=0..k} AHT / (N + (j+1)·c),
// where I is the regularized incomplete beta function: a sum of exponentials whose rates are θ·(b + j),
// j = 0..k, is below t exactly when at least k+1 "deaths" of a pure-death process happened, which is the
// negative-binomial tail I_x(k+1, b). P(abandon) = θ·Lq/λ = c·Lq/A and occupancy = A·(1 − P_ab)/N follow
// from flow balance.
erlang_a_result erlang_a_evaluate(std::int64_t agents, double traffic, double aht_s, double patience_s,
                                  double answer_within_s) {
  require_agents(agents, 1);
  require_positive(traffic, "traffic");
  require_positive(aht_s, "aht_s");
  require_positive(patience_s, "patience_s");
  require_non_negative(answer_within_s, "answer_within_s");

  const double n = static_cast<double>(agents);
  const double a = traffic;
  const double c = aht_s / patience_s;
  const double log_a = std::log(a);

  // log(1/B(N, A)) by the inverse Erlang B recursion inv_k = 1 + inv_{k−1}·k/A, in log space so that
  // it cannot overflow when N ≫ A.
  double log_inv_b = 0.0;
  for (std::int64_t k = 1; k <= agents; ++k)
    log_inv_b = softplus(log_inv_b + std::log(static_cast<double>(k)) - log_a);
  // log(Σ_{n<N} w_n) = log(expm1(log_inv_b)).
  const double log_below = log_inv_b + std::log(-std::expm1(-log_inv_b));

  // The queue-length distribution peaks near k = (A − N)/c; refuse at once when that is out of reach.
  if (!chain_fits(agents, a, c)) chain_too_long(agents, a, patience_s);

  // Pass 1: the chain sums, with truncation.
  chain_sums s;
  s.log_scale = std::max(log_below, 0.0);
  s.mass = std::exp(log_below - s.log_scale);
  double log_u = 0.0;     // log u_k
  double harmonic = 0.0;  // Σ_{j=0..k} 1 / (N + (j+1)·c)
  std::int64_t last = 0;  // the last state visited
  for (std::int64_t k = 0;; ++k) {
    if (k >= max_chain_states) chain_too_long(agents, a, patience_s);
    const double next = n + static_cast<double>(k + 1) * c;
    if (k > 0) log_u += log_a - std::log(n + static_cast<double>(k) * c);
    harmonic += 1.0 / next;
    if (log_u > s.log_scale) s.rescale(log_u);
    const double u = std::exp(log_u - s.log_scale);
    const double kd = static_cast<double>(k);
    s.mass += u;
    s.waiting += u;
    s.queue += kd * u;
    s.served_wait += u * (n / next) * harmonic;
    last = k;
    // Beyond the mode the ratios r_j = A / (N + j·c) decrease, so with r = r_{k+1} < 1 the rest of the
    // chain is bounded by the geometric series: Σ_{j>k} u_j <= u_k·r/(1−r) and
    // Σ_{j>k} (j+1)·u_j <= u_k·(k+2)·r/(1−r)². The latter bounds the rest of every sum above (the
    // served-wait terms are at most (j+1)/N·u_j).
    const double r = a / next;
    if (r < 1.0 && k > 0) {
      const double rest = u * (kd + 2.0) * r / ((1.0 - r) * (1.0 - r));
      if (rest <= chain_tolerance * std::min({s.waiting, s.queue, n * s.served_wait})) break;
    }
  }

  const double p_wait = s.waiting / s.mass;
  const double lq = s.queue / s.mass;
  erlang_a_result r;
  r.p_wait = p_wait;
  r.p_abandon = std::min(1.0, c * lq / a);
  r.mean_wait_s = lq * aht_s / a;
  r.occupancy = a * (1.0 - r.p_abandon) / n;
  const double p_answered = 1.0 - r.p_abandon;
  r.asa_s = p_answered > 0.0 ? (s.served_wait / s.mass) * aht_s / p_answered : 0.0;

  // Pass 2: the service level. Calls that find a free agent are answered at once; a call that finds k
  // queued is answered within t with probability N/(N + (k+1)c) · I_x(k+1, N/c + 1).
  double sl = std::exp(log_below - s.log_scale) / s.mass;
  const double x = -std::expm1(-answer_within_s / patience_s);
  if (x > 0.0) {
    const double b = n / c + 1.0;
    const double log_norm = s.log_scale + std::log(s.mass);
    const double log_negligible = std::log(negligible_state);
    log_u = 0.0;
    for (std::int64_t k = 0; k <= last; ++k) {
      if (k > 0) log_u += log_a - std::log(n + static_cast<double>(k) * c);
      const double log_p = log_u - log_norm;
      if (log_p < log_negligible) continue;
      const double within = boost::math::ibeta(static_cast<double>(k + 1), b, x, ibeta_policy{});
      sl += std::exp(log_p) * (n / (n + static_cast<double>(k + 1) * c)) * within;
      // I_x(k+1, b) falls as k grows and the remaining probabilities sum to at most 1, so once it is
      // below 1e-17 the rest of the sum is too.
      if (within < negligible_tail) break;
    }
  }
  r.service_level = std::clamp(sl, 0.0, 1.0);
  return r;
}

queue_metrics evaluate(const queue_model &model, std::int64_t agents) {
  const double traffic = traffic_erlangs(model.calls, model.interval_s, model.aht_s);
  queue_metrics m;
  m.agents = agents;
  if (model.patience_s) {
    const erlang_a_result r =
        erlang_a_evaluate(agents, traffic, model.aht_s, *model.patience_s, model.answer_within_s);
    m.service_level = r.service_level;
    m.p_wait = r.p_wait;
    m.asa_s = r.asa_s;
    m.mean_wait_s = r.mean_wait_s;
    m.occupancy = r.occupancy;
    m.p_abandon = r.p_abandon;
  } else {
    const erlang_c_result r = erlang_c_evaluate(agents, traffic, model.aht_s, model.answer_within_s);
    m.service_level = r.service_level;
    m.p_wait = r.p_wait;
    m.asa_s = r.asa_s;
    m.mean_wait_s = r.asa_s;
    m.occupancy = r.occupancy;
  }
  return m;
}

std::int64_t scheduled_agents(std::int64_t agents, double shrinkage) {
  require_agents(agents, 0);
  if (!std::isfinite(shrinkage) || shrinkage < 0.0 || shrinkage >= 1.0) {
    invalid("shrinkage must be in [0, 1), got " + num(shrinkage));
  }
  return ceil_tolerant(static_cast<double>(agents) / (1.0 - shrinkage));
}

namespace {

void validate_target(const staffing_target &target) {
  if (!std::isfinite(target.service_level) || target.service_level < 0.0 || target.service_level >= 1.0) {
    invalid("service-level target must be in [0, 1) (a target of 1 can never be met exactly), got " +
            num(target.service_level));
  }
  if (!std::isfinite(target.max_occupancy) || target.max_occupancy <= 0.0 || target.max_occupancy > 1.0) {
    invalid("max occupancy must be in (0, 1], got " + num(target.max_occupancy));
  }
  if (!std::isfinite(target.shrinkage) || target.shrinkage < 0.0 || target.shrinkage >= 1.0) {
    invalid("shrinkage must be in [0, 1), got " + num(target.shrinkage));
  }
}

[[noreturn]] void too_many_agents(double traffic) {
  throw kpi::error(kpi::errc::no_convergence, "the target needs more than " + std::to_string(max_agents) +
                                                  " agents at traffic " + num(traffic) + " Erlangs");
}

std::int64_t solve_erlang_c(double traffic, const queue_model &model, const staffing_target &target) {
  // Smallest N > A, raised to the occupancy floor A / cap, then stepped up one agent at a time with the
  // Erlang B recursion carried along (O(1) per step).
  std::int64_t first = static_cast<std::int64_t>(std::floor(traffic)) + 1;
  first = std::max(first, ceil_tolerant(traffic / target.max_occupancy));
  if (first > max_agents) too_many_agents(traffic);
  double b = erlang_b(first, traffic);
  for (std::int64_t agents = first;; ++agents) {
    if (agents > first) b = erlang_b_step(b, agents, traffic);
    const erlang_c_result r = erlang_c_from_b(b, agents, traffic, model.aht_s, model.answer_within_s);
    if (r.service_level >= target.service_level && r.occupancy <= target.max_occupancy) return agents;
    if (agents == max_agents) too_many_agents(traffic);
  }
}

std::int64_t solve_erlang_a(double traffic, const queue_model &model, const staffing_target &target) {
  const double patience = *model.patience_s;
  auto at = [&](std::int64_t agents) {
    return erlang_a_evaluate(agents, traffic, model.aht_s, patience, model.answer_within_s);
  };
  // A staffing level so overloaded that its queue peaks beyond max_chain_states callers (mean queue
  // over 50 million) is taken as missing the target rather than evaluated.
  const double c = model.aht_s / patience;
  auto meets = [&](std::int64_t agents) {
    return chain_fits(agents, traffic, c) && at(agents).service_level >= target.service_level;
  };
  // The service level rises with N: find an N that meets it by doubling, then the smallest by bisection.
  std::int64_t hi = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(traffic)));
  while (!meets(hi)) {
    if (hi == max_agents) too_many_agents(traffic);
    hi = std::min(max_agents, hi * 2);
  }
  std::int64_t lo = 0;  // lo never meets the target (0 agents answer nobody)
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (meets(mid)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  // Occupancy A(1 − P_ab(N))/N falls as N rises, and the carried traffic A(1 − P_ab(N)) only grows, so
  // N >= A(1 − P_ab(N_now))/cap is necessary; jump there and repeat until the cap holds.
  std::int64_t agents = hi;
  for (erlang_a_result r = at(agents); r.occupancy > target.max_occupancy; r = at(agents)) {
    agents = std::max(agents + 1, ceil_tolerant(traffic * (1.0 - r.p_abandon) / target.max_occupancy));
    if (agents > max_agents) too_many_agents(traffic);
  }
  return agents;
}

}  // namespace

bool meets_target(const queue_metrics &metrics, const staffing_target &target) {
  validate_target(target);
  return metrics.service_level >= target.service_level && metrics.occupancy <= target.max_occupancy;
}

staffing_plan solve(const queue_model &model, const staffing_target &target) {
  const double traffic = traffic_erlangs(model.calls, model.interval_s, model.aht_s);
  require_non_negative(model.answer_within_s, "answer_within_s");
  if (model.patience_s) require_positive(*model.patience_s, "patience_s");
  validate_target(target);
  staffing_plan plan;
  plan.agents =
      model.patience_s ? solve_erlang_a(traffic, model, target) : solve_erlang_c(traffic, model, target);
  plan.scheduled = scheduled_agents(plan.agents, target.shrinkage);
  plan.metrics = evaluate(model, plan.agents);
  return plan;
}

}  // namespace kpi::staffing
