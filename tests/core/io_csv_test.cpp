// Tests of kpi/io/csv.hpp: the RFC 4180 tokenizer and the typed readers and writers of every family.
#include "kpi/io/csv.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "kpi/error.hpp"

namespace {

using namespace std::chrono_literals;
using kpi::io::read_csv;
using kpi::io::read_mode;
using kpi::io::read_options;

const std::string k_data = std::string(KPI_TEST_DATA_DIR) + "/csv/";
const kpi::currency idr = kpi::currency::of("IDR");
const kpi::currency usd = kpi::currency::of("USD");

kpi::timestamp ts(const char *iso) {
  return kpi::parse_timestamp(iso);
}

// All rows of a CSV text, as strings, with the line each starts on.
struct rows {
  std::vector<std::vector<std::string>> fields;
  std::vector<std::uint64_t> lines;
};
rows tokenize(const std::string &text) {
  std::istringstream in(text);
  kpi::io::csv_reader r(in, "t.csv");
  rows out;
  while (r.next()) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.size(); ++i) row.emplace_back(r.field(i));
    out.fields.push_back(row);
    out.lines.push_back(r.line());
  }
  return out;
}

template <class R>
std::vector<R> read_all(std::istream &in, const std::string &name, const read_options &opt = {},
                        kpi::io::read_report *report = nullptr) {
  std::vector<R> out;
  auto rep = read_csv<R>(
      in, name, [&](const R &r) { out.push_back(r); }, opt);
  if (report != nullptr) *report = rep;
  return out;
}

template <class R>
std::vector<R> read_text(const std::string &text, const read_options &opt = {},
                         kpi::io::read_report *report = nullptr) {
  std::istringstream in(text);
  return read_all<R>(in, "mem.csv", opt, report);
}

template <class R>
std::vector<R> read_file(const std::string &file, const read_options &opt = {},
                         kpi::io::read_report *report = nullptr) {
  std::ifstream in(k_data + file, std::ios::binary);
  EXPECT_TRUE(in) << k_data + file;
  return read_all<R>(in, file, opt, report);
}

// The parse_error a read throws (fails the test if none).
template <class R>
kpi::parse_error error_of(const std::string &text, const read_options &opt = {}) {
  try {
    (void)read_text<R>(text, opt);
  } catch (const kpi::parse_error &e) {
    return e;
  }
  ADD_FAILURE() << "no parse_error for:\n" << text;
  return kpi::parse_error("", 0, "", "");
}

// ---------------------------------------------------------------------------------------------------
// The tokenizer

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  const rows r = tokenize("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\nplain,,\"\"\n");
  ASSERT_EQ(r.fields.size(), 3u);
  EXPECT_EQ(r.fields[1], (std::vector<std::string>{"x, y", "say \"hi\"", "line1\nline2"}));
  EXPECT_EQ(r.fields[2], (std::vector<std::string>{"plain", "", ""}));
  // The third row starts on line 4: the quoted newline moved it down one line.
  EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 2, 4}));
}

TEST(CsvReader, LineEndingsEmptyLinesAndLastRowWithoutNewline) {
  const rows r = tokenize("h1,h2\r\n1,2\r\n\r\n\n3,4\r5,6\n7,\"8\r\n9\"\r\n10,11");
  ASSERT_EQ(r.fields.size(), 6u);
  EXPECT_EQ(r.fields[1], (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(r.fields[2], (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(r.fields[3], (std::vector<std::string>{"5", "6"}));  // a lone CR ends a row too
  EXPECT_EQ(r.fields[4], (std::vector<std::string>{"7", "8\r\n9"}));
  EXPECT_EQ(r.fields[5], (std::vector<std::string>{"10", "11"}));
  // Lines: 1 header, 2 "1,2", 3 and 4 empty, 5 "3,4", 6 "5,6", 7-8 the quoted CRLF, 9 the last.
  EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 2, 5, 6, 7, 9}));
  EXPECT_EQ(tokenize("").fields.size(), 0u);
  EXPECT_EQ(tokenize("\n\n").fields.size(), 0u);
  EXPECT_EQ(tokenize("a,").fields[0], (std::vector<std::string>{"a", ""}));
}

TEST(CsvReader, ByteOrderMarkAtStartIsSkipped) {
  const rows r = tokenize(
      "\xEF\xBB\xBF"
      "call_id,x\n1,2\n");
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0][0], "call_id");
  // Only at the start: elsewhere the bytes are data.
  EXPECT_EQ(tokenize("a\n\xEF\xBB\xBF"
                     "b\n")
                .fields[1][0],
            "\xEF\xBB\xBF"
            "b");
}

