/// @file
/// @brief The streaming engine: grouped, windowed, mergeable KPI state in memory that grows with the
/// number of (group, period) cells, never with the number of records.
///
/// An engine takes records one at a time or in columnar batches, files each one in the cell of its group
/// (any combination of the group-by dimensions of the contract) and its calendar period (cut in an IANA
/// time zone), and keeps only the family accumulators of each cell (kpi::group_state). Any catalog KPI
/// can then be asked for any group, period and roll-up at any moment, without a rescan: a roll-up (agent
/// → team → all) or a coarser period (days → month) is the merge of the cells it covers.
///
/// - **Memory.** One kpi::group_state per non-empty cell (its size depends on the distinct values it
///   holds: see kpi/stats/*.hpp), one dictionary entry per distinct group value, plus the opt-in
///   identity structures: the de-duplication set (8 bytes of hash per distinct record id, plus hash
///   table overhead), the first-order map of new_customers (one entry per distinct customer) and the
///   order activity of churn from orders (per cell, one entry per distinct ordering customer).
/// - **Quantiles** of talk time, wait and response time are exact for whole-second inputs and within
///   half a second otherwise (kpi::exact_histogram); merging never loses precision.
/// - **Merge** is associative and commutative: engines built over any split of a stream, merged in any
///   order, answer every windowed KPI exactly as one engine fed the whole stream.
/// - **Serialization**: save() writes a versioned little-endian binary format (magic "KPIE", format
///   version, CRC-32), load() validates everything and rejects corrupt or truncated bytes with
///   errc::corrupt, allocating only in proportion to the bytes present. See docs/engine.md.
///
/// **Threading.** An engine is not thread-safe: use one engine per thread (or shard) and merge() them;
/// const members (queries, save) may run from several threads at once when nothing writes.
///
/// **Out of memory.** An ingest (add(), add_calls()) or merge() that throws std::bad_alloc may have
/// stored part of a record or of a cell. The engine then refuses every later ingest, merge, query and
/// save with kpi::error errc::no_memory (never a wrong number or a corrupt save); counts(), extent(),
/// cell_count(), copies and destruction still work. Load the last saved state or start a new engine. A
/// query or save() that throws std::bad_alloc changes nothing (tests/alloc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kpi/catalog.hpp"
#include "kpi/money.hpp"
#include "kpi/records.hpp"
#include "kpi/stats/calls.hpp"
#include "kpi/time.hpp"
#include "kpi/value.hpp"

