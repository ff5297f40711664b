/// @file
/// @brief The call-record accumulator of one window (kpi::call_stats): every KPI of the "Calls and
/// telesales" table of the contract (kpis.md), exact, mergeable and serializable.
///
/// Population: the call records anchored in the window by their `start`. Durations are seconds.
/// Thresholds (short call, service level, short abandon) are whole seconds chosen when a KPI is
/// evaluated, not when records are added: the wait and talk distributions are kept exactly
/// (kpi::exact_histogram), so one state answers every threshold and every service-level variant.
///
/// **Identities.** Agents, (agent, local day) pairs and callers are kept as stable 64-bit hashes
/// (kpi::stable_id_hash, FNV-1a 64 of the id's bytes: the same on every platform and in every run, so
/// saved states merge across machines). Two different ids collide with probability about n²/2^65 for
/// n distinct ids (below 3e-8 for a million); a collision makes two ids count as one. The (agent, day)
/// key is a bijective 64-bit mix of the agent hash and the day, with the same bound.
///
/// **Caller identity KPIs** (repeat_call_rate, fcr_rate, abandon_callback_rate) depend on calls after
/// the window, so they are not computed by add(): a kpi::caller_tracker (kpi/stats/callers.hpp, opt-in)
/// decides each call's status once its look-ahead horizon has passed and hands the result to
/// add_caller_outcome(). Without a tracker those KPIs are undefined.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kpi/catalog.hpp"
#include "kpi/records.hpp"
#include "kpi/stats/histogram.hpp"
#include "kpi/stats/id_set.hpp"
#include "kpi/stats/rare.hpp"
#include "kpi/value.hpp"

namespace kpi {

/// The parameters a kpi::caller_tracker decides with. A state's caller KPIs are valid only for these.
struct caller_tracking {
  double repeat_call_window_days = 7;  ///< A further inbound call within this many days is a repeat.
  double callback_window_hours = 24;   ///< An outbound call within this many hours is a callback.
  bool timeouts_as_abandons = false;   ///< Inbound timeouts count as abandons (need a callback too).

  /// Same parameters.
  friend bool operator==(const caller_tracking &, const caller_tracking &) noexcept = default;
};

/// What a kpi::caller_tracker decided about one call of one caller, once final.
struct caller_outcome {
  /// Which KPI population the call belongs to.
  enum class kind : std::uint8_t {
    contact = 0,  ///< An inbound call (repeat_call_rate): `flag` = the caller called again in time.
    abandon = 1,  ///< An abandoned inbound call (abandon_callback_rate): `flag` = called back in time.
  };
  std::uint64_t slot = 0;     ///< The slot the call was given to caller_tracker::add() with.
  std::uint64_t caller = 0;   ///< kpi::stable_id_hash of the call's `caller`.
  kind what = kind::contact;  ///< Contact or abandon.
  bool flag = false;          ///< Repeated (contact) or called back (abandon).
  caller_tracking tracking;   ///< The tracker's parameters.
};

/// Raw counters of a call_stats (every one exact and additive under merge).
struct call_counts {
  std::uint64_t calls = 0;                ///< Every call record.
  std::uint64_t outbound = 0;             ///< Outbound calls.
  std::uint64_t outbound_with_agent = 0;  ///< Outbound calls with a non-empty agent_id.
  std::uint64_t connected_outbound = 0;   ///< Outbound calls with outcome connected.
  std::uint64_t offered = 0;              ///< Inbound calls.
  std::uint64_t answered = 0;             ///< Inbound calls with outcome connected.
  std::uint64_t abandoned = 0;            ///< Inbound calls with outcome abandoned (wait known or not).
  std::uint64_t timeouts = 0;             ///< Inbound calls with outcome timeout (wait known or not).