TEST(CsvReader, MalformedQuotingIsAnErrorWithItsLine) {
  auto err = [](const std::string &text) -> kpi::parse_error {
    try {
      (void)tokenize(text);
    } catch (const kpi::parse_error &e) {
      return e;
    }
    ADD_FAILURE() << text;
    return kpi::parse_error("", 0, "", "");
  };
  const auto unterminated = err("a,b\n1,\"open\nstill open\n");
  EXPECT_EQ(unterminated.line(), 2u);
  EXPECT_NE(unterminated.reason().find("never closed"), std::string::npos) << unterminated.what();
  const auto inner = err("a,b\n1,2\nx\"y,3\n");
  EXPECT_EQ(inner.line(), 3u);
  EXPECT_NE(inner.reason().find("quote inside an unquoted field"), std::string::npos) << inner.what();
  const auto after = err("a\n\"x\"y\n");
  EXPECT_EQ(after.line(), 2u);
  EXPECT_NE(after.reason().find("after a closing quote"), std::string::npos) << after.what();
  EXPECT_EQ(after.file(), "t.csv");
  EXPECT_EQ(after.code(), kpi::errc::parse);
}

TEST(CsvReader, RowLengthIsBounded) {
  std::istringstream in("a\n\"" + std::string(100, 'x'));
  kpi::io::csv_reader r(in, "big.csv", 64);
  ASSERT_TRUE(r.next());
  try {
    (void)r.next();
    FAIL();
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_NE(e.reason().find("longer than 64 bytes"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, LargeInputAcrossReadBuffers) {
  // 20000 rows of about 40 bytes (800 kB, many 64 kB read buffers): every quote, doubled quote, CRLF and
  // quoted newline must survive the buffer boundaries wherever they fall.
  std::string text = "id,text,n\r\n";
  for (int i = 0; i < 20000; ++i) {
    text += std::to_string(i) + ",\"q\"\"" + std::to_string(i) + "\nnext, line\"," + std::to_string(i * 2) +
            "\r\n";
  }
  const rows r = tokenize(text);
  ASSERT_EQ(r.fields.size(), 20001u);
  for (int i = 0; i < 20000; ++i) {
    const auto &f = r.fields[static_cast<std::size_t>(i) + 1];
    ASSERT_EQ(f.size(), 3u);
    ASSERT_EQ(f[0], std::to_string(i));
    ASSERT_EQ(f[1], "q\"" + std::to_string(i) + "\nnext, line");
    ASSERT_EQ(f[2], std::to_string(i * 2));
    // Each row spans two lines: row i starts on line 2 + 2i.
    ASSERT_EQ(r.lines[static_cast<std::size_t>(i) + 1], 2u + 2u * static_cast<std::uint64_t>(i));
  }
}

// ---------------------------------------------------------------------------------------------------
// Typed readers: fixtures of every family

TEST(CsvRead, CallsFixture) {
  kpi::io::read_report rep;
  const auto calls = read_file<kpi::call_record>("calls.csv", {}, &rep);
  EXPECT_EQ(rep.read, 4u);
  EXPECT_EQ(rep.accepted, 4u);
  EXPECT_EQ(rep.rejected, 0u);
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].call_id, "c1");
  EXPECT_EQ(calls[0].team_id, "t1");
  EXPECT_EQ(calls[0].direction, kpi::direction::outbound);
  // 2026-11-23T09:15:00+07:00 = 02:15Z = Unix 1795400100 (20780 days × 86400 + 8100 s).
  EXPECT_EQ(calls[0].start, kpi::from_unix_ms(1795400100000));
  EXPECT_EQ(calls[0].talk_s, 185.0);
  EXPECT_EQ(calls[0].hold_s, 0.0);
  EXPECT_EQ(calls[0].acw_s, 30.0);
  EXPECT_FALSE(calls[0].wait_s);
  EXPECT_EQ(calls[1].outcome, kpi::call_outcome::no_answer);
  EXPECT_FALSE(calls[1].hold_s);
  EXPECT_EQ(calls[2].agent_id, "");
  EXPECT_EQ(calls[2].caller, "Budi, Jakarta");
  EXPECT_EQ(calls[2].start, kpi::from_unix_ms(1795400100000));  // Unix seconds
  EXPECT_EQ(calls[2].wait_s, 42.5);
  EXPECT_EQ(calls[2].outcome, kpi::call_outcome::abandoned);
  EXPECT_EQ(calls[3].caller, "He said \"hi\"");
  EXPECT_EQ(calls[3].start, ts("2026-11-23T09:30:00+07:00"));
  EXPECT_EQ(calls[3].talk_s, 240.5);
}

TEST(CsvRead, ColumnsInAnyOrderWithBomCrlfAndUnknownColumns) {
  const auto calls = read_file<kpi::call_record>("calls_reordered.csv");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "c1");
  EXPECT_EQ(calls[0].agent_id, "a1");
  EXPECT_EQ(calls[0].talk_s, 185.0);
  EXPECT_EQ(calls[0].start, kpi::from_unix_ms(1795400100000));
  EXPECT_EQ(calls[0].team_id, "");  // optional columns absent
  EXPECT_FALSE(calls[0].hold_s);
  EXPECT_EQ(calls[1].outcome, kpi::call_outcome::voicemail);
  EXPECT_EQ(calls[1].start, ts("2026-11-23T02:20:00.5Z"));
}

