/// @file
/// @brief The canonical records of the contract (kpis.md, "Canonical records"): one struct per family
/// (call, order, lead, opportunity, customer, spend, target), their enums, and their validation.
///
/// Field names are the CSV column names. Durations are seconds (double), instants are kpi::timestamp
/// (UTC milliseconds), amounts are kpi::money (integer minor units + currency), rates are fractions 0..1.
/// An optional column maps to std::optional (absent and empty are the same: std::nullopt) or, for ids,
/// to an empty string.
///
/// Enum values are pinned: the C ABI stores them as int32 and they are never renumbered.
///
/// Records are plain aggregates, safe to copy and to read from many threads. The string members are
/// reused by the CSV readers from row to row, so reading allocates only while ids grow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kpi/money.hpp"
#include "kpi/time.hpp"

namespace kpi {

/// Direction of a call. CSV: `outbound`, `inbound`.
enum class direction : std::int32_t {
  outbound = 0,  ///< Dialled by an agent or a dialer.
  inbound = 1,   ///< Received from a customer (entered a queue).
};

/// How a call ended. CSV: `connected`, `no_answer`, `busy`, `failed`, `voicemail`, `abandoned`,
/// `timeout`.
enum class call_outcome : std::int32_t {
  connected = 0,  ///< A person talked with an agent (outbound answered, inbound answered).
  no_answer = 1,  ///< Outbound: rang out without an answer.
  busy = 2,       ///< Outbound: the line was busy.
  failed = 3,     ///< The call could not be placed (network, invalid number).
  voicemail = 4,  ///< Outbound: reached an answering machine (not connected).
  abandoned = 5,  ///< Inbound: the caller hung up while waiting in the queue.
  timeout = 6,    ///< Inbound: the queue's maximum wait expired (Asterisk EXITWITHTIMEOUT).
};

/// Kind of an order. CSV: `new`, `upsell`, `cross_sell` (default `new`).
enum class order_kind : std::int32_t {
  new_sale = 0,    ///< A first or ordinary sale (CSV `new`).
  upsell = 1,      ///< A higher-value version of what the customer buys.
  cross_sell = 2,  ///< A complementary product.
};

/// Status of an opportunity. CSV: `open`, `won`, `lost`.
enum class opportunity_status : std::int32_t {
  open = 0,  ///< Not closed yet.
  won = 1,   ///< Closed as won.
  lost = 2,  ///< Closed as lost.
};

/// Comparison of a target. CSV: `>=`, `<=`, `between`.
enum class target_op : std::int32_t {
  at_least = 0,  ///< actual >= value (CSV `>=`).
  at_most = 1,   ///< actual <= value (CSV `<=`).
  between = 2,   ///< value <= actual <= value2, both inclusive (CSV `between`).
};

/// The CSV spelling ("outbound"). Static storage, never null.
const char *to_string(direction v) noexcept;
/// The CSV spelling ("no_answer"). Static storage, never null.
const char *to_string(call_outcome v) noexcept;
/// The CSV spelling ("new", "upsell", "cross_sell"). Static storage, never null.
const char *to_string(order_kind v) noexcept;
/// The CSV spelling ("open", "won", "lost"). Static storage, never null.
const char *to_string(opportunity_status v) noexcept;
/// The CSV spelling (">=", "<=", "between"). Static storage, never null.
const char *to_string(target_op v) noexcept;

/// Parses the exact CSV spelling (case-sensitive). @throws kpi::error errc::parse naming the value and
/// the accepted ones.
direction parse_direction(std::string_view text);
/// Parses the exact CSV spelling. @throws kpi::error errc::parse.
call_outcome parse_call_outcome(std::string_view text);
/// Parses the exact CSV spelling (`new`, `upsell`, `cross_sell`). @throws kpi::error errc::parse.
order_kind parse_order_kind(std::string_view text);
/// Parses the exact CSV spelling. @throws kpi::error errc::parse.
opportunity_status parse_opportunity_status(std::string_view text);
/// Parses `>=`, `<=` or `between`. @throws kpi::error errc::parse.
target_op parse_target_op(std::string_view text);

/// One call attempt or queue call. Anchor time: `start`.
struct call_record {
  std::string call_id;                                  ///< Unique id of the call (required, not empty).
  std::string agent_id;                                 ///< The agent; empty for a call nobody answered.
  std::string team_id;                                  ///< Optional.
  std::string campaign_id;                              ///< Optional.
  std::string queue_id;                                 ///< Optional (inbound).
  kpi::direction direction = kpi::direction::outbound;  ///< Outbound or inbound.
  std::string caller;                                   ///< Optional customer number or contact key.
  timestamp start{};                                    ///< When it was dialled or entered the queue.
  std::optional<double> wait_s;                    ///< Seconds in queue before answer or hang-up (inbound).
  double talk_s = 0;                               ///< Seconds of conversation; 0 when not connected.
  std::optional<double> hold_s;                    ///< Seconds on hold (absent: not recorded, counts as 0).
  std::optional<double> acw_s;                     ///< Seconds of after-call work (absent: counts as 0).
  call_outcome outcome = call_outcome::connected;  ///< How it ended.

