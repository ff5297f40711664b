// Canonical records: enum spellings and validation rules (kpis.md, "Canonical records").
#include "kpi/records.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "kpi/error.hpp"
#include "text.hpp"

namespace kpi {

using detail::quoted;

namespace {

template <class E, std::size_t N>
E parse_enum(std::string_view text, const char *what, const char *const (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<E>(i);
  }
  std::string expected;
  for (std::size_t i = 0; i < N; ++i) {
    if (i != 0) expected += i + 1 == N ? " or " : ", ";
    expected += names[i];
  }
  throw error(errc::parse,
              std::string("unknown ") + what + " " + quoted(text) + " (expected " + expected + ")");
}

template <class E, std::size_t N>
const char *enum_name(E v, const char *const (&names)[N]) noexcept {
  const auto i = static_cast<std::size_t>(v);
  return i < N ? names[i] : "invalid";
}

constexpr const char *k_direction[] = {"outbound", "inbound"};
constexpr const char *k_outcome[] = {"connected", "no_answer", "busy",   "failed",
                                     "voicemail", "abandoned", "timeout"};
constexpr const char *k_kind[] = {"new", "upsell", "cross_sell"};
constexpr const char *k_status[] = {"open", "won", "lost"};
constexpr const char *k_op[] = {">=", "<=", "between"};

std::string num(double v) {
  char buf[32];  // shortest decimal that reads back as v; only built on failure
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::optional<record_issue> issue(std::string_view field, std::string reason) {
  return record_issue{field, std::move(reason)};
}

std::optional<record_issue> require_id(std::string_view field, const std::string &v) {
  if (v.empty()) return issue(field, "must not be empty");
  return std::nullopt;
}

std::optional<record_issue> duration(std::string_view field, double v) {
  if (!std::isfinite(v)) return issue(field, "duration must be a finite number of seconds");
  if (v < 0) return issue(field, "negative duration " + num(v) + " s");
  return std::nullopt;
}

std::optional<record_issue> duration(std::string_view field, const std::optional<double> &v) {
  if (!v) return std::nullopt;
  return duration(field, *v);
}

std::optional<record_issue> non_negative(std::string_view field, const money &m) {
  if (m.minor < 0)
    return issue(field, "negative amount " + format_money(m) + " " + std::string(m.cur.code()));
  return std::nullopt;
}

std::optional<record_issue> not_before(std::string_view field, const std::optional<timestamp> &t,
                                       std::string_view ref_field, timestamp ref) {
  if (t && *t < ref) {
    return issue(field, std::string(field) + " " + format_timestamp(*t) + " is before " +
                            std::string(ref_field) + " " + format_timestamp(ref));
  }
  return std::nullopt;
}

[[noreturn]] void throw_issue(const record_issue &i) {
  throw error(errc::invalid_argument, std::string(i.field) + ": " + i.reason);
}

}  // namespace

const char *to_string(direction v) noexcept {
  return enum_name(v, k_direction);
}
const char *to_string(call_outcome v) noexcept {
  return enum_name(v, k_outcome);
}
const char *to_string(order_kind v) noexcept {
  return enum_name(v, k_kind);
}
const char *to_string(opportunity_status v) noexcept {
  return enum_name(v, k_status);
}
const char *to_string(target_op v) noexcept {
  return enum_name(v, k_op);
}

direction parse_direction(std::string_view t) {
  return parse_enum<direction>(t, "direction", k_direction);
}
call_outcome parse_call_outcome(std::string_view t) {
  return parse_enum<call_outcome>(t, "outcome", k_outcome);
}
order_kind parse_order_kind(std::string_view t) {
  return parse_enum<order_kind>(t, "order kind", k_kind);
}
opportunity_status parse_opportunity_status(std::string_view t) {
  return parse_enum<opportunity_status>(t, "opportunity status", k_status);
}
target_op parse_target_op(std::string_view t) {
  return parse_enum<target_op>(t, "target op", k_op);
}

std::optional<record_issue> check(const call_record &r) {
  // Every check below at once, as one branch: a valid record (the usual case) returns here without
  // building and discarding a std::optional<record_issue> per field. Any doubt takes the checks one
  // by one, which name the first problem.
  auto fine = [](double v) {
    return static_cast<unsigned>(v >= 0 && v <= std::numeric_limits<double>::max());
  };
  const bool talk_fits =
      !(r.talk_s > 0) || r.outcome == call_outcome::connected || r.outcome == call_outcome::voicemail;
  if ((static_cast<unsigned>(!r.call_id.empty()) & (r.wait_s ? fine(*r.wait_s) : 1u) & fine(r.talk_s) &
       (r.hold_s ? fine(*r.hold_s) : 1u) & (r.acw_s ? fine(*r.acw_s) : 1u) &
       static_cast<unsigned>(talk_fits) &
       static_cast<unsigned>(r.outcome != call_outcome::connected || !r.agent_id.empty())) != 0)
    return std::nullopt;
  if (auto i = require_id("call_id", r.call_id)) return i;
  if (auto i = duration("wait_s", r.wait_s)) return i;
  if (auto i = duration("talk_s", r.talk_s)) return i;
  if (auto i = duration("hold_s", r.hold_s)) return i;
  if (auto i = duration("acw_s", r.acw_s)) return i;
  if (r.talk_s > 0 && r.outcome != call_outcome::connected && r.outcome != call_outcome::voicemail) {
    return issue("talk_s", "talk time " + num(r.talk_s) + " s on a call with outcome " +
                               to_string(r.outcome) + " (nobody talked; talk_s must be 0)");
  }
  if (r.outcome == call_outcome::connected && r.agent_id.empty()) {
    return issue("agent_id", "a connected call must name the agent who took it");
  }
  return std::nullopt;
}

std::optional<record_issue> check(const order_record &r) {
  if (auto i = require_id("order_id", r.order_id)) return i;
  if (auto i = non_negative("amount", r.amount)) return i;
  if (r.cost) {
    if (r.cost->cur != r.amount.cur) {
      return issue("cost", "cost currency " + std::string(r.cost->cur.code()) +
                               " differs from amount currency " + std::string(r.amount.cur.code()));
    }
    if (auto i = non_negative("cost", *r.cost)) return i;
  }
  return std::nullopt;
}

std::optional<record_issue> check(const lead_record &r) {
  if (auto i = require_id("lead_id", r.lead_id)) return i;
  if (auto i = not_before("first_contact", r.first_contact, "created", r.created)) return i;
  if (auto i = not_before("mql", r.mql, "created", r.created)) return i;
  if (auto i = not_before("sql", r.sql, "created", r.created)) return i;
  if (auto i = not_before("opportunity", r.opportunity, "created", r.created)) return i;
  if (auto i = not_before("won", r.won, "created", r.created)) return i;
  if (auto i = not_before("lost", r.lost, "created", r.created)) return i;
  if (r.won && r.lost) return issue("lost", "a lead cannot be both won and lost");
  return std::nullopt;
}

std::optional<record_issue> check(const opportunity_record &r) {
  if (auto i = require_id("opportunity_id", r.opportunity_id)) return i;
  if (auto i = not_before("closed", r.closed, "created", r.created)) return i;
  if (r.status == opportunity_status::open && r.closed) {
    return issue("closed", "an open opportunity has no close time (status is open)");
  }
  if (r.status != opportunity_status::open && !r.closed) {
    return issue("closed", std::string("a ") + to_string(r.status) + " opportunity needs its close time");
  }
  if (auto i = non_negative("amount", r.amount)) return i;
  if (r.probability) {
    const double p = *r.probability;
    if (!std::isfinite(p) || p < 0 || p > 1) {
      return issue("probability", "probability " + num(p) + " is outside 0..1 (a fraction, not a percent)");
    }
  }
  return std::nullopt;
}

std::optional<record_issue> check(const customer_record &r) {
  if (auto i = require_id("customer_id", r.customer_id)) return i;
  if (auto i = not_before("churned", r.churned, "acquired", r.acquired)) return i;
  return std::nullopt;
}

std::optional<record_issue> check(const spend_record &r) {
  if (auto i = require_id("campaign_id", r.campaign_id)) return i;
  if (r.end <= r.start) {
    return issue("end", "end " + format_timestamp(r.end) + " must be after start " +
                            format_timestamp(r.start) + " (the period is [start, end))");
  }
  if (auto i = non_negative("amount", r.amount)) return i;
  return std::nullopt;
}

std::optional<record_issue> check(const target_record &r) {
  if (auto i = require_id("kpi", r.kpi)) return i;
  if (r.period.kind == period_kind::none) return issue("period", "a target needs a calendar period");
  if (!std::isfinite(r.value)) return issue("value", "must be a finite number");
  if (r.op == target_op::between) {
    if (!r.value2) return issue("value2", "'between' needs an upper bound value2");
    if (!std::isfinite(*r.value2)) return issue("value2", "must be a finite number");
    if (*r.value2 < r.value) {
      return issue("value2", "upper bound " + num(*r.value2) + " is below the lower bound " + num(r.value));
    }
  } else if (r.value2) {
    return issue("value2", std::string("value2 is only for 'between', not '") + to_string(r.op) + "'");
  }
  return std::nullopt;
}

void validate(const call_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}
void validate(const order_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}
void validate(const lead_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}
void validate(const opportunity_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}
void validate(const customer_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}
void validate(const spend_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}
void validate(const target_record &r) {
  if (auto i = check(r)) throw_issue(*i);
}

}  // namespace kpi