namespace kpi {

/// A group-by dimension of the contract. Values are pinned (saved states and the C ABI store them).
///
/// A record family that has no such field files its records under the empty value "" of that
/// dimension: calls have agent_id, team_id, campaign_id, queue_id; orders and opportunities agent_id,
/// team_id, campaign_id; leads agent_id, campaign_id, source; customers campaign_id; spend campaign_id
/// and channel.
enum class dimension : std::int32_t {
  agent_id = 0,     ///< The agent (sales rep).
  team_id = 1,      ///< The team.
  campaign_id = 2,  ///< The campaign.
  queue_id = 3,     ///< The call queue (inbound).
  channel = 4,      ///< The marketing channel (spend).
  source = 5,       ///< The lead source.
};

/// The contract's name ("agent_id", "team_id", ...). Static storage, never null.
const char *to_string(dimension d) noexcept;

/// The inverse of to_string(dimension). @throws kpi::error errc::parse naming the text.
dimension parse_dimension(std::string_view text);

/// How an engine groups, buckets and treats its records. Plain data, copyable.
struct engine_options {
  /// The dimensions that key a cell, in the order reports list them. Distinct; empty: one group.
  std::vector<dimension> group_by;
  /// The calendar period of a cell. Queries may ask for any period that is a union of these (days
  /// answer weeks, months, quarters, years; months answer quarters and years); none keeps one cell per
  /// group for all time.
  period_kind period = period_kind::day;
  /// The time zone periods are cut in (UTC by default).
  time_zone zone;
  /// The currency of amounts that carry none (kpi::money with currency XXX).
  currency default_currency;
  /// Conversion rates: when set, every amount is converted into `rates->target()` as it is ingested,
  /// so groups that meet several currencies can be added. Without rates an order in another currency
  /// than its cell's is rejected, and a roll-up that meets two currencies throws on money KPIs.
  std::optional<rate_table> rates;
  /// Opt-in: drop a record whose id (call_id, order_id, lead_id, opportunity_id, customer_id; for spend
  /// the whole row) was already accepted, so a re-sent batch is not counted twice. Costs one 64-bit
  /// hash per accepted record (memory grows with the number of distinct records).
  bool deduplicate = false;
  /// Opt-in: keep the per-caller identities needed by repeat_call_rate, fcr_rate and
  /// abandon_callback_rate (see kpi::call_stats). Off: those KPIs are undefined.
  bool track_callers = false;
  /// The windows the caller-identity KPIs are decided with (when track_callers). Queries must use the
  /// same kpi_params (repeat_call_window_days, callback_window_hours, timeouts_as_abandons).
  caller_tracking callers;
  /// When track_callers: a call starting more than this many hours before the newest call seen is
  /// still counted, but no longer tracked for the caller KPIs (ingest_counts::untracked), because the
  /// outcomes of the calls around it were already decided. Finite, >= 0.
  double caller_lateness_hours = 24;
  /// Opt-in: keep one entry per distinct customer to decide in which cell each customer's first order
  /// falls (new_customers, cac, retention_rate). Off: those KPIs are undefined.
  bool track_first_orders = false;
  /// Opt-in: keep each cell's per-customer order spells (kpi::order_activity) so that churn can be
  /// derived from orders (kpi_params::churn_inactivity_days > 0: customers_at_start, customers_at_end,
  /// customers_lost, churn_rate, retention_rate, measured clv). Off: those are undefined in that variant.
  /// Memory grows with the distinct ordering customers of each cell (see kpi/stats/activity.hpp).
  bool track_order_activity = false;
  /// When track_order_activity: the resolution of the spells, in days (finite, 0 to 36500): queries
  /// can ask for any inactivity period >= it. At least the cell period's length (1 for day cells, the
  /// default) keeps one spell per customer and cell; 0 keeps every distinct order instant.
  double order_activity_resolution_days = 1;

  /// Throws kpi::error errc::invalid_argument for a repeated dimension, an out-of-range dimension or
  /// period kind, a default currency that differs from the rates' target, or an order activity
  /// resolution out of range.
  void validate() const;
};

/// A dictionary-encoded string column, as an Arrow dictionary array: row i holds
/// `dictionary[codes[i]]`; a code of -1 is null (the empty string). An empty `codes` span means the
/// column is absent (every row empty). Borrowed: the spans must stay valid during the call.
struct dictionary_column {
  std::span<const std::int32_t> codes;           ///< One code per row, or empty.
  std::span<const std::string_view> dictionary;  ///< The distinct strings the codes index.
};

/// A batch of call records as columns (struct of arrays), all of `rows` entries unless said otherwise.
/// Borrowed: nothing is kept after add_calls() returns.
struct call_columns {
  std::size_t rows = 0;                       ///< Number of records.
  std::span<const std::string_view> call_id;  ///< Ids; may be empty (absent) unless deduplicating.
  dictionary_column agent_id;                 ///< Agent ids.
  dictionary_column team_id;                  ///< Team ids (optional column).
  dictionary_column campaign_id;              ///< Campaign ids (optional column).
  dictionary_column queue_id;                 ///< Queue ids (optional column).
  dictionary_column caller;                   ///< Caller keys (optional column).
  std::span<const std::int32_t> direction;    ///< kpi::direction values.
  std::span<const std::int64_t> start_ms;     ///< Start, UTC milliseconds since the Unix epoch.
  std::span<const double> wait_s;             ///< Seconds in queue; NaN = absent; empty = all absent.
  std::span<const double> talk_s;             ///< Seconds of conversation (required).
  std::span<const double> hold_s;             ///< Seconds on hold; NaN = absent; empty = all absent.
  std::span<const double> acw_s;              ///< Seconds of after-call work; NaN = absent; empty = absent.
  std::span<const std::int32_t> outcome;      ///< kpi::call_outcome values.
};

/// What the engine did with the records it was given. read = accepted + rejected + duplicates.
struct ingest_counts {
  std::uint64_t read = 0;        ///< Records given to add() or add_*() (every row of a batch).
  std::uint64_t accepted = 0;    ///< Records filed in a cell.
  std::uint64_t rejected = 0;    ///< Records that failed validation (kpi::check) or their currency.
  std::uint64_t duplicates = 0;  ///< Records dropped by de-duplication (a repeated id).
  std::uint64_t late = 0;        ///< Accepted records anchored in an earlier period than the latest
                                 ///< one the engine had seen (they still land in their own period).
  std::uint64_t untracked = 0;   ///< Accepted calls too late for caller tracking (see
                                 ///< engine_options::caller_lateness_hours).
  /// The reasons of the first rejections (at most ingest_counts::max_reasons), e.g.
  /// "call 'C17': talk_s: -3 is negative".
  std::vector<std::string> reasons;
  /// How many rejection reasons are kept.
  static constexpr std::size_t max_reasons = 8;