  /// Field-by-field equality.
  friend bool operator==(const call_record &, const call_record &) = default;
};

/// One order (a sale). Anchor time: `time`.
struct order_record {
  std::string order_id;                    ///< Unique id (required, not empty).
  std::string customer_id;                 ///< Optional.
  std::string agent_id;                    ///< Optional.
  std::string team_id;                     ///< Optional.
  std::string campaign_id;                 ///< Optional.
  std::string call_id;                     ///< Optional: the call that made the sale.
  timestamp time{};                        ///< When the order was placed.
  money amount;                            ///< Revenue, >= 0.
  std::optional<money> cost;               ///< Cost of goods and direct cost, >= 0, same currency as amount.
  order_kind kind = order_kind::new_sale;  ///< New sale, upsell or cross-sell.

  /// Field-by-field equality.
  friend bool operator==(const order_record &, const order_record &) = default;
};

/// One lead and its funnel milestones. Anchor time: `created`.
struct lead_record {
  std::string lead_id;                     ///< Unique id (required, not empty).
  std::string agent_id;                    ///< Optional.
  std::string campaign_id;                 ///< Optional.
  std::string source;                      ///< Optional lead source (web, referral, ...).
  timestamp created{};                     ///< When the lead was created.
  std::optional<timestamp> first_contact;  ///< First contact by the team (response time).
  std::optional<timestamp> mql;            ///< Became marketing-qualified.
  std::optional<timestamp> sql;            ///< Became sales-qualified.
  std::optional<timestamp> opportunity;    ///< Became an opportunity.
  std::optional<timestamp> won;            ///< Won (converted to a customer).
  std::optional<timestamp> lost;           ///< Lost.

  /// Field-by-field equality.
  friend bool operator==(const lead_record &, const lead_record &) = default;
};

/// One sales opportunity. Anchor time: `created` (new opportunities), `closed` (wins and losses).
struct opportunity_record {
  std::string opportunity_id;                            ///< Unique id (required, not empty).
  std::string lead_id;                                   ///< Optional.
  std::string agent_id;                                  ///< Optional.
  std::string team_id;                                   ///< Optional.
  std::string campaign_id;                               ///< Optional.
  timestamp created{};                                   ///< When it was opened.
  std::optional<timestamp> closed;                       ///< When it was won or lost.
  opportunity_status status = opportunity_status::open;  ///< Open, won or lost.
  money amount;                                          ///< Deal value, >= 0.
  std::optional<double> probability;                     ///< Win probability, a fraction 0..1.

  /// Field-by-field equality.
  friend bool operator==(const opportunity_record &, const opportunity_record &) = default;
};

/// One customer relationship (a contract, subscription or plan). Active on `[acquired, churned)`.
struct customer_record {
  std::string customer_id;           ///< Unique id (required, not empty).
  timestamp acquired{};              ///< When the relationship started.
  std::optional<timestamp> churned;  ///< When it ended (absent: still active).
  std::string campaign_id;           ///< Optional acquiring campaign.

