// The bundled demo (examples/demo/, made by examples/demo/generate.py): every canonical CSV reads in
// strict mode, and the counts and sums are those the generator states in examples/demo/manifest.json.
// The queue_log, imported with libkpi's Asterisk importer, gives exactly the inbound rows of calls.csv.
//
// The expected numbers below are copied from manifest.json (written by the generator, which is plain
// Python and shares no code with libkpi). Regenerating with other parameters must update both.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kpi/io/asterisk.hpp"
#include "kpi/io/csv.hpp"

namespace {

const std::string k_demo = KPI_TEST_DATA_DIR "/../../examples/demo/";

template <class Record>
std::vector<Record> read_all(const std::string &file, kpi::io::read_report &rep) {
  std::ifstream in(k_demo + file, std::ios::binary);
  EXPECT_TRUE(in) << k_demo + file;
  std::vector<Record> out;
  kpi::io::read_options o;  // strict
  o.default_currency = kpi::currency::of("IDR");
  rep = kpi::io::read_csv<Record>(
      in, file, [&](const Record &r) { out.push_back(r); }, o);
  return out;
}

template <class Record>
std::vector<Record> read_all(const std::string &file) {
  kpi::io::read_report rep;
  auto v = read_all<Record>(file, rep);
  EXPECT_EQ(rep.read, v.size());
  EXPECT_EQ(rep.rejected, 0U);
  return v;
}

kpi::money idr(std::int64_t rupiah) {
  return kpi::money{rupiah * 100, kpi::currency::of("IDR")};
}

TEST(DemoData, CallsAsTheGeneratorStates) {
  kpi::io::read_report rep;
  const auto calls = read_all<kpi::call_record>("calls.csv", rep);
  EXPECT_EQ(rep.read, 20990U);
  EXPECT_EQ(rep.accepted, 20990U);
  const auto jakarta = kpi::time_zone::locate("Asia/Jakarta");
  std::uint64_t out = 0, out_connected = 0, callbacks = 0, in = 0, in_connected = 0, in_abandoned = 0,
                in_timeout = 0;
  double out_talk = 0, in_talk = 0, in_wait_answered = 0;
  std::set<std::pair<std::string, std::int32_t>> agent_days;
  const kpi::window november{kpi::parse_timestamp("2026-11-01T00:00:00+07:00"),
                             kpi::parse_timestamp("2026-12-01T00:00:00+07:00")};
  for (const auto &c : calls) {
    EXPECT_TRUE(november.contains(c.start)) << c.call_id;
    if (c.direction == kpi::direction::outbound) {
      ++out;
      out_talk += c.talk_s;
      out_connected += c.outcome == kpi::call_outcome::connected;
      callbacks += c.campaign_id.empty();
      agent_days.emplace(c.agent_id, jakarta.local_day(c.start));
    } else {
      ++in;
      in_talk += c.talk_s;
      EXPECT_EQ(c.queue_id, "cs-inbound");
      switch (c.outcome) {
        case kpi::call_outcome::connected:
          ++in_connected;
          in_wait_answered += *c.wait_s;
          break;
        case kpi::call_outcome::abandoned:
          ++in_abandoned;
          break;
        case kpi::call_outcome::timeout:
          ++in_timeout;
          break;
        default:
          ADD_FAILURE() << c.call_id;
      }
    }
  }
  EXPECT_EQ(out, 19380U);
  EXPECT_EQ(out_connected, 11619U);
  EXPECT_EQ(callbacks, 41U);
  EXPECT_EQ(agent_days.size(), 240U);  // 12 agents × 21 working days − 12 days off
  EXPECT_DOUBLE_EQ(out_talk, 2944116.0);
  EXPECT_EQ(in, 1610U);
  EXPECT_EQ(in_connected, 1519U);
  EXPECT_EQ(in_abandoned, 86U);
  EXPECT_EQ(in_timeout, 5U);
  EXPECT_DOUBLE_EQ(in_wait_answered, 23645.0);
  EXPECT_DOUBLE_EQ(in_talk, 357245.0);
}

TEST(DemoData, OrdersAsTheGeneratorStates) {
  const auto orders = read_all<kpi::order_record>("orders.csv");
  ASSERT_EQ(orders.size(), 636U);
  std::map<kpi::order_kind, int> kinds;
  kpi::money revenue = idr(0), cost = idr(0);
  for (const auto &o : orders) {
    ++kinds[o.kind];
    revenue = revenue + o.amount;
    ASSERT_TRUE(o.cost.has_value());
    cost = cost + *o.cost;
    EXPECT_FALSE(o.call_id.empty());
  }
  EXPECT_EQ(kinds[kpi::order_kind::new_sale], 468);
  EXPECT_EQ(kinds[kpi::order_kind::upsell], 147);
  EXPECT_EQ(kinds[kpi::order_kind::cross_sell], 21);
  EXPECT_EQ(revenue, idr(554949000));
  EXPECT_EQ(cost, idr(326155000));
}

TEST(DemoData, FunnelCustomersSpendAndTargetsAsTheGeneratorStates) {
  const auto leads = read_all<kpi::lead_record>("leads.csv");
  ASSERT_EQ(leads.size(), 1800U);
  int contacted = 0, mql = 0, sql = 0, opp = 0, won = 0, lost = 0;
  for (const auto &l : leads) {
    contacted += l.first_contact.has_value();
    mql += l.mql.has_value();
    sql += l.sql.has_value();
    opp += l.opportunity.has_value();
    won += l.won.has_value();
    lost += l.lost.has_value();
  }
  EXPECT_EQ(contacted, 1645);
  EXPECT_EQ(mql, 1009);
  EXPECT_EQ(sql, 579);
  EXPECT_EQ(opp, 427);
  EXPECT_EQ(won, 199);
  EXPECT_EQ(lost, 45);

  const auto opps = read_all<kpi::opportunity_record>("opportunities.csv");
  ASSERT_EQ(opps.size(), 427U);
  std::map<kpi::opportunity_status, int> status;
  for (const auto &o : opps) ++status[o.status];
  EXPECT_EQ(status[kpi::opportunity_status::open], 183);
  EXPECT_EQ(status[kpi::opportunity_status::won], 199);
  EXPECT_EQ(status[kpi::opportunity_status::lost], 45);

  const auto customers = read_all<kpi::customer_record>("customers.csv");
  ASSERT_EQ(customers.size(), 4468U);  // 4000 before November + 468 new (one per new-sale order)
  int churned = 0;
  for (const auto &c : customers) churned += c.churned.has_value();
  EXPECT_EQ(churned, 1011);

  const auto spend = read_all<kpi::spend_record>("spend.csv");
  ASSERT_EQ(spend.size(), 32U);  // 2 campaigns × (3 media × 5 weeks + 1 telesales)
  kpi::money total = idr(0);
  for (const auto &s : spend) total = total + s.amount;
  EXPECT_EQ(total, idr(279700000));

  const auto targets = read_all<kpi::target_record>("targets.csv");
  EXPECT_EQ(targets.size(), 32U);  // 13 business-wide + 3 teams + 12 agents + 4 weeks
}

TEST(DemoData, QueueLogGivesTheInboundCallsOfCallsCsv) {
  std::ifstream in(k_demo + "queue_log", std::ios::binary);
  ASSERT_TRUE(in);
  std::map<std::string, kpi::call_record> from_log;
  const auto res = kpi::io::read_asterisk_queue_log(in, "queue_log", [&](const kpi::call_record &r) {
    EXPECT_TRUE(from_log.emplace(r.call_id, r).second) << "duplicate " << r.call_id;
  });
  EXPECT_EQ(res.format, kpi::io::queue_log_format::file);
  EXPECT_EQ(res.rows.read, 5123U);
  EXPECT_EQ(res.rows.rejected, 0U);
  EXPECT_EQ(res.calls, 1610U);
  EXPECT_EQ(res.abandon, 86U);
  EXPECT_EQ(res.exitwithtimeout, 5U);
  EXPECT_EQ(res.transfer, 42U);
  EXPECT_EQ(res.open_closed + res.open_dropped, 0U);
  EXPECT_EQ(res.orphan_events, 0U);
  std::uint64_t misses = 0;
  for (const auto &a : res.agents) misses += a.ring_no_answer;
  EXPECT_EQ(misses, 47U);

  // Every inbound row of calls.csv equals the importer's record, but for the team (the queue_log does
  // not know teams).
  std::size_t compared = 0;
  for (auto c : read_all<kpi::call_record>("calls.csv")) {
    if (c.direction != kpi::direction::inbound) continue;
    const auto it = from_log.find(c.call_id);
    ASSERT_NE(it, from_log.end()) << c.call_id;
    c.team_id.clear();
    EXPECT_EQ(it->second, c) << c.call_id;
    ++compared;
  }
  EXPECT_EQ(compared, 1610U);
}

}  // namespace