TEST(CsvRead, OrdersFixture) {
  read_options opt;
  opt.default_currency = idr;
  const auto orders = read_file<kpi::order_record>("orders.csv", opt);
  ASSERT_EQ(orders.size(), 4u);
  EXPECT_EQ(orders[0].amount, (kpi::money{85000000, idr}));  // 850000 × 100 sen
  EXPECT_EQ(orders[0].cost, (kpi::money{60000000, idr}));
  EXPECT_EQ(orders[0].call_id, "c1");
  EXPECT_EQ(orders[0].kind, kpi::order_kind::new_sale);
  EXPECT_EQ(orders[1].amount, (kpi::money{12500050, idr}));  // 125000.50
  EXPECT_FALSE(orders[1].cost);
  EXPECT_EQ(orders[1].kind, kpi::order_kind::upsell);
  EXPECT_EQ(orders[2].amount, (kpi::money{1250, usd}));
  EXPECT_EQ(orders[2].cost, (kpi::money{725, usd}));
  EXPECT_EQ(orders[2].kind, kpi::order_kind::cross_sell);
  EXPECT_EQ(orders[3].amount, (kpi::money{30000000, idr}));  // empty currency: the default
  EXPECT_EQ(orders[3].kind, kpi::order_kind::new_sale);      // empty kind: new
}

