/// @file
/// @brief Call-centre staffing with the Erlang B, Erlang C (M/M/N) and Erlang A (M/M/N+M) queueing
/// models: probability of waiting, service level, speed of answer, occupancy, abandonment, and the
/// number of agents needed for a service-level target under an occupancy cap and shrinkage.
///
/// Units: times are seconds, probabilities and rates of agents' time are fractions 0..1, offered
/// traffic is in Erlangs (`calls × AHT / interval`). Every function is pure and thread-safe; none
/// allocates memory that outlives the call. Inputs out of range throw
/// `kpi::error(kpi::errc::invalid_argument, ...)` naming the bad value.
///
/// Numerical method (see docs/staffing.md): no factorials or powers are ever formed. Erlang B uses its
/// recursion; Erlang A sums the birth-death chain in log space with a running scale and stops when a
/// geometric bound on the rest of the chain falls below 1e-15 of the mass, and the service level of a
/// waiting caller uses the regularized incomplete beta function. Centres of 2,000 agents at 1,900
/// Erlangs, or far larger, neither overflow nor lose accuracy.
#pragma once

#include <cstdint>
#include <optional>

#include "kpi/value.hpp"

namespace kpi::staffing {

/// The largest number of agents any function accepts (ten million). Larger counts throw
/// kpi::errc::invalid_argument; a solver that would need more throws kpi::errc::no_convergence.
inline constexpr std::int64_t max_agents = 10'000'000;

/// Offered traffic in Erlangs: `calls × aht_s / interval_s`.
/// @param calls calls offered in the interval, > 0.
/// @param interval_s length of the interval in seconds, > 0.
/// @param aht_s average handle time in seconds (talk + hold + after-call work), > 0.
/// @throws kpi::error invalid_argument when any input is not finite or not > 0.
[[nodiscard]] double traffic_erlangs(double calls, double interval_s, double aht_s);

/// Erlang B: the probability that a call arriving at `agents` servers with no queue is blocked
/// (M/M/N/N loss system), by the recursion `B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))`.
/// @param agents number of servers, 0..max_agents (B(0, A) = 1).
/// @param traffic offered traffic A in Erlangs, finite and > 0.
/// @return a probability in (0, 1]; it may underflow to 0 when agents ≫ traffic.
/// @throws kpi::error invalid_argument on a negative or too large agent count or a bad traffic.
[[nodiscard]] double erlang_b(std::int64_t agents, double traffic);

/// Erlang C: the probability that a call has to wait (M/M/N, infinite patience),
/// `C = N·B / (N − A·(1 − B))`.
/// @param agents number of agents N, with `traffic < agents <= max_agents`.
/// @param traffic offered traffic A in Erlangs, finite and > 0.
/// @throws kpi::error invalid_argument when agents <= traffic (the queue would grow without bound; use
///         Erlang A) or on bad inputs.
[[nodiscard]] double erlang_c(std::int64_t agents, double traffic);

/// The Erlang C (M/M/N) measures of one staffing level.
struct erlang_c_result {
  double p_wait = 0.0;         ///< Probability that a call waits at all (Erlang C), 0..1.
  double service_level = 0.0;  ///< Share of calls answered within the threshold t: `1 − C·e^{−(N−A)t/AHT}`.
  double asa_s = 0.0;          ///< Average speed of answer in seconds over all calls: `C·AHT / (N − A)`.
  double occupancy = 0.0;  ///< Share of agents' time spent handling calls: `A / N`.
};

/// Evaluates Erlang C for `agents` agents.
/// @param agents number of agents N, with `traffic < agents <= max_agents`.
/// @param traffic offered traffic A in Erlangs, > 0.
/// @param aht_s average handle time in seconds, > 0.
/// @param answer_within_s service-level threshold t in seconds, >= 0.
/// @throws kpi::error invalid_argument when agents <= traffic or on bad inputs.
[[nodiscard]] erlang_c_result erlang_c_evaluate(std::int64_t agents, double traffic, double aht_s,
                                                double answer_within_s);

/// The Erlang A (M/M/N+M: Poisson arrivals, exponential handle times, exponential patience) measures of
/// one staffing level. All shares are of *all* arriving calls.
struct erlang_a_result {
  double p_abandon = 0.0;      ///< Probability that a call hangs up before it is answered, 0..1.
  double p_wait = 0.0;         ///< Probability that a call finds every agent busy and waits, 0..1.
  double service_level = 0.0;  ///< Share of calls answered within t; abandons count against it.
  double mean_wait_s = 0.0;    ///< Mean time in queue of all arrivals, abandoned ones included
                               ///< (`Lq / λ`, Little's law), seconds.
  double asa_s = 0.0;          ///< Average speed of answer: mean wait of the answered calls, seconds.
  double occupancy = 0.0;      ///< Share of agents' time spent handling calls: `A·(1 − P_abandon) / N`.
};

/// Evaluates Erlang A (Palm's M/M/N+M model, as in Garnett, Mandelbaum & Reiman 2002). Unlike Erlang C
/// it is defined for any number of agents, including agents <= traffic; as patience grows without bound
/// it converges to Erlang C.
/// @param agents number of agents N, 1..max_agents.
/// @param traffic offered traffic A in Erlangs, > 0.
/// @param aht_s average handle time in seconds, > 0.
/// @param patience_s mean time a caller is willing to wait before hanging up (exponentially
///        distributed), seconds, finite and > 0.
/// @param answer_within_s service-level threshold t in seconds, >= 0.
/// @throws kpi::error invalid_argument on bad inputs; no_convergence when an overloaded queue with a
///         very long patience would need more than 50 million states of the chain.
[[nodiscard]] erlang_a_result erlang_a_evaluate(std::int64_t agents, double traffic, double aht_s,
                                                double patience_s, double answer_within_s);

/// One interval's offered load and service-level definition, the input of evaluate() and solve().
struct queue_model {
  double calls = 0.0;                ///< Calls offered in the interval, > 0.
  double interval_s = 0.0;           ///< Interval length in seconds, > 0 (1800 for half-hour plans).
  double aht_s = 0.0;                ///< Average handle time in seconds, > 0.
  double answer_within_s = 20.0;     ///< Service-level threshold t in seconds, >= 0.
  std::optional<double> patience_s;  ///< Mean patience in seconds: set selects Erlang A, unset Erlang C.
};

/// The measures of one staffing level under the model's Erlang C or Erlang A.
struct queue_metrics {
  std::int64_t agents = 0;     ///< Agents on the phones (productive agents), N.
  double service_level = 0.0;  ///< Share of calls answered within answer_within_s, 0..1.
  double p_wait = 0.0;         ///< Probability of waiting, 0..1.
  double asa_s = 0.0;          ///< Average speed of answer of answered calls, seconds.
  double mean_wait_s = 0.0;    ///< Mean wait of all arrivals, seconds (equals asa_s under Erlang C).
  double occupancy = 0.0;      ///< Agents' share of time handling calls, 0..1.
  kpi::value p_abandon;        ///< Probability of abandoning (Erlang A); undefined under Erlang C.
};

/// Evaluates the model for a given number of agents: Erlang A when `model.patience_s` is set,
/// otherwise Erlang C.
/// @throws kpi::error invalid_argument on bad inputs, including agents <= traffic under Erlang C.
[[nodiscard]] queue_metrics evaluate(const queue_model &model, std::int64_t agents);

/// A service-level target with its planning constraints.
struct staffing_target {
  double service_level = 0.8;  ///< Target share answered within the threshold, in [0, 1).
  double max_occupancy = 1.0;  ///< Occupancy cap, in (0, 1]; 1 means no cap.
  double shrinkage = 0.0;      ///< Share of paid time not on the phones (breaks, training...), in [0, 1).
};

/// The answer of solve().
struct staffing_plan {
  std::int64_t agents = 0;     ///< Smallest N meeting the target and the occupancy cap.
  std::int64_t scheduled = 0;  ///< Agents to schedule: `ceil(agents / (1 − shrinkage))`.
  queue_metrics metrics;       ///< The measures at `agents`.
};

/// Agents to schedule so that `agents` are on the phones: `ceil(agents / (1 − shrinkage))`. A quotient
/// within a relative 1e-9 of an integer counts as that integer (so 14 / 0.7 gives 20, never 21).
/// @param agents productive agents, 0..max_agents.
/// @param shrinkage share of paid time lost, in [0, 1).
/// @throws kpi::error invalid_argument on a negative agent count or a shrinkage outside [0, 1).
[[nodiscard]] std::int64_t scheduled_agents(std::int64_t agents, double shrinkage);

/// Whether `metrics` meet `target`: service level >= target.service_level and occupancy <=
/// target.max_occupancy.
/// @throws kpi::error invalid_argument when the target's fields are out of range (see solve()).
[[nodiscard]] bool meets_target(const queue_metrics &metrics, const staffing_target &target);

/// Solves for the smallest number of agents N whose service level reaches `target.service_level` and
/// whose occupancy is at most `target.max_occupancy`, under Erlang C (N > traffic) or Erlang A.
/// @throws kpi::error invalid_argument on bad inputs (a target outside [0, 1), a cap outside (0, 1], a
///         shrinkage outside [0, 1)); no_convergence when more than max_agents would be needed.
[[nodiscard]] staffing_plan solve(const queue_model &model, const staffing_target &target);

}  // namespace kpi::staffing