  /// Same counts.
  friend bool operator==(const call_counts &, const call_counts &) noexcept = default;
};

/// The call accumulator of one window (one group, one period).
///
/// add() is a counter, at most two histogram inserts (dense arrays for the usual durations), three
/// exact sums and, for calls with an agent, an agent-set and an (agent, day)-set probe, skipped when the
/// agent (and day) are those of the previous call: about 20 ns on a hot cache. The engine's columnar
/// ingest adds without strings and keeps counters and whole-second sums aside until the end of a batch
/// (src/engine/call_ingest.hpp).
///
/// Memory: about 1.3 KB fixed, plus per distinct talk or wait second 2-64 bytes (see
/// kpi::exact_histogram), 16-32 bytes per distinct agent, per distinct (agent, day) and per distinct
/// tracked caller.
///
/// Not thread-safe for concurrent writes (one state per thread, then merge); const members may be
/// called from many threads. Copyable and movable.
class call_stats {
 public:
  /// Adds one call. `local_day` is the call's local calendar day (days since 1970-01-01) in the zone
  /// periods are cut in (kpi::time_zone::local_day(r.start)); it keys outbound_calls_per_agent_day.
  ///
  /// Precondition: `r` is a valid record (kpi::check; call kpi::validate first when unsure). add()
  /// itself checks only what it needs: talk_s, hold_s, acw_s and (inbound) wait_s finite, >= 0 and below
  /// 2^62. Per outcome: `connected` counts as handled (either direction), outbound as connected too,
  /// inbound as answered; inbound `abandoned` and `timeout` as such; wait_s is used for inbound calls
  /// only, and an inbound call without wait_s counts in offered, answered and abandoned but in none of
  /// the wait-based KPIs (asa, queue and abandon times, service level, short abandons).
  /// @throws kpi::error errc::invalid_argument for a bad duration (the state is unchanged);
  /// errc::overflow when an exact sum would overflow (not reachable with real data).
  void add(const call_record &r, std::int32_t local_day);

  /// Adds a caller_tracker decision for a call of this window (see kpi/stats/callers.hpp).
  /// @throws kpi::error errc::invalid_argument when the state already holds decisions made with
  /// other tracker parameters.
  void add_caller_outcome(const caller_outcome &o);

  /// Adds `other` into this state: counters and sums add, histograms merge, sets unite (associative
  /// and commutative). @throws kpi::error errc::invalid_argument when both hold caller decisions made
  /// with different tracker parameters (the state is unchanged then).
  void merge(const call_stats &other);

  // ---- KPIs (kpis.md, "Calls and telesales"). Counts are defined (0) for an empty window; ratios and
  // means are undefined (std::nullopt) when their denominator or population is empty. ----