TEST(CsvRead, LeadsOpportunitiesCustomersSpendTargetsFixtures) {
  const auto leads = read_file<kpi::lead_record>("leads.csv");
  ASSERT_EQ(leads.size(), 3u);
  EXPECT_EQ(leads[0].first_contact, ts("2026-11-01T02:30:00Z"));
  EXPECT_EQ(leads[0].won, ts("2026-11-20T01:00:00Z"));
  EXPECT_FALSE(leads[0].lost);
  EXPECT_FALSE(leads[1].first_contact);
  EXPECT_EQ(leads[2].lost, ts("2026-11-10T08:00:00+07:00"));

  const auto opps = read_file<kpi::opportunity_record>("opportunities.csv");
  ASSERT_EQ(opps.size(), 3u);
  EXPECT_EQ(opps[0].status, kpi::opportunity_status::won);
  EXPECT_EQ(opps[0].probability, 1.0);
  EXPECT_EQ(opps[1].amount, (kpi::money{250000000, idr}));
  EXPECT_FALSE(opps[1].closed);
  EXPECT_EQ(opps[2].amount, (kpi::money{100000, usd}));
  EXPECT_FALSE(opps[2].probability);

  const auto customers = read_file<kpi::customer_record>("customers.csv");
  ASSERT_EQ(customers.size(), 3u);
  EXPECT_EQ(customers[1].churned, ts("2026-11-14T17:00:00Z"));
  // 1767200400 = 2026-01-01T00:00+07:00: day 20454 × 86400 − 7 × 3600.
  EXPECT_EQ(customers[2].acquired, ts("2026-01-01T00:00:00+07:00"));

  const auto spend = read_file<kpi::spend_record>("spend.csv");
  ASSERT_EQ(spend.size(), 2u);
  EXPECT_EQ(spend[0].amount, (kpi::money{2500000000, idr}));
  EXPECT_EQ(spend[0].end - spend[0].start, 30 * 24h);
  EXPECT_EQ(spend[1].amount, (kpi::money{150000, usd}));

  const auto targets = read_file<kpi::target_record>("targets.csv");
  ASSERT_EQ(targets.size(), 5u);
  EXPECT_EQ(targets[0].kpi, "outbound_calls_per_agent_day");
  EXPECT_EQ(targets[0].period, kpi::parse_period("2026-11"));
  EXPECT_EQ(targets[0].op, kpi::target_op::at_least);
  EXPECT_EQ(targets[0].value, 80.0);
  EXPECT_EQ(targets[1].agent_id, "a1");
  EXPECT_EQ(targets[1].period.kind, kpi::period_kind::week);
  EXPECT_EQ(targets[2].op, kpi::target_op::between);
  EXPECT_EQ(targets[2].value2, 360.0);
  EXPECT_EQ(targets[3].op, kpi::target_op::at_most);
  EXPECT_EQ(targets[3].period.kind, kpi::period_kind::day);
  EXPECT_EQ(targets[4].period.kind, kpi::period_kind::year);
}

// ---------------------------------------------------------------------------------------------------
// Typed readers: errors

TEST(CsvRead, MalformedRowNamesFileLineColumnAndReason) {
  const auto e = error_of<kpi::call_record>(
      "call_id,agent_id,direction,start,talk_s,outcome\n"
      "c1,a1,outbound,2026-11-23T09:15:00+07:00,185,connected\n"
      "c2,a1,outbound,2026-11-23T09:16:00+07:00,abc,connected\n");
  EXPECT_EQ(e.file(), "mem.csv");
  EXPECT_EQ(e.line(), 3u);
  EXPECT_EQ(e.column(), "talk_s");
  EXPECT_EQ(std::string(e.what()),
            "mem.csv:3: column 'talk_s': invalid number 'abc': expected a finite decimal such as 12.5");
}

TEST(CsvRead, LineNumbersCountQuotedNewlines) {
  // Row 2 spans lines 2-4 (two quoted newlines), so the bad row is on line 5.
  const auto e = error_of<kpi::call_record>(
      "call_id,agent_id,direction,caller,start,talk_s,outcome\n"
      "c1,a1,outbound,\"multi\nline\ncaller\",2026-11-23T09:15:00Z,185,connected\n"
      "c2,a1,outbound,x,2026-11-23T09:15:00Z,185,answered\n");
  EXPECT_EQ(e.line(), 5u);
  EXPECT_EQ(e.column(), "outcome");
  EXPECT_NE(e.reason().find("unknown outcome 'answered'"), std::string::npos) << e.what();
}

