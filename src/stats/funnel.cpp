// lead_stats, opportunity_stats and opportunity_score (include/kpi/stats/funnel.hpp).
//
// Wire formats (little-endian; varint = unsigned LEB128; see stats/wire.hpp):
//
// lead_stats: u8 tag 'L' (0x4C), u8 version 1, varint leads, mqls, sqls, opportunities, cohort_mql,
//   cohort_mql_sql, cohort_opportunity, cohort_won, uncontacted, then the exact_histogram of response
//   times. Load checks: cohort_mql_sql <= cohort_mql <= leads, cohort_opportunity <= leads, cohort_won
//   <= leads, uncontacted + response count == leads.
//
// opportunity_stats: u8 tag 'P' (0x50), u8 version 1, 3 bytes currency code ("\0\0\0": none),
//   2 flows (created, closed), each: varint count, u64 amount, u64 weighted (int64 two's complement),
//   varint unweighted; then varint created, created_won, won, lost; then the exact_histogram of won
//   sales cycles. Load checks: created == created flow count, created_won <= created, won + lost ==
//   closed flow count, cycle count == won, amounts >= 0, weighted <= amount, unweighted <= count, an
//   empty state has no currency.
#include "kpi/stats/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "kpi/error.hpp"
#include "stats/wire.hpp"

namespace kpi {
namespace {

namespace w = detail::wire;

constexpr std::uint8_t lead_tag = 0x4C;         // 'L'
constexpr std::uint8_t opportunity_tag = 0x50;  // 'P'
constexpr std::uint8_t version = 1;

std::string num(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

double seconds_between(timestamp from, timestamp to) {
  return static_cast<double>((to - from).count()) / 1000.0;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, const char *what) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    throw error(errc::overflow, std::string("opportunity_stats: ") + what + " overflows int64 minor units");
  return r;
}

std::int64_t checked_sub(std::int64_t a, std::int64_t b, const char *what) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r))
    throw error(errc::overflow, std::string("opportunity_stats: ") + what + " overflows int64 minor units");
  return r;
}

void require(bool ok, const lead_record &l, const char *milestone) {
  if (!ok)
    throw error(errc::invalid_argument,
                std::string("lead_stats: lead '") + l.lead_id + "' has no " + milestone + " instant");
}

}  // namespace

// ---- lead_stats ---------------------------------------------------------------------------------------

void lead_stats::add(const lead_record &l) {
  validate(l);
  if (l.first_contact) {
    response_.add(seconds_between(l.created, *l.first_contact));
  } else {
    ++uncontacted_;
  }
  ++leads_;
  if (l.mql) ++cohort_mql_;
  if (l.mql && l.sql) ++cohort_mql_sql_;
  if (l.opportunity) ++cohort_opportunity_;
  if (l.won) ++cohort_won_;
}

void lead_stats::add_mql(const lead_record &l) {
  validate(l);
  require(l.mql.has_value(), l, "mql");
  ++mqls_;
}

void lead_stats::add_sql(const lead_record &l) {
  validate(l);
  require(l.sql.has_value(), l, "sql");
  ++sqls_;
}

void lead_stats::add_opportunity(const lead_record &l) {
  validate(l);
  require(l.opportunity.has_value(), l, "opportunity");
  ++opportunities_;
}

void lead_stats::merge(const lead_stats &other) {
  if (this == &other) {
    const lead_stats copy = other;
    merge(copy);
    return;
  }
  response_.merge(other.response_);  // the only member that can throw: first
  leads_ += other.leads_;
  mqls_ += other.mqls_;
  sqls_ += other.sqls_;
  opportunities_ += other.opportunities_;
  cohort_mql_ += other.cohort_mql_;
  cohort_mql_sql_ += other.cohort_mql_sql_;
  cohort_opportunity_ += other.cohort_opportunity_;
  cohort_won_ += other.cohort_won_;
  uncontacted_ += other.uncontacted_;
}

void lead_stats::save(std::string &out) const {
  w::put_header(out, lead_tag, version);
  for (const std::uint64_t v : {leads_, mqls_, sqls_, opportunities_, cohort_mql_, cohort_mql_sql_,
                                cohort_opportunity_, cohort_won_, uncontacted_})
    w::put_varint(out, v);
  response_.save(out);
}

lead_stats lead_stats::load(std::string_view &in) {
  constexpr std::string_view what = "lead_stats";
  w::expect_header(in, lead_tag, version, what);
  lead_stats s;
  for (std::uint64_t *p : {&s.leads_, &s.mqls_, &s.sqls_, &s.opportunities_, &s.cohort_mql_,
                           &s.cohort_mql_sql_, &s.cohort_opportunity_, &s.cohort_won_, &s.uncontacted_})
    *p = w::get_varint(in, what);
  s.response_ = exact_histogram::load(in);
  if (s.cohort_mql_sql_ > s.cohort_mql_ || s.cohort_mql_ > s.leads_ || s.cohort_opportunity_ > s.leads_ ||
      s.cohort_won_ > s.leads_ || s.uncontacted_ > s.leads_ ||
      s.response_.count() != s.leads_ - s.uncontacted_)
    w::corrupt(what, "cohort counts inconsistent with the number of leads");
  return s;
}

