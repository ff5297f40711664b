// Tests of kpi/records.hpp: enum spellings and the validation rules of every record family.
#include "kpi/records.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>

#include "kpi/error.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using kpi::errc;

template <class R>
std::string field_of_issue(const R &r) {
  const auto i = kpi::check(r);
  return i ? std::string(i->field) : std::string("(valid)");
}

const kpi::timestamp t0 = kpi::parse_timestamp("2026-11-23T09:00:00+07:00");
const kpi::currency idr = kpi::currency::of("IDR");

kpi::call_record good_call() {
  kpi::call_record c;
  c.call_id = "c1";
  c.agent_id = "a1";
  c.direction = kpi::direction::outbound;
  c.start = t0;
  c.talk_s = 185;
  c.outcome = kpi::call_outcome::connected;
  return c;
}

TEST(RecordEnums, SpellingsRoundTrip) {
  EXPECT_STREQ(kpi::to_string(kpi::direction::inbound), "inbound");
  EXPECT_STREQ(kpi::to_string(kpi::call_outcome::no_answer), "no_answer");
  EXPECT_STREQ(kpi::to_string(kpi::order_kind::new_sale), "new");
  EXPECT_STREQ(kpi::to_string(kpi::order_kind::cross_sell), "cross_sell");
  EXPECT_STREQ(kpi::to_string(kpi::opportunity_status::won), "won");
  EXPECT_STREQ(kpi::to_string(kpi::target_op::at_least), ">=");
  EXPECT_STREQ(kpi::to_string(kpi::target_op::at_most), "<=");
  EXPECT_STREQ(kpi::to_string(kpi::target_op::between), "between");
  for (int v = 0; v <= 6; ++v) {
    const auto o = static_cast<kpi::call_outcome>(v);
    EXPECT_EQ(kpi::parse_call_outcome(kpi::to_string(o)), o);
  }
  EXPECT_EQ(kpi::parse_direction("outbound"), kpi::direction::outbound);
  EXPECT_EQ(kpi::parse_order_kind("upsell"), kpi::order_kind::upsell);
  EXPECT_EQ(kpi::parse_opportunity_status("lost"), kpi::opportunity_status::lost);
  EXPECT_EQ(kpi::parse_target_op("between"), kpi::target_op::between);
  // Pinned values (the C ABI stores them as int32).
  EXPECT_EQ(static_cast<int>(kpi::call_outcome::timeout), 6);
  EXPECT_EQ(static_cast<int>(kpi::direction::inbound), 1);
  EXPECT_EQ(static_cast<int>(kpi::target_op::between), 2);
}

TEST(RecordEnums, UnknownValuesAreErrors) {
  EXPECT_EQ(code_of([] { (void)kpi::parse_direction("Outbound"); }), errc::parse);
  EXPECT_EQ(code_of([] { (void)kpi::parse_call_outcome("answered"); }), errc::parse);
  EXPECT_EQ(code_of([] { (void)kpi::parse_order_kind("new_sale"); }), errc::parse);
  EXPECT_EQ(code_of([] { (void)kpi::parse_opportunity_status(""); }), errc::parse);
  EXPECT_EQ(code_of([] { (void)kpi::parse_target_op(">"); }), errc::parse);
  try {
    (void)kpi::parse_call_outcome("answered");
    FAIL();
  } catch (const kpi::error &e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'answered'"), std::string::npos) << m;
    EXPECT_NE(m.find("connected, no_answer, busy, failed, voicemail, abandoned or timeout"),
              std::string::npos)
        << m;
  }
}

TEST(CallRecord, Validation) {
  EXPECT_FALSE(kpi::check(good_call()));
  auto c = good_call();
  c.talk_s = -1;
  EXPECT_EQ(field_of_issue(c), "talk_s");
  c = good_call();
  c.wait_s = -0.5;
  EXPECT_EQ(field_of_issue(c), "wait_s");
  c = good_call();
  c.hold_s = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(field_of_issue(c), "hold_s");
  c = good_call();
  c.acw_s = std::numeric_limits<double>::infinity();
  EXPECT_EQ(field_of_issue(c), "acw_s");
  c = good_call();
  c.call_id.clear();
  EXPECT_EQ(field_of_issue(c), "call_id");
  // Nobody talked on a no_answer call.
  c = good_call();
  c.outcome = kpi::call_outcome::no_answer;
  EXPECT_EQ(field_of_issue(c), "talk_s");
  c.talk_s = 0;
  EXPECT_FALSE(kpi::check(c));
  // A voicemail may carry the time of the message left.
  c = good_call();
  c.outcome = kpi::call_outcome::voicemail;
  EXPECT_FALSE(kpi::check(c));
  // A connected call names its agent; an unanswered inbound call has none.
  c = good_call();
  c.agent_id.clear();
  EXPECT_EQ(field_of_issue(c), "agent_id");
  c.direction = kpi::direction::inbound;
  c.outcome = kpi::call_outcome::abandoned;
  c.talk_s = 0;
  c.wait_s = 42;
  EXPECT_FALSE(kpi::check(c));
  // validate() throws invalid_argument naming the field.
  c = good_call();
  c.talk_s = -3;
  try {
    kpi::validate(c);
    FAIL();
  } catch (const kpi::error &e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_EQ(std::string(e.what()), "talk_s: negative duration -3 s");
  }
  EXPECT_NO_THROW(kpi::validate(good_call()));
}