TEST(CsvRead, MissingRequiredColumnIsNamed) {
  const auto e =
      error_of<kpi::call_record>("call_id,agent_id,direction,start,outcome\nc1,a1,outbound,0,busy\n");
  EXPECT_EQ(e.line(), 1u);
  EXPECT_EQ(e.column(), "talk_s");
  EXPECT_EQ(std::string(e.what()), "mem.csv:1: column 'talk_s': required column is missing from the header");
  // Even in lenient mode: no row can be read.
  read_options lenient;
  lenient.mode = read_mode::lenient;
  EXPECT_EQ(error_of<kpi::call_record>("call_id\nc1\n", lenient).column(), "agent_id");
  // A duplicated column is ambiguous.
  const auto dup = error_of<kpi::customer_record>("customer_id,acquired,customer_id\nx,0,y\n");
  EXPECT_EQ(dup.column(), "customer_id");
  EXPECT_NE(dup.reason().find("twice"), std::string::npos);
  // No header at all.
  EXPECT_NE(error_of<kpi::customer_record>("").reason().find("no header"), std::string::npos);
}

TEST(CsvRead, ValueErrorsOfEachKind) {
  const std::string head = "call_id,agent_id,direction,start,talk_s,outcome\n";
  // A naive timestamp: the reason says why.
  const auto naive = error_of<kpi::call_record>(head + "c1,a1,outbound,2026-11-23T09:15:00,1,connected\n");
  EXPECT_EQ(naive.column(), "start");
  EXPECT_NE(naive.reason().find("no UTC offset"), std::string::npos) << naive.what();
  // An unknown direction.
  EXPECT_EQ(error_of<kpi::call_record>(head + "c1,a1,sideways,0,1,connected\n").column(), "direction");
  // A negative duration (found by validation).
  const auto neg = error_of<kpi::call_record>(head + "c1,a1,outbound,0,-5,connected\n");
  EXPECT_EQ(neg.column(), "talk_s");
  EXPECT_NE(neg.reason().find("negative duration"), std::string::npos) << neg.what();
  // An empty required value.
  EXPECT_EQ(error_of<kpi::call_record>(head + "c1,a1,outbound,,1,connected\n").reason(),
            "required value is empty");
  // Too few fields.
  const auto short_row = error_of<kpi::call_record>(head + "c1,a1,outbound,0,1\n");
  EXPECT_EQ(short_row.column(), "");
  EXPECT_EQ(short_row.reason(), "row has 5 fields, the header has 6");
  // Probability outside 0..1, closed before created.
  const std::string opp = "opportunity_id,created,closed,status,amount,currency,probability\n";
  EXPECT_EQ(error_of<kpi::opportunity_record>(opp + "o,0,,open,1,USD,40\n").column(), "probability");
  EXPECT_EQ(error_of<kpi::opportunity_record>(opp + "o,100,50,won,1,USD,\n").column(), "closed");
  // An inexact amount, an unknown currency.
  const std::string ord = "order_id,time,amount,currency\n";
  EXPECT_EQ(error_of<kpi::order_record>(ord + "o,0,1.234,USD\n").column(), "amount");
  const auto cur = error_of<kpi::order_record>(ord + "o,0,1,RUPIAH\n");
  EXPECT_EQ(cur.column(), "currency");
  EXPECT_NE(cur.reason().find("'RUPIAH'"), std::string::npos) << cur.what();
  // A bad period label; between without value2.
  const std::string tgt = "kpi,period,op,value,value2\n";
  EXPECT_EQ(error_of<kpi::target_record>(tgt + "calls,2026-13,>=,1,\n").column(), "period");
  EXPECT_EQ(error_of<kpi::target_record>(tgt + "calls,2026-11,between,1,\n").column(), "value2");
  // Spend: end not after start.
  EXPECT_EQ(error_of<kpi::spend_record>("campaign_id,start,end,amount,currency\nc,100,100,5,USD\n").column(),
            "end");
}