  /// Field-by-field equality.
  friend bool operator==(const customer_record &, const customer_record &) = default;
};

/// Marketing or sales spend attributed to a campaign over `[start, end)`.
struct spend_record {
  std::string campaign_id;  ///< The campaign (required, not empty).
  std::string channel;      ///< Optional channel (search, social, telesales, ...).
  timestamp start{};        ///< First instant of the spend period.
  timestamp end{};          ///< First instant after it; end > start.
  money amount;             ///< The spend, >= 0.

  /// Field-by-field equality.
  friend bool operator==(const spend_record &, const spend_record &) = default;
};

/// A target for one KPI, group and period.
struct target_record {
  std::string kpi;          ///< The KPI id ("connection_rate"); required, not empty.
  std::string agent_id;     ///< Optional group: an agent.
  std::string team_id;      ///< Optional group: a team.
  std::string campaign_id;  ///< Optional group: a campaign. All three empty: the whole business.
  kpi::period period;       ///< The calendar period (CSV label "2026-11", "2026-W48", ...); not none.
  target_op op = target_op::at_least;  ///< The comparison.
  double value = 0;                    ///< The bound (lower bound for `between`).
  std::optional<double> value2;        ///< Upper bound for `between` (required then, >= value).

  /// Field-by-field equality.
  friend bool operator==(const target_record &, const target_record &) = default;
};

/// A validation failure: the field at fault and why.
struct record_issue {
  std::string_view field;  ///< The field (= CSV column) name; static storage.
  std::string reason;      ///< What is wrong, naming the value.
};

/// Checks a call: `call_id` not empty; `wait_s`, `talk_s`, `hold_s`, `acw_s` finite and >= 0;
/// `talk_s == 0` unless the outcome is `connected` or `voicemail` (a dialer may time the message it
/// leaves; nobody talked on a no_answer, busy, failed, abandoned or timeout call); a `connected` call
/// has an `agent_id`. Returns the first problem, or nullopt when the record is valid. No allocation when
/// valid. Thread-safe.
std::optional<record_issue> check(const call_record &r);

/// Checks an order: `order_id` not empty; `amount` >= 0; `cost` >= 0 and in the currency of `amount`.
/// Returns the first problem, or nullopt.
std::optional<record_issue> check(const order_record &r);

/// Checks a lead: `lead_id` not empty; no milestone (`first_contact`, `mql`, `sql`, `opportunity`,
/// `won`, `lost`) before `created`; not both `won` and `lost`. Returns the first problem, or nullopt.
std::optional<record_issue> check(const lead_record &r);

/// Checks an opportunity: `opportunity_id` not empty; `closed` not before `created`; an `open` one has
/// no `closed`, a `won` or `lost` one has one (it is anchored by it); `amount` >= 0; `probability`
/// finite and in [0, 1]. Returns the first problem, or nullopt.
std::optional<record_issue> check(const opportunity_record &r);

/// Checks a customer: `customer_id` not empty; `churned` not before `acquired`. Returns the first
/// problem, or nullopt.
std::optional<record_issue> check(const customer_record &r);

/// Checks a spend row: `campaign_id` not empty; `end` after `start`; `amount` >= 0. Returns the first
/// problem, or nullopt.
std::optional<record_issue> check(const spend_record &r);

/// Checks a target: `kpi` not empty; `period` not of kind none; `value` finite; `between` has a finite
/// `value2` >= `value`; the other ops have no `value2`. Returns the first problem, or nullopt.
std::optional<record_issue> check(const target_record &r);

/// Throws when check() finds a problem.
/// @throws kpi::error errc::invalid_argument with the message "<field>: <reason>".
void validate(const call_record &r);
/// Throws when check() finds a problem. @throws kpi::error errc::invalid_argument.
void validate(const order_record &r);
/// Throws when check() finds a problem. @throws kpi::error errc::invalid_argument.
void validate(const lead_record &r);
/// Throws when check() finds a problem. @throws kpi::error errc::invalid_argument.
void validate(const opportunity_record &r);
/// Throws when check() finds a problem. @throws kpi::error errc::invalid_argument.
void validate(const customer_record &r);
/// Throws when check() finds a problem. @throws kpi::error errc::invalid_argument.
void validate(const spend_record &r);
/// Throws when check() finds a problem. @throws kpi::error errc::invalid_argument.
void validate(const target_record &r);

}  // namespace kpi