// ---- opportunity_stats --------------------------------------------------------------------------------

void opportunity_stats::add_flow(flow &f, const opportunity_record &o) {
  // Weighted term: amount × probability rounded to the nearest minor unit, ties to even (nearbyint in
  // the default rounding mode). 0 <= term <= amount, so it fits.
  std::int64_t term = 0;
  if (o.probability)
    term = static_cast<std::int64_t>(std::nearbyint(static_cast<double>(o.amount.minor) * *o.probability));
  f.amount = checked_add(f.amount, o.amount.minor, "pipeline amount");
  f.weighted = checked_add(f.weighted, term, "weighted pipeline amount");
  if (!o.probability) ++f.unweighted;
  ++f.count;
}

void opportunity_stats::add_created(const opportunity_record &o) {
  validate(o);
  if (currency_ && *currency_ != o.amount.cur)
    throw error(errc::currency_mismatch, "opportunity_stats: opportunity '" + o.opportunity_id + "' is in " +
                                             std::string(o.amount.cur.code()) + " but the window is in " +
                                             std::string(currency_->code()) +
                                             "; convert amounts with a kpi::rate_table before adding");
  flow f = created_flow_;
  add_flow(f, o);  // may throw: nothing changed yet
  created_flow_ = f;
  currency_ = o.amount.cur;
  ++created_;
  if (o.status == opportunity_status::won) ++created_won_;
}

void opportunity_stats::add_closed(const opportunity_record &o) {
  validate(o);
  if (o.status == opportunity_status::open || !o.closed)
    throw error(errc::invalid_argument,
                "opportunity_stats::add_closed: opportunity '" + o.opportunity_id + "' is not closed");
  if (currency_ && *currency_ != o.amount.cur)
    throw error(errc::currency_mismatch, "opportunity_stats: opportunity '" + o.opportunity_id + "' is in " +
                                             std::string(o.amount.cur.code()) + " but the window is in " +
                                             std::string(currency_->code()) +
                                             "; convert amounts with a kpi::rate_table before adding");
  flow f = closed_flow_;
  add_flow(f, o);
  if (o.status == opportunity_status::won) cycle_.add(seconds_between(o.created, *o.closed));
  closed_flow_ = f;
  currency_ = o.amount.cur;
  if (o.status == opportunity_status::won) {
    ++won_;
  } else {
    ++lost_;
  }
}

void opportunity_stats::merge(const opportunity_stats &other) {
  if (this == &other) {
    const opportunity_stats copy = other;
    merge(copy);
    return;
  }
  if (currency_ && other.currency_ && *currency_ != *other.currency_)
    throw error(errc::currency_mismatch, "opportunity_stats: cannot merge a window in " +
                                             std::string(other.currency_->code()) + " into one in " +
                                             std::string(currency_->code()));
  opportunity_stats r = *this;
  for (auto [dst, src] :
       {std::pair{&r.created_flow_, &other.created_flow_}, std::pair{&r.closed_flow_, &other.closed_flow_}}) {
    dst->count += src->count;
    dst->amount = checked_add(dst->amount, src->amount, "pipeline amount");
    dst->weighted = checked_add(dst->weighted, src->weighted, "weighted pipeline amount");
    dst->unweighted += src->unweighted;
  }
  r.cycle_.merge(other.cycle_);
  if (!r.currency_) r.currency_ = other.currency_;
  r.created_ += other.created_;
  r.created_won_ += other.created_won_;
  r.won_ += other.won_;
  r.lost_ += other.lost_;
  *this = std::move(r);
}

pipeline_snapshot opportunity_stats::open_at_end(const opportunity_stats &before,
                                                 const opportunity_stats &window) {
  if (before.currency_ && window.currency_ && *before.currency_ != *window.currency_)
    throw error(errc::currency_mismatch,
                "opportunity_stats: the window is in " + std::string(window.currency_->code()) +
                    " but the earlier opportunities are in " + std::string(before.currency_->code()));
  pipeline_snapshot s;
  s.cur = window.currency_ ? window.currency_ : before.currency_;
  const auto count = [](std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
    return static_cast<std::int64_t>(a + b) - static_cast<std::int64_t>(c + d);
  };
  s.open = count(before.created_flow_.count, window.created_flow_.count, before.closed_flow_.count,
                 window.closed_flow_.count);
  s.amount_minor =
      checked_sub(checked_add(before.created_flow_.amount, window.created_flow_.amount, "amount"),
                  checked_add(before.closed_flow_.amount, window.closed_flow_.amount, "amount"), "amount");
  const std::int64_t unweighted = count(before.created_flow_.unweighted, window.created_flow_.unweighted,
                                        before.closed_flow_.unweighted, window.closed_flow_.unweighted);
  if (unweighted == 0)
    s.weighted_minor = checked_sub(
        checked_add(before.created_flow_.weighted, window.created_flow_.weighted, "weighted amount"),
        checked_add(before.closed_flow_.weighted, window.closed_flow_.weighted, "weighted amount"),
        "weighted amount");
  return s;
}