  /// Same counts and reasons.
  friend bool operator==(const ingest_counts &, const ingest_counts &) = default;
};

/// The values of some group-by dimensions: a group key (all dimensions of the engine) or a filter
/// (some of them). Ordered as given.
using group_values = std::vector<std::pair<dimension, std::string>>;

/// A query's group: the dimensions it fixes; every other dimension is rolled up (its cells merged).
/// An empty filter is the whole business.
struct group_filter {
  group_values fixed;  ///< The fixed dimensions and their values; each dimension at most once.

  /// Fixes dimension `d` to `value` and returns *this (for chaining).
  group_filter &where(dimension d, std::string value) {
    fixed.emplace_back(d, std::move(value));
    return *this;
  }
};

/// A bulk query: the rows of a KPI report.
struct report_request {
  std::vector<kpi_id> kpis;  ///< The KPIs of every row, in column order (windowed KPIs only).
  /// The dimensions of the rows' groups: a subset of the engine's group_by (the others are rolled
  /// up). Empty: only the overall rows.
  std::vector<dimension> group_by;
  /// The period of the rows; absent: the engine's period. Must be answerable (see engine::evaluate).
  std::optional<period_kind> period;
  /// First period of the report (inclusive, of the report's kind); absent: the first period holding
  /// data. Every period from `from` to `to` gets a row, with data or not.
  std::optional<kpi::period> from;
  /// Last period of the report (inclusive, of the report's kind); absent: the last period holding data.
  std::optional<kpi::period> to;
  /// Also emit the overall rows (empty group) of each period, after that period's group rows.
  bool overall = true;
  /// The KPIs' variant parameters.
  kpi_params params;
};

/// One row of a report: one group (empty = overall), one period, the values of the requested KPIs.
struct report_row {
  group_values group;         ///< The group's values in report_request::group_by order; empty: overall.
  kpi::period period;         ///< The period.
  std::vector<value> values;  ///< One per requested KPI (std::nullopt: undefined); money in major units.
  std::optional<kpi::currency> currency;  ///< The currency of the money values; none when no money.
};

/// The result of engine::report().
struct report {
  std::vector<kpi_id> kpis;                ///< The columns.
  std::vector<dimension> group_by;         ///< The dimensions of the row groups.
  period_kind period = period_kind::none;  ///< The kind of the rows' periods.
  std::vector<report_row> rows;            ///< Rows ordered by period, then group (overall last), then value.
  ingest_counts counts;                    ///< The engine's ingest counts when the report was made.
};

/// The report as JSON, the shape `kpi report` prints:
/// `{"rows": [{"group": {"agent_id": "A1"}, "period": "2026-11", "kpis": {"connection_rate": 0.61,
/// "abandon_rate": null}, "currency": "IDR"}], "group_by": [...], "period": "month",
/// "counts": {"read": .., "accepted": .., "rejected": .., "duplicates": .., "late": .., "reasons": []}}`.
/// Undefined values are null; "currency" is null when the row holds no money.
std::string to_json(const report &r);

/// The streaming KPI engine. See the file comment. Not thread-safe: one engine per thread, then merge().
/// Copyable (a deep copy) and movable; a moved-from engine may only be destroyed or assigned to.
class engine {
 public:
  /// An empty engine. @throws kpi::error errc::invalid_argument when the options are invalid.
  explicit engine(engine_options options = {});
  ~engine();
  /// Deep copy.
  engine(const engine &other);
  /// Deep copy.
  engine &operator=(const engine &other);
  /// Move.
  engine(engine &&other) noexcept;
  /// Move.
  engine &operator=(engine &&other) noexcept;

