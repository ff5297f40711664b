/**
 * @file kpi/c/staffing.h
 * @brief Call-centre staffing: Erlang B, Erlang C (M/M/N) and Erlang A (M/M/N+M, with abandonment),
 *        and the number of agents needed for a service-level target.
 *
 * Included by kpi/kpi.h; do not include it directly. Times are seconds, shares are fractions 0..1,
 * traffic is in Erlangs (`calls × AHT / interval`). All functions here are pure and reentrant: they
 * keep no state and no pointer they were given. The formulas, their numerical method and error are in
 * docs/staffing.md.
 *
 * Example (C):
 * @code
 * kpi_staffing_params p = KPI_STAFFING_PARAMS_INIT;
 * kpi_staffing_result r = KPI_STAFFING_RESULT_INIT;
 * p.calls = 100; p.interval_s = 1800; p.aht_s = 180;
 * p.target_service_level = 0.8; p.answer_within_s = 20; p.max_occupancy = 0.85; p.shrinkage = 0.3;
 * if (kpi_staffing_solve(&r, &p) == KPI_OK) printf("%d agents, %d scheduled\n", r.agents, r.scheduled);
 * // 14 agents, 20 scheduled
 * @endcode
 * @since 0.1.0
 */
#ifndef KPI_C_STAFFING_H
#define KPI_C_STAFFING_H

