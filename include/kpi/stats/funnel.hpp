/// @file
/// @brief Funnel accumulators of one window: kpi::lead_stats (leads and their milestones) and
/// kpi::opportunity_stats (opportunities created and closed, and the open-pipeline snapshot), plus the
/// per-record kpi::opportunity_score.
///
/// Both accumulators are exact and mergeable (associative, commutative; merging the states of any split
/// of a stream equals the state of the whole stream) and serializable (little-endian, versioned).
/// Not thread-safe for concurrent writes; const members may be called from many threads. Copyable.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kpi/money.hpp"
#include "kpi/records.hpp"
#include "kpi/stats/histogram.hpp"

namespace kpi {

/// Leads of one window.
///
/// The caller feeds each lead record to up to four functions, according to which of its instants fall
/// in the window `[start, end)`:
/// - add() when `created` is in the window: the cohort counters (of the leads created here, how many
///   ever reached MQL, MQL and SQL, opportunity, won, as the record says now) and the response time;
/// - add_mql(), add_sql(), add_opportunity() when that milestone's instant is in the window: the flow
///   counters mqls, sqls and the `period` form of lead_to_opportunity_rate.
///
/// Response time = first_contact − created in seconds (exact to the input's millisecond resolution;
/// median exact for whole seconds, see kpi::exact_histogram); a lead without first_contact is counted
/// as uncontacted instead. Memory: about 250 bytes plus about 64 bytes per distinct response time.
class lead_stats {
 public:
  /// Adds a lead created in the window. @throws kpi::error errc::invalid_argument for an invalid
  /// record (kpi::check). State unchanged on error.
  void add(const lead_record &l);
  /// Counts a lead whose `mql` instant is in the window. @throws kpi::error errc::invalid_argument when
  /// the record is invalid or has no mql.
  void add_mql(const lead_record &l);
  /// Counts a lead whose `sql` instant is in the window. @throws as add_mql() (no sql).
  void add_sql(const lead_record &l);
  /// Counts a lead whose `opportunity` instant is in the window. @throws as add_mql() (no opportunity).
  void add_opportunity(const lead_record &l);

  /// Adds `other` into this state (associative and commutative). @throws kpi::error errc::overflow.
  void merge(const lead_stats &other);

  /// Leads created in the window.
  [[nodiscard]] std::uint64_t leads() const noexcept { return leads_; }
  /// Leads whose MQL instant is in the window.
  [[nodiscard]] std::uint64_t mqls() const noexcept { return mqls_; }
  /// Leads whose SQL instant is in the window.
  [[nodiscard]] std::uint64_t sqls() const noexcept { return sqls_; }
  /// Leads whose opportunity instant is in the window (period form of lead_to_opportunity_rate).
  [[nodiscard]] std::uint64_t opportunities() const noexcept { return opportunities_; }
  /// Of the leads created in the window: those with an mql instant.
  [[nodiscard]] std::uint64_t cohort_mqls() const noexcept { return cohort_mql_; }
  /// Of the leads created in the window: those with both an mql and an sql instant (a lead that skipped
  /// MQL, e.g. sourced by sales, is in neither side of mql_to_sql_rate).
  [[nodiscard]] std::uint64_t cohort_mql_sqls() const noexcept { return cohort_mql_sql_; }
  /// Of the leads created in the window: those with an opportunity instant.
  [[nodiscard]] std::uint64_t cohort_opportunities() const noexcept { return cohort_opportunity_; }
  /// Of the leads created in the window: those with a won instant.
  [[nodiscard]] std::uint64_t cohort_won() const noexcept { return cohort_won_; }
  /// Response times (first_contact − created, seconds) of the contacted leads created in the window.
  [[nodiscard]] const exact_histogram &response_times_s() const noexcept { return response_; }
  /// Leads created in the window without a first_contact.
  [[nodiscard]] std::uint64_t uncontacted() const noexcept { return uncontacted_; }

  /// Appends the binary form to `out` (see src/stats/funnel.cpp).
  void save(std::string &out) const;
  /// Reads a state written by save() from the front of `in`, advancing it.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static lead_stats load(std::string_view &in);

  /// Same state.
  friend bool operator==(const lead_stats &, const lead_stats &) = default;