  /// calls: number of call records.
  [[nodiscard]] value calls() const noexcept { return static_cast<double>(counts().calls); }
  /// outbound_calls: outbound calls (dial attempts).
  [[nodiscard]] value outbound_calls() const noexcept { return static_cast<double>(counts().outbound); }
  /// outbound_calls_per_agent_day: outbound calls with an agent / distinct (agent, local day) pairs
  /// with at least one outbound call. Outbound calls without an agent_id (e.g. a dialer's unassigned
  /// attempts) are in neither term. Undefined without such pairs.
  [[nodiscard]] value outbound_calls_per_agent_day() const noexcept;
  /// connected_calls: outbound calls with outcome connected (voicemail is not connected).
  [[nodiscard]] value connected_calls() const noexcept {
    return static_cast<double>(counts().connected_outbound);
  }
  /// connection_rate: connected_calls / outbound_calls (fraction); undefined without outbound calls.
  [[nodiscard]] value connection_rate() const noexcept;
  /// handled_calls: calls of either direction with outcome connected.
  [[nodiscard]] value handled_calls() const noexcept { return static_cast<double>(talk_.count()); }
  /// avg_talk_time_s: mean talk_s over handled calls (seconds); undefined without handled calls.
  [[nodiscard]] value avg_talk_time_s() const noexcept { return talk_.mean(); }
  /// median_talk_time_s: median talk_s over handled calls (seconds; midpoint of the two middle values
  /// for an even count; exact for whole seconds, else within 0.5 s).
  [[nodiscard]] value median_talk_time_s() const { return talk_.quantile(0.5); }
  /// p90_talk_time_s: 90th percentile (type 7 interpolation) of talk_s over handled calls (seconds).
  [[nodiscard]] value p90_talk_time_s() const { return talk_.quantile(0.9); }
  /// short_call_share: handled calls with talk_s < p.short_call_threshold_s (strict) / handled calls.
  /// @throws kpi::error errc::invalid_argument for a threshold that is not a whole number of seconds.
  [[nodiscard]] value short_call_share(const kpi_params &p) const;
  /// talk_time_total_s: Σ talk_s over every call (seconds); 0 for an empty window.
  [[nodiscard]] value talk_time_total_s() const;
  /// aht_s: Σ(talk_s + hold_s + acw_s) over handled calls / handled calls (absent hold or acw count
  /// as 0); undefined without handled calls.
  [[nodiscard]] value aht_s() const;
  /// offered_calls: inbound calls.
  [[nodiscard]] value offered_calls() const noexcept { return static_cast<double>(counts().offered); }
  /// answered_calls: inbound calls with outcome connected.
  [[nodiscard]] value answered_calls() const noexcept { return static_cast<double>(counts().answered); }
  /// abandoned_calls: inbound abandons (+ timeouts when p.timeouts_as_abandons) minus short abandons
  /// (those with wait_s < p.short_abandon_threshold_s; an abandon without wait_s is never short).
  [[nodiscard]] value abandoned_calls(const kpi_params &p) const;
  /// abandon_rate: abandoned_calls / (offered_calls − short abandons); undefined when that is 0.
  [[nodiscard]] value abandon_rate(const kpi_params &p) const;
  /// asa_s: mean wait_s over answered inbound calls with a wait (seconds).
  [[nodiscard]] value asa_s() const noexcept { return wait_answered_.mean(); }
  /// avg_queue_time_s: mean wait_s over every inbound call with a wait, whatever its outcome.
  [[nodiscard]] value avg_queue_time_s() const;
  /// avg_abandon_time_s: mean wait_s over abandoned calls with a wait — outcome abandoned, plus timeout
  /// when p.timeouts_as_abandons — INCLUDING short abandons: it measures how long callers wait before
  /// giving up, and short abandons are the short end of that.
  [[nodiscard]] value avg_abandon_time_s(const kpi_params &p) const;
  /// service_level per p.service_level_formula with T = p.service_level_threshold_s (inclusive:
  /// wait_s <= T). Over inbound calls with a wait: O = those calls, A = answered, Ab = abandoned (+
  /// timeouts when p.timeouts_as_abandons), A_T and Ab_T = those within T. answered_only A_T/A;
  /// ignore_abandons A_T/(O − Ab_T); abandons_negative A_T/O; abandons_positive (A_T + Ab_T)/O;
  /// exclude_short_abandons A_T/(A + Ab − Ab_T). Undefined when the denominator is 0.
  /// @throws kpi::error errc::invalid_argument for a T that is not a whole number of seconds.
  [[nodiscard]] value service_level(const kpi_params &p) const;
  /// repeat_call_rate: callers (inbound, with a caller key) with a further inbound call within
  /// p.repeat_call_window_days after one of their calls in the window / distinct such callers.
  /// Undefined without tracked callers. @throws kpi::error errc::invalid_argument when the state was
  /// tracked with another window than p's.
  [[nodiscard]] value repeat_call_rate(const kpi_params &p) const;
  /// fcr_rate: 1 − repeat_call_rate (undefined when it is). @throws as repeat_call_rate.
  [[nodiscard]] value fcr_rate(const kpi_params &p) const;
  /// abandon_callback_rate: abandoned callers with an outbound call to the same caller within
  /// p.callback_window_hours after one of their abandons / distinct abandoned callers. Undefined
  /// without tracked abandons. @throws kpi::error errc::invalid_argument when the state was tracked
  /// with other parameters than p's.
  [[nodiscard]] value abandon_callback_rate(const kpi_params &p) const;

  // ---- Raw state, for the evaluators of KPIs that combine families (revenue_per_call,
  // sales_per_connected_call, revenue_per_rep) and for the engine. ----