  /// The options the engine was made with.
  [[nodiscard]] const engine_options &options() const noexcept;

  /// Replaces the conversion rates (same target currency as before, or the engine's default currency
  /// when it had none): for an engine made by load(), which keeps only the rates' target.
  /// @throws kpi::error errc::invalid_argument for another target.
  void set_rates(rate_table rates);

  /// @name Ingest
  /// Each add() files one record and returns true, or counts it as rejected (a kpi::check failure, an
  /// amount in a currency the cell cannot take) or as a duplicate and returns false. Nothing is thrown
  /// for a bad record. Cost per call record: under 100 ns (see docs/performance.md).
  /// @{

  /// A call, in the period of its `start`.
  bool add(const call_record &r);
  /// An order, in the period of its `time`. Linked-call revenue, profit and new customers follow.
  bool add(const order_record &r);
  /// A lead, in the period of its `created` (its milestones are counted by kpi::lead_stats).
  bool add(const lead_record &r);
  /// An opportunity: in the period of its `created` (new opportunities) and, when closed, of its
  /// `closed` (wins, losses, sales cycle).
  bool add(const opportunity_record &r);
  /// A customer relationship: in the period of its `acquired` and, when churned, of its `churned`.
  bool add(const customer_record &r);
  /// A spend row, prorated over the periods `[start, end)` overlaps by the milliseconds it spends in
  /// each (integer minor units; the remainders are distributed so the parts add up to the amount).
  /// A row overlapping more than 100000 periods is rejected.
  bool add(const spend_record &r);

  /// A batch of calls in columns. Equivalent to add() of each row in order (same state, same counts),
  /// but the dictionaries are interned once per batch: the fast path (docs/performance.md has the
  /// measured cost, about 17 ns per call for a month-cell engine). Its validation loops run in the
  /// instruction set batch_simd() names.
  /// @return the number of rows accepted.
  /// @throws kpi::error errc::invalid_argument when a column's length is neither `rows` nor 0 (for the
  /// optional ones), a code is outside its dictionary, or `call_id` is missing while deduplicating.
  /// Nothing is ingested then.
  std::size_t add_calls(const call_columns &batch);

  /// Every record of a span, in order; returns the number accepted.
  std::size_t add(std::span<const call_record> records);
  /// Every record of a span, in order; returns the number accepted.
  std::size_t add(std::span<const order_record> records);
  /// @}

  /// Adds the state of `other` (associative and commutative): afterwards this engine answers as if it
  /// had been fed both streams. Dictionaries are remapped; ingest counts add up.
  /// @throws kpi::error errc::invalid_argument when the options differ (group_by, period, zone, default
  /// currency, rates' target, the three opt-ins) or, when deduplicating, when a record id was accepted
  /// by both engines (it would count twice: shard by record id); errc::currency_mismatch when a cell
  /// meets two currencies. On these errors this engine is unchanged (they are checked first); an
  /// errc::overflow of an exact sum (not reachable with real data) may leave it partly merged.
  void merge(const engine &other);