 private:
  std::uint64_t leads_ = 0;
  std::uint64_t mqls_ = 0;
  std::uint64_t sqls_ = 0;
  std::uint64_t opportunities_ = 0;
  std::uint64_t cohort_mql_ = 0;
  std::uint64_t cohort_mql_sql_ = 0;
  std::uint64_t cohort_opportunity_ = 0;
  std::uint64_t cohort_won_ = 0;
  std::uint64_t uncontacted_ = 0;
  exact_histogram response_;
};

/// The open pipeline at an instant: see opportunity_stats::open_at_end().
struct pipeline_snapshot {
  std::int64_t open = 0;                       ///< Open opportunities (created before, not closed before).
  std::int64_t amount_minor = 0;               ///< Σ amount of those, minor units of `cur`.
  std::optional<std::int64_t> weighted_minor;  ///< Σ amount × probability, each term rounded to a
                                               ///< minor unit; std::nullopt when an open opportunity
                                               ///< has no probability.
  std::optional<kpi::currency> cur;            ///< The currency; std::nullopt when no amount was seen.
};

/// Opportunities of one window.
///
/// The caller calls add_created() for an opportunity whose `created` instant is in the window and
/// add_closed() for one whose `closed` instant is in it (the same record, with its final status, amount
/// and probability). The open pipeline at a window's end is then a difference of flows:
/// open = (created before the end) − (closed before the end), see open_at_end().
///
/// Money is exact int64 minor units in ONE currency per state (the first opportunity's); another
/// currency throws errc::currency_mismatch (convert with a kpi::rate_table first). The weighted amount
/// of one opportunity is `amount.minor × probability` rounded to the nearest minor unit, ties to even
/// (like Odoo's prorated revenue, rounded per record to the currency's precision), computed in double
/// (exact for amounts below 2^53 minor units); these integers are then summed exactly, so the weighted
/// pipeline does not depend on the order of the records. Sales cycle = closed − created of the won
/// ones, kept in seconds (reported in days of 86,400 s, fractional; Odoo truncates to whole days).
/// Memory: about 300 bytes plus about 64 bytes per distinct won sales-cycle length.
class opportunity_stats {
 public:
  /// Adds an opportunity created in the window. @throws kpi::error errc::invalid_argument (invalid
  /// record), errc::currency_mismatch, errc::overflow. State unchanged on error.
  void add_created(const opportunity_record &o);
  /// Adds an opportunity closed (won or lost) in the window. @throws as add_created(), and
  /// errc::invalid_argument for an open opportunity.
  void add_closed(const opportunity_record &o);

  /// Adds `other` into this state (associative and commutative). @throws kpi::error
  /// errc::currency_mismatch, errc::overflow; the state is unchanged on error.
  void merge(const opportunity_stats &other);

  /// The currency of the amounts; std::nullopt while none was added.
  [[nodiscard]] std::optional<kpi::currency> currency() const noexcept { return currency_; }
  /// Opportunities created in the window.
  [[nodiscard]] std::uint64_t created() const noexcept { return created_; }
  /// Of those, the ones whose status is won (cohort win rate).
  [[nodiscard]] std::uint64_t created_won() const noexcept { return created_won_; }
  /// Opportunities won with a close instant in the window.
  [[nodiscard]] std::uint64_t won() const noexcept { return won_; }
  /// Opportunities lost with a close instant in the window.
  [[nodiscard]] std::uint64_t lost() const noexcept { return lost_; }
  /// Sales cycles (closed − created, seconds) of the opportunities won in the window.
  [[nodiscard]] const exact_histogram &sales_cycles_s() const noexcept { return cycle_; }

  /// The open pipeline at the end of `window` given `before`, the state of everything before the
  /// window's start: counts, amounts and weighted amounts of (before + window).created minus
  /// (before + window).closed. @throws kpi::error errc::currency_mismatch when the two states are in
  /// different currencies; errc::overflow.
  static pipeline_snapshot open_at_end(const opportunity_stats &before, const opportunity_stats &window);

  /// Appends the binary form to `out` (see src/stats/funnel.cpp).
  void save(std::string &out) const;
  /// Reads a state written by save() from the front of `in`, advancing it.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input.
  static opportunity_stats load(std::string_view &in);

  /// Same state.
  friend bool operator==(const opportunity_stats &, const opportunity_stats &) = default;

 private:
  // One side of the snapshot difference: opportunities created, or closed, in the window.
  struct flow {
    std::uint64_t count = 0;
    std::int64_t amount = 0;       // minor units
    std::int64_t weighted = 0;     // Σ round(amount × probability), minor units
    std::uint64_t unweighted = 0;  // opportunities without a probability
    friend bool operator==(const flow &, const flow &) = default;
  };
  void add_flow(flow &f, const opportunity_record &o);
  std::optional<kpi::currency> currency_;
  flow created_flow_;
  flow closed_flow_;
  std::uint64_t created_ = 0;
  std::uint64_t created_won_ = 0;
  std::uint64_t won_ = 0;
  std::uint64_t lost_ = 0;
  exact_histogram cycle_;
};

/// The 1–5 score of an open opportunity from weighted criteria: `1 + round(4 × Σ wᵢ·sᵢ)`, round half
/// up (2.5 → 3). `criteria` are the sᵢ, each in [0, 1]; `weights` the wᵢ, each finite and >= 0, summing
/// to 1 within 1e-9; both the same non-zero length. Pure, thread-safe.
/// @throws kpi::error errc::invalid_argument naming the offending value.
int opportunity_score(std::span<const double> criteria, std::span<const double> weights);

/// The 1–5 score of an open opportunity from its win probability bucketed by caller thresholds:
/// `1 + (number of thresholds t with probability >= t)`. `thresholds` are exactly 4 strictly
/// increasing values in [0, 1] (e.g. {0.2, 0.4, 0.6, 0.8}: 0.5 scores 3, 0.8 scores 5, inclusive lower
/// bounds); `probability` in [0, 1]. Pure, thread-safe.
/// @throws kpi::error errc::invalid_argument naming the offending value.
int opportunity_score_from_probability(double probability, std::span<const double> thresholds);

}  // namespace kpi