  /// The raw counters (derived from the per-direction, per-outcome counts).
  [[nodiscard]] call_counts counts() const noexcept;
  /// Distinct non-empty agent_id values of the calls, as stable hashes.
  [[nodiscard]] const id_set &distinct_agents() const noexcept { return agents_; }
  /// Distinct (agent, local day) keys of outbound calls with an agent.
  [[nodiscard]] const id_set &agent_days() const noexcept { return agent_days_; }
  /// talk_s of handled calls.
  [[nodiscard]] const exact_histogram &talk_handled() const noexcept { return talk_; }
  /// wait_s of answered inbound calls.
  [[nodiscard]] const exact_histogram &wait_answered() const noexcept { return wait_answered_; }
  /// wait_s of abandoned inbound calls.
  [[nodiscard]] const exact_histogram &wait_abandoned() const noexcept { return wait_abandoned_; }
  /// wait_s of timed-out inbound calls.
  [[nodiscard]] const exact_histogram &wait_timeout() const noexcept { return wait_timeout_; }
  /// Distinct tracked callers (contacts), of them those who called again, distinct abandoned callers,
  /// of them those called back.
  [[nodiscard]] std::uint64_t unique_callers() const noexcept { return callers().callers.size(); }
  /// See unique_callers().
  [[nodiscard]] std::uint64_t repeat_callers() const noexcept { return callers().repeat_callers.size(); }
  /// See unique_callers().
  [[nodiscard]] std::uint64_t abandoned_callers() const noexcept {
    return callers().abandoned_callers.size();
  }
  /// See unique_callers().
  [[nodiscard]] std::uint64_t abandoned_called_back() const noexcept { return callers().called_back.size(); }
  /// The tracker parameters of the caller decisions held, or std::nullopt when there are none.
  [[nodiscard]] std::optional<caller_tracking> tracking() const {
    const caller_sets *c = callers_.get();
    return c == nullptr ? std::nullopt : std::optional<caller_tracking>(c->tracking);
  }

  /// The (agent, local day) key of an agent hash and a day: a stable bijective mix.
  static std::uint64_t agent_day_key(std::uint64_t agent_hash, std::int32_t local_day) noexcept;

  /// Appends the binary form (little-endian, versioned: u8 tag 'C', u8 version 1, then the counters,
  /// sums, histograms and sets; see src/stats/calls.cpp).
  void save(std::string &out) const;
  /// Reads a state written by save() from the front of `in` and advances `in` past it.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static call_stats load(std::string_view &in);

  /// Same state (the per-add caches are not part of it).
  friend bool operator==(const call_stats &a, const call_stats &b);

 private:
  friend class detail::call_ingest;  // the engine's columnar ingest (src/engine/call_ingest.hpp)
  // Calls by direction (0 outbound, 1 inbound) and outcome (0-6; 7: a value outside the enum): one
  // increment per call, the counters of call_counts are sums of these.
  std::uint64_t by_kind_[2][8] = {};
  std::uint64_t outbound_with_agent_ = 0;
  exact_sum talk_unhandled_;          // talk_s of calls not handled (handled ones: talk_)
  exact_sum hold_handled_;            // hold_s of handled calls
  exact_sum acw_handled_;             // acw_s of handled calls
  exact_sum wait_other_;              // wait_s of inbound calls not answered, abandoned or timed out
  std::uint64_t wait_inbound_n_ = 0;  // inbound calls with a wait_s
  exact_histogram talk_;              // talk_s of handled calls
  exact_histogram wait_answered_;
  exact_histogram wait_abandoned_;
  exact_histogram wait_timeout_;
  id_set agents_;
  id_set agent_days_;
  // The caller decisions (add_caller_outcome) and the tracker parameters they were made with: on the
  // heap from the first one, since most states (an engine without caller tracking) never get one.
  struct caller_sets {
    caller_tracking tracking;
    id_set callers;
    id_set repeat_callers;
    id_set abandoned_callers;
    id_set called_back;
  };
  // The decisions held, or empty sets.
  [[nodiscard]] const caller_sets &callers() const noexcept;
  detail::rare<caller_sets> callers_;
  // Per-add caches (not state): the last agent id and its hash; the day of the last (agent, day) key
  // inserted for that agent.
  std::string last_agent_;
  std::uint64_t last_agent_hash_ = 0;
  std::int32_t last_day_ = 0;
  bool have_last_agent_ = false;
  bool have_last_agent_day_ = false;
};

}  // namespace kpi