#include "kpi/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup kpi_staffing Staffing (Erlang B, C and A)
 *  @{ */

/** The queueing models of kpi_staffing_params.model. Values are pinned. */
enum {
  KPI_STAFFING_ERLANG_C = 0, /**< M/M/N: callers never hang up; needs agents > traffic. */
  KPI_STAFFING_ERLANG_A = 1  /**< M/M/N+M: exponential patience of mean patience_s; any agents >= 1. */
};

/** The current version of kpi_staffing_params. */
#define KPI_STAFFING_PARAMS_VERSION 1

/**
 * One interval's load, the service-level definition and the planning constraints. Flat and
 * append-only; fill it with #KPI_STAFFING_PARAMS_INIT or kpi_staffing_params_init() before setting
 * fields. `calls` and `aht_s` have no default and must be set.
 */
typedef struct kpi_staffing_params {
  uint32_t version;            /**< #KPI_STAFFING_PARAMS_VERSION. */
  int32_t model;               /**< #KPI_STAFFING_ERLANG_C (default) or #KPI_STAFFING_ERLANG_A. */
  double calls;                /**< Calls offered in the interval, > 0 (default 0: must be set). */
  double interval_s;           /**< Interval length in seconds, > 0 (default 1800). */
  double aht_s;                /**< Average handle time in seconds, > 0 (default 0: must be set). */
  double answer_within_s;      /**< Service-level threshold in seconds, >= 0 (default 20). */
  double patience_s;           /**< Mean patience in seconds, > 0; used by Erlang A only (default 0). */
  double target_service_level; /**< Share to answer within the threshold, in [0, 1) (default 0.8). */
  double max_occupancy;        /**< Occupancy cap, in (0, 1] (default 1: no cap). */
  double shrinkage;            /**< Share of paid time off the phones, in [0, 1) (default 0). */
} kpi_staffing_params;

/** Static initializer of kpi_staffing_params with the current version and the defaults above. */
#define KPI_STAFFING_PARAMS_INIT \
  { KPI_STAFFING_PARAMS_VERSION, KPI_STAFFING_ERLANG_C, 0.0, 1800.0, 0.0, 20.0, 0.0, 0.8, 1.0, 0.0 }

/** The current version of kpi_staffing_result. */
#define KPI_STAFFING_RESULT_VERSION 1

/**
 * The measures of one staffing level. The caller sets `version` (#KPI_STAFFING_RESULT_INIT or
 * kpi_staffing_result_init()); the library fills the fields that version has.
 */
typedef struct kpi_staffing_result {
  uint32_t version;      /**< #KPI_STAFFING_RESULT_VERSION. */
  int32_t agents;        /**< Agents on the phones, N. */
  int32_t scheduled;     /**< Agents to schedule: ceil(agents / (1 − shrinkage)). */
  int32_t meets_target;  /**< 1 when service level >= target and occupancy <= cap, else 0. */
  int32_t has_p_abandon; /**< 1 under Erlang A; 0 under Erlang C, where p_abandon is undefined. */
  double service_level;  /**< Share of all calls answered within answer_within_s, 0..1. */
  double p_wait;         /**< Probability that a call waits, 0..1. */
  double asa_s;          /**< Average speed of answer (mean wait of answered calls), seconds. */
  double mean_wait_s;    /**< Mean wait of all arrivals, abandons included, seconds. */
  double occupancy;      /**< Share of agents' time handling calls, 0..1. */
  double p_abandon;      /**< Probability of abandoning (Erlang A); NaN when has_p_abandon is 0. */
} kpi_staffing_result;

/** Static initializer of kpi_staffing_result with the current version. */
#define KPI_STAFFING_RESULT_INIT \
  { KPI_STAFFING_RESULT_VERSION, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }

/**
 * Fills `params` with the defaults of #KPI_STAFFING_PARAMS_INIT for `version` (for FFI callers that
 * cannot use the macro).
 * @param[out] params The struct to initialize.
 * @param version #KPI_STAFFING_PARAMS_VERSION.
 * @return #KPI_OK; #KPI_ENULL if params is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_staffing_params_init(kpi_staffing_params *params, uint32_t version);

/**
 * Zeroes `result` and sets its version (for FFI callers that cannot use the macro).
 * @param[out] result The struct to initialize.
 * @param version #KPI_STAFFING_RESULT_VERSION.
 * @return #KPI_OK; #KPI_ENULL if result is NULL; #KPI_EVERSION for 0 or an unknown version.
 */
KPI_API int kpi_staffing_result_init(kpi_staffing_result *result, uint32_t version);

/**
 * Erlang B: the probability that a call is blocked on `agents` servers without a queue.
 * Example: kpi_staffing_erlang_b(&b, 2, 1.0) gives b = 0.2.
 * @param[out] out The blocking probability, (0, 1] (it may underflow to 0 when agents ≫ traffic).
 * @param agents Number of servers, >= 0 (B(0, A) = 1), at most 10,000,000.
 * @param traffic Offered traffic in Erlangs, > 0.
 * @return #KPI_OK; #KPI_ENULL if out is NULL; #KPI_EINVAL for a negative agent count or traffic <= 0.
 */
KPI_API int kpi_staffing_erlang_b(double *out, int32_t agents, double traffic);

/**
 * Erlang C: the probability that a call waits, on `agents` agents with infinite patience.
 * Example: kpi_staffing_erlang_c(&c, 14, 10.0) gives c = 0.1741319335950498.
 * @param[out] out The probability of waiting, 0..1.
 * @param agents Number of agents, > traffic.
 * @param traffic Offered traffic in Erlangs, > 0.
 * @return #KPI_OK; #KPI_ENULL if out is NULL; #KPI_EINVAL when agents <= traffic (the queue grows
 *         without bound) or traffic <= 0.
 */
KPI_API int kpi_staffing_erlang_c(double *out, int32_t agents, double traffic);

/**
 * Evaluates the model of `params` (Erlang C or Erlang A) for a given number of agents. `out->scheduled`
 * applies `params->shrinkage`; `out->meets_target` compares with `params->target_service_level` and
 * `params->max_occupancy`.
 * @param[out] out The measures; its version must be set.
 * @param params The load and the model.
 * @param agents Agents on the phones, >= 1 (and > traffic under Erlang C).
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer; #KPI_EVERSION for a bad struct version; #KPI_EINVAL
 *         for a parameter out of range, including agents <= traffic under Erlang C;
 *         #KPI_ENOCONVERGE when an overloaded Erlang A queue with a very long patience is out of reach.
 */
KPI_API int kpi_staffing_evaluate(kpi_staffing_result *out, const kpi_staffing_params *params,
                                  int32_t agents);

/**
 * Solves for the smallest number of agents that meets `params->target_service_level` within
 * `params->answer_within_s` with occupancy at most `params->max_occupancy`, and fills its measures.
 * @param[out] out The answer and its measures; its version must be set.
 * @param params The load, the model and the target.
 * @return #KPI_OK; #KPI_ENULL for a NULL pointer; #KPI_EVERSION for a bad struct version; #KPI_EINVAL
 *         for a parameter out of range (a target outside [0, 1), a cap outside (0, 1], a shrinkage
 *         outside [0, 1), rates <= 0); #KPI_ENOCONVERGE when more than 10,000,000 agents would be needed.
 */
KPI_API int kpi_staffing_solve(kpi_staffing_result *out, const kpi_staffing_params *params);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KPI_C_STAFFING_H */