  /// The same as merge(const engine &), but the cells this engine lacks are moved out of `other`
  /// rather than copied (a pointer each): the way to combine one engine per thread at the end of a
  /// parallel ingest. `other` is left empty, as if newly constructed with its options (also when the
  /// merge fails after taking cells; a merge refused by its checks leaves it unchanged). Same
  /// exceptions and guarantees.
  void merge(engine &&other);

  /// @name Queries
  /// @{

  /// The groups holding data, each as the values of options().group_by, sorted by those values.
  [[nodiscard]] std::vector<group_values> groups() const;

  /// The periods (of options().period) holding data, in chronological order.
  [[nodiscard]] std::vector<period> periods() const;

  /// KPI `id` for the cells matching `filter` in period `p`.
  ///
  /// `p` may be of the engine's kind or a coarser kind made of whole engine periods (see
  /// engine_options::period), or kind none (all time). The KPI is evaluated (kpi::evaluate) with the
  /// window = merge of the matching cells inside `p`, before = merge of those before it (snapshots such
  /// as open_opportunities, customers_at_start), previous = the period before `p` and year_before = the
  /// same period a year earlier (sales_growth; a day's year-before is the same date, 29 February taking
  /// 28 February). A filter naming no existing group gives the KPIs of an empty window.
  /// Money values are in major units of the window's currency (see report_row::currency).
  /// @throws kpi::error errc::invalid_argument for a filter on a dimension outside group_by or repeated,
  /// a period the engine cannot answer, invalid parameters or a KPI that is not windowed
  /// (opportunity_score, target_attainment); errc::unknown_kpi; errc::currency_mismatch when the
  /// roll-up meets two currencies on a money KPI.
  [[nodiscard]] value evaluate(kpi_id id, const group_filter &filter, period p,
                               const kpi_params &params = {}) const;

  /// The rows of a report (see report_request). Each group/period's window, prefix (before) and
  /// comparison windows are merged once, so a full per-agent monthly report costs O(cells) merges.
  /// @throws kpi::error as evaluate().
  [[nodiscard]] report make_report(const report_request &request) const;

  /// What the engine did with its input so far.
  [[nodiscard]] const ingest_counts &counts() const noexcept;

  /// The span of the anchor instants of the accepted records: [earliest, latest + 1 ms); std::nullopt
  /// before the first accepted record.
  [[nodiscard]] std::optional<window> extent() const noexcept;

  /// The number of (group, period) cells holding state.
  [[nodiscard]] std::size_t cell_count() const noexcept;
  /// @}

  /// @name Serialization
  /// @{

  /// The whole state (options except the individual rates, dictionaries, cells, identity sets, counts)
  /// in the versioned binary format of docs/engine.md. Canonical: engines in the same state (e.g. a
  /// merge of shards and the single pass over them) give the same bytes.
  [[nodiscard]] std::string save() const;

  /// An engine in the state written by save() (any earlier format version too). Its options().rates, if
  /// the saved engine had rates, holds the target currency only: call set_rates() before adding
  /// amounts in other currencies.
  /// @throws kpi::error errc::corrupt for bytes that are not a saved engine, are truncated, fail the
  /// checksum or are inconsistent in any way; never crashes, never allocates beyond what the bytes
  /// can describe.
  [[nodiscard]] static engine load(std::string_view bytes);
  /// @}

  /// The engine's state: opaque, defined in the library's sources only.
  struct impl;

 private:
  void merge_impl(const engine &other, bool steal);
  std::unique_ptr<impl> impl_;
};

/// The instruction set engine::add_calls() validates its columns in: "avx512" (x86-64-v4's AVX-512),
/// "avx2", "sse2" (the x86-64 baseline) or "portable" (other processors and compilers: whatever the
/// compiler made of the loops). Chosen once per process, at the first call: the best that the processor
/// and the operating system support, capped by the environment variable `KPI_SIMD` (`sse2`, `avx2` or
/// `avx512`; another value is ignored). Every choice gives the same results. Thread-safe; the string is
/// static.
const char *batch_simd() noexcept;

}  // namespace kpi