TEST(OrderRecord, Validation) {
  kpi::order_record o;
  o.order_id = "o1";
  o.time = t0;
  o.amount = kpi::parse_money("850000", idr);
  EXPECT_FALSE(kpi::check(o));
  o.cost = kpi::parse_money("600000", idr);
  EXPECT_FALSE(kpi::check(o));
  o.cost = kpi::parse_money("10", kpi::currency::of("USD"));
  EXPECT_EQ(field_of_issue(o), "cost");
  o.cost = kpi::money{-1, idr};
  EXPECT_EQ(field_of_issue(o), "cost");
  o.cost.reset();
  o.amount.minor = -100;
  EXPECT_EQ(field_of_issue(o), "amount");
  o.amount.minor = 100;
  o.order_id.clear();
  EXPECT_EQ(field_of_issue(o), "order_id");
  EXPECT_EQ(code_of([&] { kpi::validate(o); }), errc::invalid_argument);
}

TEST(LeadRecord, Validation) {
  kpi::lead_record l;
  l.lead_id = "l1";
  l.created = t0;
  l.first_contact = t0 + 90min;
  l.mql = t0 + 1h;
  l.sql = t0 + 2h;
  l.opportunity = t0 + 24h;
  l.won = t0 + 48h;
  EXPECT_FALSE(kpi::check(l));
  l.first_contact = t0 - 1s;  // contacted before it existed
  EXPECT_EQ(field_of_issue(l), "first_contact");
  l.first_contact = t0;  // the same instant is fine
  EXPECT_FALSE(kpi::check(l));
  l.sql = t0 - 1ms;
  EXPECT_EQ(field_of_issue(l), "sql");
  l.sql = t0 + 2h;
  l.lost = t0 + 72h;  // won and lost both set
  EXPECT_EQ(field_of_issue(l), "lost");
  l.won.reset();
  EXPECT_FALSE(kpi::check(l));
}

TEST(OpportunityRecord, Validation) {
  kpi::opportunity_record o;
  o.opportunity_id = "op1";
  o.created = t0;
  o.status = kpi::opportunity_status::open;
  o.amount = kpi::parse_money("5000000", idr);
  o.probability = 0.4;
  EXPECT_FALSE(kpi::check(o));
  o.probability = 1.5;  // a percent-like value
  EXPECT_EQ(field_of_issue(o), "probability");
  o.probability = -0.1;
  EXPECT_EQ(field_of_issue(o), "probability");
  o.probability = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(field_of_issue(o), "probability");
  o.probability = 0.0;
  EXPECT_FALSE(kpi::check(o));
  o.probability = 1.0;
  EXPECT_FALSE(kpi::check(o));
  // Open: no close time. Won/lost: a close time not before creation.
  o.closed = t0 + 24h;
  EXPECT_EQ(field_of_issue(o), "closed");
  o.status = kpi::opportunity_status::won;
  EXPECT_FALSE(kpi::check(o));
  o.closed = t0 - 24h;  // closed before created
  EXPECT_EQ(field_of_issue(o), "closed");
  o.closed.reset();
  EXPECT_EQ(field_of_issue(o), "closed");
  o.closed = t0;
  o.amount.minor = -1;
  EXPECT_EQ(field_of_issue(o), "amount");
}

TEST(CustomerRecord, Validation) {
  kpi::customer_record c;
  c.customer_id = "cu1";
  c.acquired = t0;
  EXPECT_FALSE(kpi::check(c));
  c.churned = t0 + 24h * 30;
  EXPECT_FALSE(kpi::check(c));
  c.churned = t0 - 1s;  // churned before acquired
  EXPECT_EQ(field_of_issue(c), "churned");
  c.churned.reset();
  c.customer_id.clear();
  EXPECT_EQ(field_of_issue(c), "customer_id");
}

TEST(SpendRecord, Validation) {
  kpi::spend_record s;
  s.campaign_id = "camp";
  s.start = t0;
  s.end = t0 + 24h;
  s.amount = kpi::parse_money("2500000", idr);
  EXPECT_FALSE(kpi::check(s));
  s.end = s.start;  // an empty period [start, start)
  EXPECT_EQ(field_of_issue(s), "end");
  s.end = s.start - 1h;
  EXPECT_EQ(field_of_issue(s), "end");
  s.end = s.start + 1h;
  s.amount.minor = -5;
  EXPECT_EQ(field_of_issue(s), "amount");
}

TEST(TargetRecord, Validation) {
  kpi::target_record t;
  t.kpi = "avg_talk_time_s";
  t.period = kpi::parse_period("2026-11");
  t.op = kpi::target_op::between;
  t.value = 240;
  t.value2 = 360;
  EXPECT_FALSE(kpi::check(t));
  t.value2.reset();  // between without an upper bound
  EXPECT_EQ(field_of_issue(t), "value2");
  t.value2 = 200;  // upper below lower
  EXPECT_EQ(field_of_issue(t), "value2");
  t.value2 = 240;  // a single point is allowed
  EXPECT_FALSE(kpi::check(t));
  t.op = kpi::target_op::at_least;  // value2 is only for between
  EXPECT_EQ(field_of_issue(t), "value2");
  t.value2.reset();
  EXPECT_FALSE(kpi::check(t));
  t.period = kpi::period{};
  EXPECT_EQ(field_of_issue(t), "period");
  t.period = kpi::parse_period("2026-W48");
  t.value = std::numeric_limits<double>::infinity();
  EXPECT_EQ(field_of_issue(t), "value");
  t.value = 0.6;
  t.kpi.clear();
  EXPECT_EQ(field_of_issue(t), "kpi");
}

}  // namespace
