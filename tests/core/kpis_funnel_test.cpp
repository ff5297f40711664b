// Funnel KPIs (ids 200-216): lead_stats, opportunity_stats, opportunity_score and the registry
// evaluators. Every expected value is computed by hand in the comment next to it.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <optional>
#include <span>
#include <string>

#include "kpi/catalog.hpp"
#include "kpi/error.hpp"
#include "kpi/money.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/funnel.hpp"
#include "test_util.hpp"

namespace {

using kpi::kpi_id;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

kpi::timestamp at(const char *iso) {
  return kpi::parse_timestamp(iso);
}

struct fixture {
  kpi::group_state window, before;
  kpi::kpi_params params;
  kpi::value eval(kpi_id id) const { return kpi::evaluate(id, kpi::kpi_context(window, before, params)); }
};

// The window is March 2026 (UTC): [2026-03-01, 2026-04-01).
const kpi::window march{at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z")};

kpi::lead_record lead(std::string id, const char *created) {
  kpi::lead_record l;
  l.lead_id = std::move(id);
  l.created = at(created);
  return l;
}

// Feeds a lead to the window the way an engine does: by which of its instants fall in March.
void feed(kpi::lead_stats &s, const kpi::lead_record &l) {
  if (march.contains(l.created)) s.add(l);
  if (l.mql && march.contains(*l.mql)) s.add_mql(l);
  if (l.sql && march.contains(*l.sql)) s.add_sql(l);
  if (l.opportunity && march.contains(*l.opportunity)) s.add_opportunity(l);
}

TEST(FunnelKpis, EmptyWindow) {
  fixture f;
  for (kpi_id id :
       {kpi_id::leads, kpi_id::mqls, kpi_id::sqls, kpi_id::uncontacted_leads, kpi_id::new_opportunities,
        kpi_id::open_opportunities, kpi_id::pipeline_value, kpi_id::weighted_pipeline_value})
    EXPECT_EQ(f.eval(id), 0.0) << kpi::info(id).name;
  for (kpi_id id : {kpi_id::mql_to_sql_rate, kpi_id::lead_to_opportunity_rate, kpi_id::lead_conversion_rate,
                    kpi_id::avg_response_time_s, kpi_id::median_response_time_s, kpi_id::win_rate,
                    kpi_id::avg_sales_cycle_days, kpi_id::median_sales_cycle_days})
    EXPECT_FALSE(f.eval(id).has_value()) << kpi::info(id).name;
  f.params.win_rate_mode = kpi::funnel_mode::cohort;
  EXPECT_FALSE(f.eval(kpi_id::win_rate).has_value());
  f.params.lead_to_opportunity_mode = kpi::funnel_mode::period;
  EXPECT_FALSE(f.eval(kpi_id::lead_to_opportunity_rate).has_value());
}

TEST(FunnelKpis, LeadsHandComputed) {
  fixture f;
  // L1 created in March: contacted after 30 min, MQL, SQL, opportunity and won, all in March.
  kpi::lead_record l1 = lead("L1", "2026-03-02T09:00:00Z");
  l1.first_contact = l1.created + minutes(30);
  l1.mql = l1.created + hours(1);
  l1.sql = l1.created + hours(2);
  l1.opportunity = l1.created + hours(3);
  l1.won = l1.created + hours(48);
  // L2 created in March: contacted after 2 h, MQL only.
  kpi::lead_record l2 = lead("L2", "2026-03-05T09:00:00Z");
  l2.first_contact = l2.created + hours(2);
  l2.mql = l2.created + hours(1);
  // L3 created in March: SQL without MQL (sales-sourced), never contacted.
  kpi::lead_record l3 = lead("L3", "2026-03-06T09:00:00Z");
  l3.sql = l3.created + hours(5);
  // L4 created in February, MQL in March: a March MQL but not in March's cohort.
  kpi::lead_record l4 = lead("L4", "2026-02-20T09:00:00Z");
  l4.mql = at("2026-03-01T00:00:00Z");  // exactly at the window's start: inside
  // L5 created in March (contacted after 600 s), became an opportunity exactly at the window's end:
  // in March's cohort, but an April opportunity for the period form.
  kpi::lead_record l5 = lead("L5", "2026-03-31T12:00:00Z");
  l5.first_contact = l5.created + seconds(600);
  l5.opportunity = at("2026-04-01T00:00:00Z");
  for (const auto *l : {&l1, &l2, &l3, &l4, &l5}) feed(f.window.leads, *l);

  EXPECT_EQ(f.eval(kpi_id::leads), 4.0);  // L1, L2, L3, L5
  EXPECT_EQ(f.eval(kpi_id::mqls), 3.0);   // L1, L2, L4
  EXPECT_EQ(f.eval(kpi_id::sqls), 2.0);   // L1, L3
  // Cohort MQL → SQL: of the cohort, MQL = {L1, L2}, MQL and SQL = {L1}: 1 / 2.
  EXPECT_EQ(f.eval(kpi_id::mql_to_sql_rate), 0.5);
  // Lead → opportunity, cohort: {L1, L5} / 4 = 0.5; period: March opportunity instants {L1} / 4 = 0.25.
  EXPECT_EQ(f.eval(kpi_id::lead_to_opportunity_rate), 0.5);
  f.params.lead_to_opportunity_mode = kpi::funnel_mode::period;
  EXPECT_EQ(f.eval(kpi_id::lead_to_opportunity_rate), 0.25);
  // Conversion: {L1} won / 4 = 0.25.
  EXPECT_EQ(f.eval(kpi_id::lead_conversion_rate), 0.25);
  // Response times 1800 s, 7200 s, 600 s: mean 9600 / 3 = 3200 s, median 1800 s; L3 uncontacted.
  EXPECT_EQ(f.eval(kpi_id::avg_response_time_s), 3200.0);
  EXPECT_EQ(f.eval(kpi_id::median_response_time_s), 1800.0);
  EXPECT_EQ(f.eval(kpi_id::uncontacted_leads), 1.0);
}

TEST(FunnelKpis, PeriodLeadToOpportunityMayExceedOne) {
  fixture f;
  // One lead created in March; three older leads became opportunities in March: 3 / 1 = 3.
  feed(f.window.leads, lead("N", "2026-03-03T00:00:00Z"));
  for (const char *id : {"O1", "O2", "O3"}) {
    kpi::lead_record l = lead(id, "2026-01-10T00:00:00Z");
    l.opportunity = at("2026-03-10T00:00:00Z");
    feed(f.window.leads, l);
  }
  f.params.lead_to_opportunity_mode = kpi::funnel_mode::period;
  EXPECT_EQ(f.eval(kpi_id::lead_to_opportunity_rate), 3.0);
  f.params.lead_to_opportunity_mode = kpi::funnel_mode::cohort;
  EXPECT_EQ(f.eval(kpi_id::lead_to_opportunity_rate), 0.0);  // 0 of 1: defined, 0
}

TEST(FunnelKpis, MilestoneCallsNeedTheMilestone) {
  kpi::lead_stats s;
  const kpi::lead_record l = lead("L", "2026-03-02T09:00:00Z");
  EXPECT_EQ(code_of([&] { s.add_mql(l); }), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of([&] { s.add_sql(l); }), kpi::errc::invalid_argument);
  EXPECT_EQ(code_of([&] { s.add_opportunity(l); }), kpi::errc::invalid_argument);
  kpi::lead_record bad = l;
  bad.first_contact = l.created - seconds(1);  // before creation
  EXPECT_EQ(code_of([&] { s.add(bad); }), kpi::errc::invalid_argument);
  EXPECT_EQ(s, kpi::lead_stats{});
}

kpi::opportunity_record opp(std::string id, const char *created, const char *amount, std::optional<double> p,
                            kpi::opportunity_status status = kpi::opportunity_status::open,
                            const char *closed = nullptr, const char *cur = "IDR") {
  kpi::opportunity_record o;
  o.opportunity_id = std::move(id);
  o.created = at(created);
  o.amount = kpi::parse_money(amount, kpi::currency::of(cur));
  o.probability = p;
  o.status = status;
  if (closed != nullptr) o.closed = at(closed);
  return o;
}

// Feeds an opportunity to the March window or to `before` (everything before March).
void feed(fixture &f, const kpi::opportunity_record &o) {
  if (o.created < march.start) f.before.opportunities.add_created(o);
  if (march.contains(o.created)) f.window.opportunities.add_created(o);
  if (o.closed && *o.closed < march.start) f.before.opportunities.add_closed(o);
  if (o.closed && march.contains(*o.closed)) f.window.opportunities.add_closed(o);
}

TEST(FunnelKpis, OpenPipelineSnapshotHandComputed) {
  fixture f;
  using st = kpi::opportunity_status;
  // Before March: O1 open; O2 created in February, won in March after 10 days; O3 lost in February.
  feed(f, opp("O1", "2026-01-15T00:00:00Z", "10000000.00", 0.3));
  feed(f, opp("O2", "2026-02-25T00:00:00Z", "5000000.00", 0.5, st::won, "2026-03-07T00:00:00Z"));
  feed(f, opp("O3", "2026-02-01T00:00:00Z", "7000000.00", 0.2, st::lost, "2026-02-10T00:00:00Z"));
  // In March: O4 open; O5 created and lost in March; O6 created in March and won exactly at the
  // window's end (so closed in April: still open at March's end).
  feed(f, opp("O4", "2026-03-03T00:00:00Z", "2000000.00", 0.25));
  feed(f, opp("O5", "2026-03-04T00:00:00Z", "1000000.00", 0.1, st::lost, "2026-03-20T00:00:00Z"));
  feed(f, opp("O6", "2026-03-05T00:00:00Z", "3000000.00", 0.5, st::won, "2026-04-01T00:00:00Z"));

  EXPECT_EQ(f.eval(kpi_id::new_opportunities), 3.0);  // O4, O5, O6
  // Open at the end = created before the end (O1..O6 = 6) − closed before it (O3, O2, O5 = 3) = 3:
  // O1, O4, O6.
  EXPECT_EQ(f.eval(kpi_id::open_opportunities), 3.0);
  // 10,000,000 + 2,000,000 + 3,000,000 = 15,000,000.00.
  EXPECT_EQ(f.eval(kpi_id::pipeline_value), 15000000.0);
  // 10,000,000 × 0.3 + 2,000,000 × 0.25 + 3,000,000 × 0.5 = 3,000,000 + 500,000 + 1,500,000 = 5,000,000.
  EXPECT_EQ(f.eval(kpi_id::weighted_pipeline_value), 5000000.0);
  // Win rate, period: closed in March O2 (won), O5 (lost): 1 / 2.
  EXPECT_EQ(f.eval(kpi_id::win_rate), 0.5);
  // Win rate, cohort: created in March O4, O5, O6; won among them O6: 1 / 3.
  f.params.win_rate_mode = kpi::funnel_mode::cohort;
  EXPECT_DOUBLE_EQ(*f.eval(kpi_id::win_rate), 1.0 / 3.0);
  // Sales cycle of the March wins: O2, 2026-02-25 → 2026-03-07 = 10 days.
  EXPECT_EQ(f.eval(kpi_id::avg_sales_cycle_days), 10.0);
  EXPECT_EQ(f.eval(kpi_id::median_sales_cycle_days), 10.0);
  // The snapshot at the end of February (before = nothing earlier, window = everything before March):
  // created O1, O2, O3 − closed O3 = 2 open (O1, O2), 15,000,000.00.
  const kpi::pipeline_snapshot feb = kpi::opportunity_stats::open_at_end({}, f.before.opportunities);
  EXPECT_EQ(feb.open, 2);
  EXPECT_EQ(feb.amount_minor, 1500000000);
}

TEST(FunnelKpis, SalesCycleMeanAndMedianOfSeveralWins) {
  fixture f;
  using st = kpi::opportunity_status;
  // Cycles of 2, 3 and 10 days (whole days): mean 15 / 3 = 5, median 3.
  feed(f, opp("A", "2026-03-01T00:00:00Z", "1.00", 0.5, st::won, "2026-03-03T00:00:00Z"));
  feed(f, opp("B", "2026-03-01T00:00:00Z", "1.00", 0.5, st::won, "2026-03-04T00:00:00Z"));
  feed(f, opp("C", "2026-03-01T00:00:00Z", "1.00", 0.5, st::won, "2026-03-11T00:00:00Z"));
  // A lost one is not in the sales cycle.
  feed(f, opp("D", "2026-03-01T00:00:00Z", "1.00", 0.5, st::lost, "2026-03-30T00:00:00Z"));
  EXPECT_EQ(f.eval(kpi_id::avg_sales_cycle_days), 5.0);
  EXPECT_EQ(f.eval(kpi_id::median_sales_cycle_days), 3.0);
  // Half a day: created 00:00, won 12:00 the same day = 43,200 s = 0.5 days.
  fixture g;
  feed(g, opp("E", "2026-03-01T00:00:00Z", "1.00", 0.5, st::won, "2026-03-01T12:00:00Z"));
  EXPECT_EQ(g.eval(kpi_id::avg_sales_cycle_days), 0.5);
}

TEST(FunnelKpis, WeightedPipelineRoundsEachTermHalfEven) {
  fixture f;
  // 5 minor × 0.5 = 2.5 → 2 (ties to even); 15 minor × 0.5 = 7.5 → 8; 1 minor × 0.3 = 0.3 → 0.
  // Σ = 10 minor = Rp0.10.
  feed(f, opp("A", "2026-03-01T00:00:00Z", "0.05", 0.5));
  feed(f, opp("B", "2026-03-01T00:00:00Z", "0.15", 0.5));
  feed(f, opp("C", "2026-03-01T00:00:00Z", "0.01", 0.3));
  EXPECT_EQ(f.eval(kpi_id::weighted_pipeline_value), 0.10);
  EXPECT_EQ(f.eval(kpi_id::pipeline_value), 0.21);  // 5 + 15 + 1 = 21 minor
}

TEST(FunnelKpis, WeightedPipelineUndefinedWhileAnOpenOpportunityHasNoProbability) {
  fixture f;
  feed(f, opp("A", "2026-02-01T00:00:00Z", "100.00", std::nullopt));
  feed(f, opp("B", "2026-03-01T00:00:00Z", "50.00", 0.5));
  EXPECT_FALSE(f.eval(kpi_id::weighted_pipeline_value).has_value());
  EXPECT_EQ(f.eval(kpi_id::pipeline_value), 150.0);
  // Once A closes (in March), the open pipeline is B alone: 50 × 0.5 = 25.
  fixture g;
  feed(g, opp("A", "2026-02-01T00:00:00Z", "100.00", std::nullopt, kpi::opportunity_status::lost,
              "2026-03-02T00:00:00Z"));
  feed(g, opp("B", "2026-03-01T00:00:00Z", "50.00", 0.5));
  EXPECT_EQ(g.eval(kpi_id::weighted_pipeline_value), 25.0);
}

TEST(FunnelKpis, OpportunityCurrenciesAndClosures) {
  kpi::opportunity_stats s;
  s.add_created(opp("A", "2026-03-01T00:00:00Z", "100.00", 0.5));
  const kpi::opportunity_stats copy = s;
  EXPECT_EQ(code_of([&] {
              s.add_created(opp("B", "2026-03-01T00:00:00Z", "1.00", 0.5, kpi::opportunity_status::open,
                                nullptr, "USD"));
            }),
            kpi::errc::currency_mismatch);
  EXPECT_EQ(code_of([&] { s.add_closed(opp("C", "2026-03-01T00:00:00Z", "1.00", 0.5)); }),
            kpi::errc::invalid_argument);  // open: not closed
  EXPECT_EQ(s, copy);
  kpi::opportunity_stats usd;
  usd.add_created(
      opp("D", "2026-03-01T00:00:00Z", "1.00", 0.5, kpi::opportunity_status::open, nullptr, "USD"));
  EXPECT_EQ(code_of([&] { s.merge(usd); }), kpi::errc::currency_mismatch);
  EXPECT_EQ(code_of([&] { (void)kpi::opportunity_stats::open_at_end(usd, s); }),
            kpi::errc::currency_mismatch);
  EXPECT_EQ(s, copy);
}

TEST(OpportunityScore, WeightedCriteria) {
  const std::array<double, 3> w{0.5, 0.3, 0.2};
  // Σ wᵢsᵢ = 0.5·1 + 0.3·0.5 + 0.2·0 = 0.65; 4 × 0.65 = 2.6 → 3; score 1 + 3 = 4.
  EXPECT_EQ(kpi::opportunity_score(std::array<double, 3>{1, 0.5, 0}, w), 4);
  EXPECT_EQ(kpi::opportunity_score(std::array<double, 3>{0, 0, 0}, w), 1);
  EXPECT_EQ(kpi::opportunity_score(std::array<double, 3>{1, 1, 1}, w), 5);
  // 4 × 0.625 = 2.5 exactly: half up → 3, score 4. 4 × 0.125 = 0.5 → 1, score 2.
  EXPECT_EQ(kpi::opportunity_score(std::array<double, 1>{0.625}, std::array<double, 1>{1.0}), 4);
  EXPECT_EQ(kpi::opportunity_score(std::array<double, 1>{0.125}, std::array<double, 1>{1.0}), 2);
  // Weights summing to 1 within 1e-9 are accepted: 0.1 + 0.2 + 0.7 in doubles.
  EXPECT_EQ(kpi::opportunity_score(std::array<double, 3>{0, 0, 1}, std::array<double, 3>{0.1, 0.2, 0.7}), 4);
}

TEST(OpportunityScore, Validation) {
  const auto bad = [](auto s, auto w) { return code_of([&] { (void)kpi::opportunity_score(s, w); }); };
  using a2 = std::array<double, 2>;
  EXPECT_EQ(bad(a2{0.5, 0.5}, a2{0.5, 0.4}), kpi::errc::invalid_argument);   // weights sum to 0.9
  EXPECT_EQ(bad(a2{1.1, 0.5}, a2{0.5, 0.5}), kpi::errc::invalid_argument);   // s > 1
  EXPECT_EQ(bad(a2{-0.1, 0.5}, a2{0.5, 0.5}), kpi::errc::invalid_argument);  // s < 0
  EXPECT_EQ(bad(a2{0.5, 0.5}, a2{1.5, -0.5}), kpi::errc::invalid_argument);  // negative weight
  EXPECT_EQ(bad(a2{0.5, 0.5}, std::array<double, 1>{1.0}), kpi::errc::invalid_argument);  // sizes differ
  EXPECT_EQ(bad(std::span<const double>{}, std::span<const double>{}), kpi::errc::invalid_argument);
  EXPECT_EQ(bad(a2{std::nan(""), 0.5}, a2{0.5, 0.5}), kpi::errc::invalid_argument);
}

TEST(OpportunityScore, ProbabilityBuckets) {
  const std::array<double, 4> t{0.2, 0.4, 0.6, 0.8};
  EXPECT_EQ(kpi::opportunity_score_from_probability(0.0, t), 1);
  EXPECT_EQ(kpi::opportunity_score_from_probability(0.19, t), 1);
  EXPECT_EQ(kpi::opportunity_score_from_probability(0.2, t), 2);  // lower bounds inclusive
  EXPECT_EQ(kpi::opportunity_score_from_probability(0.5, t), 3);
  EXPECT_EQ(kpi::opportunity_score_from_probability(0.8, t), 5);
  EXPECT_EQ(kpi::opportunity_score_from_probability(1.0, t), 5);
  const auto bad = [](double p, auto th) {
    return code_of([&] { (void)kpi::opportunity_score_from_probability(p, th); });
  };
  EXPECT_EQ(bad(1.5, t), kpi::errc::invalid_argument);
  EXPECT_EQ(bad(0.5, std::array<double, 3>{0.2, 0.4, 0.6}), kpi::errc::invalid_argument);
  EXPECT_EQ(bad(0.5, std::array<double, 4>{0.2, 0.6, 0.4, 0.8}), kpi::errc::invalid_argument);
  EXPECT_EQ(bad(0.5, std::array<double, 4>{0.2, 0.2, 0.6, 0.8}), kpi::errc::invalid_argument);
}

TEST(FunnelKpis, RegistryRows) {
  for (int id = 200; id <= 216; ++id) {
    const kpi::kpi_info &i = kpi::info(static_cast<kpi_id>(id));
    EXPECT_EQ(static_cast<int>(i.id), id);
    EXPECT_FALSE(i.formula.empty()) << i.name;
    EXPECT_NE(i.families & (kpi::family_leads | kpi::family_opportunities), 0u) << i.name;
  }
  EXPECT_EQ(kpi::info(kpi_id::opportunity_score).evaluate, nullptr);
  EXPECT_EQ(kpi::info(kpi_id::avg_sales_cycle_days).unit, kpi::unit::days);
  EXPECT_EQ(kpi::info(kpi_id::avg_response_time_s).unit, kpi::unit::seconds);
}

}  // namespace