TEST(CsvRead, NumbersAreCorrectlyRounded) {
  // Both the fast path (at most 15 digits) and the std::from_chars path give the double nearest to the
  // decimal, the same as the compiler's reading of the literal.
  const std::string head = "call_id,agent_id,direction,start,talk_s,outcome\n";
  const char *texts[] = {"185", "0.1",     "240.5", "0.3", "123456789012345", "1234567890123456789",
                         "1e2", "0.000001"};
  const double want[] = {185, 0.1, 240.5, 0.3, 123456789012345.0, 1234567890123456789.0, 100, 0.000001};
  std::string text = head;
  for (const char *t : texts) text += std::string("c,a,outbound,0,") + t + ",connected\n";
  const auto calls = read_text<kpi::call_record>(text);
  ASSERT_EQ(calls.size(), std::size(want));
  for (std::size_t i = 0; i < std::size(want); ++i) EXPECT_EQ(calls[i].talk_s, want[i]) << texts[i];
  for (const char *bad : {"1,5", "nan", "inf", "12s", "", "1.2.3", "+ 1"}) {
    read_options lenient;
    lenient.mode = read_mode::lenient;
    kpi::io::read_report rep;
    (void)read_text<kpi::call_record>(head + "c,a,outbound,0,\"" + bad + "\",connected\n", lenient, &rep);
    EXPECT_EQ(rep.rejected, 1u) << "'" << bad << "'";
  }
}

TEST(CsvRead, CurrencyDefaultOrError) {
  const std::string text = "order_id,time,amount\no1,0,12.50\n";
  const auto e = error_of<kpi::order_record>(text);
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.column(), "currency");
  EXPECT_NE(e.reason().find("no default currency"), std::string::npos) << e.what();
  read_options opt;
  opt.default_currency = usd;
  const auto orders = read_text<kpi::order_record>(text, opt);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].amount, (kpi::money{1250, usd}));
  // The orders fixture's last row has an empty currency: strict reading without a default stops there.
  std::ifstream in(k_data + "orders.csv", std::ios::binary);
  try {
    (void)read_all<kpi::order_record>(in, "orders.csv");
    FAIL();
  } catch (const kpi::parse_error &err) {
    EXPECT_EQ(err.line(), 5u);
    EXPECT_EQ(err.column(), "currency");
  }
}

TEST(CsvRead, LenientModeSkipsCountsAndReports) {
  read_options opt;
  opt.mode = read_mode::lenient;
  kpi::io::read_report rep;
  const auto calls = read_file<kpi::call_record>("calls_bad.csv", opt, &rep);
  // 7 data rows: ok1, ok2 accepted; 5 bad ones rejected, none dropped silently.
  EXPECT_EQ(rep.read, 7u);
  EXPECT_EQ(rep.accepted, 2u);
  EXPECT_EQ(rep.rejected, 5u);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "ok1");
  EXPECT_EQ(calls[1].call_id, "ok2");
  ASSERT_EQ(rep.first_errors.size(), 5u);
  EXPECT_EQ(rep.first_errors[0].line(), 3u);
  EXPECT_EQ(rep.first_errors[0].column(), "talk_s");
  EXPECT_EQ(rep.first_errors[1].line(), 4u);
  EXPECT_EQ(rep.first_errors[1].column(), "outcome");
  EXPECT_EQ(rep.first_errors[2].line(), 5u);
  EXPECT_EQ(rep.first_errors[2].column(), "start");
  EXPECT_EQ(rep.first_errors[3].line(), 6u);
  EXPECT_EQ(rep.first_errors[3].column(), "talk_s");
  EXPECT_EQ(rep.first_errors[4].line(), 8u);
  EXPECT_EQ(rep.first_errors[4].column(), "");
  EXPECT_EQ(rep.first_errors[4].file(), "calls_bad.csv");
  // Only the first N errors are kept; the count is still complete.
  opt.max_errors_kept = 2;
  (void)read_file<kpi::call_record>("calls_bad.csv", opt, &rep);
  EXPECT_EQ(rep.rejected, 5u);
  ASSERT_EQ(rep.first_errors.size(), 2u);
  EXPECT_EQ(rep.first_errors[1].line(), 4u);
  // Strict mode stops at the first bad row (line 3).
  try {
    (void)read_file<kpi::call_record>("calls_bad.csv");
    FAIL();
  } catch (const kpi::parse_error &e) {
    EXPECT_EQ(e.line(), 3u);
  }
}