void opportunity_stats::save(std::string &out) const {
  w::put_header(out, opportunity_tag, version);
  w::put_currency(out, currency_);
  for (const flow *f : {&created_flow_, &closed_flow_}) {
    w::put_varint(out, f->count);
    w::put_u64(out, static_cast<std::uint64_t>(f->amount));
    w::put_u64(out, static_cast<std::uint64_t>(f->weighted));
    w::put_varint(out, f->unweighted);
  }
  for (const std::uint64_t v : {created_, created_won_, won_, lost_}) w::put_varint(out, v);
  cycle_.save(out);
}

opportunity_stats opportunity_stats::load(std::string_view &in) {
  constexpr std::string_view what = "opportunity_stats";
  w::expect_header(in, opportunity_tag, version, what);
  opportunity_stats s;
  s.currency_ = w::get_currency(in, what);
  for (flow *f : {&s.created_flow_, &s.closed_flow_}) {
    f->count = w::get_varint(in, what);
    f->amount = static_cast<std::int64_t>(w::get_u64(in, what));
    f->weighted = static_cast<std::int64_t>(w::get_u64(in, what));
    f->unweighted = w::get_varint(in, what);
    if (f->amount < 0 || f->weighted < 0 || f->weighted > f->amount || f->unweighted > f->count)
      w::corrupt(what, "pipeline sums out of range");
  }
  for (std::uint64_t *p : {&s.created_, &s.created_won_, &s.won_, &s.lost_}) *p = w::get_varint(in, what);
  s.cycle_ = exact_histogram::load(in);
  if (s.created_ != s.created_flow_.count || s.created_won_ > s.created_ || s.won_ > s.closed_flow_.count ||
      s.lost_ != s.closed_flow_.count - s.won_ || s.cycle_.count() != s.won_)
    w::corrupt(what, "counts inconsistent");
  const bool empty = s.created_flow_.count == 0 && s.closed_flow_.count == 0;
  if (empty && (s.currency_ || s.created_flow_.amount != 0 || s.closed_flow_.amount != 0))
    w::corrupt(what, "an empty state with a currency or amounts");
  if (!empty && !s.currency_) w::corrupt(what, "opportunities without a currency");
  return s;
}

// ---- opportunity_score --------------------------------------------------------------------------------

int opportunity_score(std::span<const double> criteria, std::span<const double> weights) {
  if (criteria.empty() || criteria.size() != weights.size())
    throw error(errc::invalid_argument, "opportunity_score: need as many weights as criteria (got " +
                                            std::to_string(criteria.size()) + " criteria and " +
                                            std::to_string(weights.size()) + " weights), at least one");
  double total_weight = 0, score = 0;
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const double s = criteria[i], wt = weights[i];
    if (!(s >= 0.0 && s <= 1.0))
      throw error(errc::invalid_argument, std::string("opportunity_score: criterion ") + std::to_string(i) +
                                              " must be in [0, 1], got " + num(s));
    if (!(wt >= 0.0 && std::isfinite(wt)))
      throw error(errc::invalid_argument, std::string("opportunity_score: weight ") + std::to_string(i) +
                                              " must be finite and >= 0, got " + num(wt));
    total_weight += wt;
    score += wt * s;
  }
  if (std::fabs(total_weight - 1.0) > 1e-9)
    throw error(errc::invalid_argument,
                "opportunity_score: weights must sum to 1 (within 1e-9), they sum to " + num(total_weight));
  // Σ wᵢsᵢ is in [0, 1] up to rounding; clamp so that rounding noise cannot leave 1..5.
  const double x = std::clamp(4.0 * score, 0.0, 4.0);
  return 1 + static_cast<int>(std::floor(x + 0.5));
}

int opportunity_score_from_probability(double probability, std::span<const double> thresholds) {
  if (!(probability >= 0.0 && probability <= 1.0))
    throw error(errc::invalid_argument,
                "opportunity_score_from_probability: probability must be in [0, 1], got " + num(probability));
  if (thresholds.size() != 4)
    throw error(errc::invalid_argument,
                "opportunity_score_from_probability: need exactly 4 thresholds, got " +
                    std::to_string(thresholds.size()));
  int score = 1;
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    const double t = thresholds[i];
    if (!(t >= 0.0 && t <= 1.0) || (i > 0 && !(t > thresholds[i - 1])))
      throw error(errc::invalid_argument, std::string("opportunity_score_from_probability: threshold ") +
                                              std::to_string(i) + " (" + num(t) +
                                              ") must be in [0, 1] and above the previous one");
    if (probability >= t) ++score;
  }
  return score;
}

}  // namespace kpi