TEST(CsvRead, CallbackExceptionsPropagate) {
  std::istringstream in("customer_id,acquired\na,0\nb,0\n");
  int seen = 0;
  EXPECT_THROW(read_csv<kpi::customer_record>(in, "c.csv",
                                              [&](const kpi::customer_record &) {
                                                ++seen;
                                                throw std::runtime_error("stop");
                                              }),
               std::runtime_error);
  EXPECT_EQ(seen, 1);
}

TEST(CsvRead, RandomInputIsCountedOrRejectedNeverLost) {
  // 3000 random small inputs over a CSV-heavy alphabet, after a valid header: each read either throws a
  // parse_error (broken quoting) or reports read == accepted + rejected with every accepted row passed
  // to the callback. Run under the sanitizers this also checks memory safety.
  const std::string alphabet = ",,,\"\"\n\r a1-.:TZ+0";
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto rnd = [&]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  read_options lenient;
  lenient.mode = read_mode::lenient;
  lenient.default_currency = usd;
  for (int i = 0; i < 3000; ++i) {
    std::string text = "order_id,time,amount\n";
    const std::size_t n = rnd() % 60;
    for (std::size_t k = 0; k < n; ++k) text += alphabet[rnd() % alphabet.size()];
    if (i % 3 == 0) text += "\no" + std::to_string(i) + ",0,1.5\n";  // some valid rows too
    std::istringstream in(text);
    std::uint64_t delivered = 0;
    try {
      const auto rep = read_csv<kpi::order_record>(
          in, "rnd.csv", [&](const kpi::order_record &) { ++delivered; }, lenient);
      ASSERT_EQ(rep.read, rep.accepted + rep.rejected) << text;
      ASSERT_EQ(rep.accepted, delivered) << text;
      ASSERT_EQ(rep.first_errors.size(), std::min<std::uint64_t>(rep.rejected, lenient.max_errors_kept));
    } catch (const kpi::parse_error &e) {
      ASSERT_EQ(e.file(), "rnd.csv");
      ASSERT_GE(e.line(), 2u) << e.what();
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Round trips: write, read back, compare field by field

template <class R>
void expect_round_trip(const std::vector<R> &records) {
  std::ostringstream out;
  kpi::io::write_csv_header<R>(out);
  for (const auto &r : records) kpi::io::write_csv_row(out, r);
  kpi::io::read_report rep;
  const auto back = read_text<R>(out.str(), {}, &rep);
  EXPECT_EQ(rep.accepted, records.size());
  ASSERT_EQ(back.size(), records.size()) << out.str();
  for (std::size_t i = 0; i < records.size(); ++i)
    EXPECT_TRUE(back[i] == records[i]) << "row " << i << "\n" << out.str();
}

TEST(CsvRoundTrip, Calls) {
  kpi::call_record a;
  a.call_id = "c,1";
  a.agent_id = "agent \"007\"";
  a.team_id = "t1";
  a.campaign_id = "camp\nmulti";
  a.queue_id = "q";
  a.direction = kpi::direction::inbound;
  a.caller = "+62 812";
  a.start = ts("2026-11-23T09:15:00.123+07:00");
  a.wait_s = 0.1;
  a.talk_s = 185.25;
  a.hold_s = 1e-3;
  a.acw_s = 30;
  a.outcome = kpi::call_outcome::connected;
  kpi::call_record b;
  b.call_id = "c2";
  b.direction = kpi::direction::outbound;
  b.start = kpi::from_unix_ms(0);
  b.outcome = kpi::call_outcome::busy;
  expect_round_trip<kpi::call_record>({a, b});
  // The header is the canonical column list.
  std::ostringstream h;
  kpi::io::write_csv_header<kpi::call_record>(h);
  EXPECT_EQ(h.str(),
            "call_id,agent_id,team_id,campaign_id,queue_id,direction,caller,start,wait_s,talk_s,hold_s,acw_s,"
            "outcome\n");
}

TEST(CsvRoundTrip, Orders) {
  kpi::order_record a;
  a.order_id = "o1";
  a.customer_id = "cu";
  a.agent_id = "a";
  a.team_id = "t";
  a.campaign_id = "c";
  a.call_id = "c1";
  a.time = ts("2026-11-23T09:30:00+07:00");
  a.amount = {85000000, idr};
  a.cost = kpi::money{60000050, idr};
  a.kind = kpi::order_kind::upsell;
  kpi::order_record b;
  b.order_id = "o2";
  b.time = ts("2026-11-24T00:00:00Z");
  b.amount = {1234, kpi::currency::of("KWD")};
  b.kind = kpi::order_kind::new_sale;
  expect_round_trip<kpi::order_record>({a, b});
}

TEST(CsvRoundTrip, Leads) {
  kpi::lead_record a;
  a.lead_id = "l1";
  a.source = "web, paid";
  a.created = ts("2026-11-01T08:00:00+07:00");
  a.first_contact = a.created + 90min;
  a.mql = a.created + 24h;
  a.sql = a.created + 48h;
  a.opportunity = a.created + 72h;
  a.lost = a.created + 96h;
  kpi::lead_record b;
  b.lead_id = "l2";
  b.created = ts("2026-11-02T08:00:00Z");
  expect_round_trip<kpi::lead_record>({a, b});
}

TEST(CsvRoundTrip, Opportunities) {
  kpi::opportunity_record a;
  a.opportunity_id = "op1";
  a.lead_id = "l1";
  a.created = ts("2026-11-05T08:00:00+07:00");
  a.closed = a.created + 24h * 15;
  a.status = kpi::opportunity_status::lost;
  a.amount = {500000000, idr};
  a.probability = 0.35;
  kpi::opportunity_record b;
  b.opportunity_id = "op2";
  b.created = ts("2026-11-06T08:00:00Z");
  b.status = kpi::opportunity_status::open;
  b.amount = {0, kpi::currency::of("JPY")};
  expect_round_trip<kpi::opportunity_record>({a, b});
}

TEST(CsvRoundTrip, CustomersSpendTargets) {
  kpi::customer_record c1;
  c1.customer_id = "cu1";
  c1.acquired = ts("2026-01-15T00:00:00+07:00");
  c1.churned = ts("2026-11-15T00:00:00+07:00");
  c1.campaign_id = "camp";
  kpi::customer_record c2;
  c2.customer_id = "cu2";
  c2.acquired = ts("2026-02-01T00:00:00Z");
  expect_round_trip<kpi::customer_record>({c1, c2});

  kpi::spend_record s;
  s.campaign_id = "camp1";
  s.channel = "search";
  s.start = ts("2026-11-01T00:00:00+07:00");
  s.end = ts("2026-12-01T00:00:00+07:00");
  s.amount = {2500000000, idr};
  expect_round_trip<kpi::spend_record>({s});

  kpi::target_record t1;
  t1.kpi = "avg_talk_time_s";
  t1.team_id = "t1";
  t1.period = kpi::parse_period("2026-Q4");
  t1.op = kpi::target_op::between;
  t1.value = 240;
  t1.value2 = 360;
  kpi::target_record t2;
  t2.kpi = "connection_rate";
  t2.period = kpi::parse_period("2026-W48");
  t2.op = kpi::target_op::at_least;
  t2.value = 0.6;
  expect_round_trip<kpi::target_record>({t1, t2});
}

TEST(CsvColumns, RequiredFlagsFollowTheContract) {
  const auto &cols = kpi::io::columns<kpi::order_record>();
  ASSERT_EQ(cols.size(), 11u);
  EXPECT_EQ(cols[0].name, "order_id");
  EXPECT_TRUE(cols[0].required);
  EXPECT_EQ(cols[8].name, "currency");
  EXPECT_FALSE(cols[8].required);
  std::size_t required = 0;
  for (const auto &c : kpi::io::columns<kpi::call_record>()) required += c.required ? 1 : 0;
  // call_id, agent_id, direction, start, talk_s, outcome.
  EXPECT_EQ(required, 6u);
  std::string field;
  kpi::io::append_csv_field(field, "a\"b");
  EXPECT_EQ(field, "\"a\"\"b\"");
}

}  // namespace
