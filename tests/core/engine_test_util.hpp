// Helpers shared by the engine tests (tests/core/engine_*_test.cpp): record builders and a random
// record-stream generator with a fixed seed.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kpi/engine.hpp"
#include "kpi/error.hpp"
#include "kpi/records.hpp"
#include "kpi/time.hpp"

namespace kpi::test {

/// The errc of the kpi::error that `f` throws, or errc::ok when it throws none.
inline errc code_of(const std::function<void()> &f) {
  try {
    f();
  } catch (const error &e) {
    return e.code();
  }
  return errc::ok;
}

inline timestamp at(const char *iso) {
  return parse_timestamp(iso);
}

inline call_record outbound(std::string id, std::string agent, std::string team, const char *start,
                            double talk, call_outcome out = call_outcome::connected) {
  call_record r;
  r.call_id = std::move(id);
  r.agent_id = std::move(agent);
  r.team_id = std::move(team);
  r.direction = direction::outbound;
  r.start = at(start);
  r.talk_s = talk;
  r.outcome = out;
  return r;
}

inline call_record inbound(std::string id, std::string agent, std::string team, const char *start,
                           double wait, double talk, call_outcome out) {
  call_record r;
  r.call_id = std::move(id);
  r.agent_id = std::move(agent);
  r.team_id = std::move(team);
  r.direction = direction::inbound;
  r.start = at(start);
  r.wait_s = wait;
  r.talk_s = talk;
  r.outcome = out;
  return r;
}

inline order_record order(std::string id, std::string agent, std::string customer, const char *time,
                          money amount, std::string call_id = {}) {
  order_record o;
  o.order_id = std::move(id);
  o.agent_id = std::move(agent);
  o.customer_id = std::move(customer);
  o.time = at(time);
  o.amount = amount;
  o.call_id = std::move(call_id);
  return o;
}

/// A random stream of records of every family over `days` days from 2026-09-01, for the merge and
/// serialization property tests. Durations are whole seconds (as telephony logs record them) or have a
/// fraction, amounts whole minor units, ids unique.
struct random_stream {
  std::vector<call_record> calls;
  std::vector<order_record> orders;
  std::vector<lead_record> leads;
  std::vector<opportunity_record> opportunities;
  std::vector<customer_record> customers;
  std::vector<spend_record> spend;
};

inline random_stream make_stream(std::uint64_t seed, std::size_t n_calls, int agents = 6, int days = 75) {
  std::mt19937_64 rng(seed);
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const std::int64_t t0 = to_unix_ms(at("2026-09-01T00:00:00Z"));
  const std::int64_t span = static_cast<std::int64_t>(days) * 86'400'000;
  const currency idr = currency::of("IDR");
  random_stream s;
  auto agent = [&](std::int64_t a) { return "A" + std::to_string(a); };
  auto team = [&](std::int64_t a) { return "T" + std::to_string(a % 2); };
  for (std::size_t i = 0; i < n_calls; ++i) {
    call_record r;
    r.call_id = "C" + std::to_string(i);
    const std::int64_t a = uni(0, agents - 1);
    r.team_id = team(a);
    r.campaign_id = "K" + std::to_string(uni(0, 2));
    r.start = from_unix_ms(t0 + uni(0, span - 1));
    r.caller = "+62" + std::to_string(uni(0, 40));
    const bool in = uni(0, 2) == 0;
    r.direction = in ? direction::inbound : direction::outbound;
    const std::int64_t o = uni(0, 9);
    if (in) {
      r.queue_id = "Q" + std::to_string(uni(0, 1));
      r.wait_s = static_cast<double>(uni(0, 90)) + (uni(0, 4) == 0 ? 0.5 : 0.0);
      r.outcome = o < 6 ? call_outcome::connected : o < 9 ? call_outcome::abandoned : call_outcome::timeout;
    } else {
      r.outcome = o < 5   ? call_outcome::connected
                  : o < 7 ? call_outcome::no_answer
                  : o < 8 ? call_outcome::busy
                  : o < 9 ? call_outcome::voicemail
                          : call_outcome::failed;
    }
    if (r.outcome == call_outcome::connected) {
      r.agent_id = agent(a);
      r.talk_s = static_cast<double>(uni(5, 900)) + (uni(0, 5) == 0 ? 0.25 : 0.0);
      if (uni(0, 1)) r.hold_s = static_cast<double>(uni(0, 60));
      if (uni(0, 1)) r.acw_s = static_cast<double>(uni(0, 120));
    } else if (!in) {
      r.agent_id = agent(a);
    }
    s.calls.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < n_calls / 4; ++i) {
    order_record o;
    o.order_id = "O" + std::to_string(i);
    const std::int64_t a = uni(0, agents - 1);
    o.agent_id = agent(a);
    o.team_id = team(a);
    o.campaign_id = "K" + std::to_string(uni(0, 2));
    o.customer_id = "U" + std::to_string(uni(0, 60));
    o.time = from_unix_ms(t0 + uni(0, span - 1));
    o.amount = money{uni(1, 2'000'000) * 100, idr};
    if (uni(0, 1)) o.cost = money{o.amount.minor / 2, idr};
    o.kind = static_cast<order_kind>(uni(0, 2));
    if (uni(0, 1)) o.call_id = "C" + std::to_string(uni(0, static_cast<std::int64_t>(n_calls)));
    s.orders.push_back(std::move(o));
  }
  for (std::size_t i = 0; i < n_calls / 6; ++i) {
    lead_record l;
    l.lead_id = "L" + std::to_string(i);
    l.agent_id = agent(uni(0, agents - 1));
    l.campaign_id = "K" + std::to_string(uni(0, 2));
    l.source = uni(0, 1) ? "web" : "referral";
    const std::int64_t c = t0 + uni(0, span - 1);
    l.created = from_unix_ms(c);
    if (uni(0, 3)) l.first_contact = from_unix_ms(c + uni(0, 20'000) * 1000);
    if (uni(0, 1)) {
      l.mql = from_unix_ms(c + uni(0, 10) * 86'400'000);
      if (uni(0, 1)) l.sql = from_unix_ms(to_unix_ms(*l.mql) + uni(0, 10) * 86'400'000);
    }
    if (uni(0, 2) == 0) l.opportunity = from_unix_ms(c + uni(1, 20) * 86'400'000);
    if (l.opportunity && uni(0, 1)) l.won = from_unix_ms(to_unix_ms(*l.opportunity) + uni(1, 9) * 86'400'000);
    s.leads.push_back(std::move(l));
  }
  for (std::size_t i = 0; i < n_calls / 8; ++i) {
    opportunity_record o;
    o.opportunity_id = "P" + std::to_string(i);
    const std::int64_t a = uni(0, agents - 1);
    o.agent_id = agent(a);
    o.team_id = team(a);
    const std::int64_t c = t0 + uni(0, span - 1);
    o.created = from_unix_ms(c);
    o.amount = money{uni(1, 100'000) * 100, idr};
    if (uni(0, 1)) o.probability = static_cast<double>(uni(0, 10)) / 10.0;
    const std::int64_t st = uni(0, 2);
    o.status = static_cast<opportunity_status>(st);
    if (st != 0) o.closed = from_unix_ms(c + uni(0, 40) * 86'400'000 + uni(0, 86'399'999));
    s.opportunities.push_back(std::move(o));
  }
  for (std::size_t i = 0; i < n_calls / 10; ++i) {
    customer_record c;
    c.customer_id = "U" + std::to_string(i);
    c.campaign_id = "K" + std::to_string(uni(0, 2));
    const std::int64_t a = t0 - 30 * 86'400'000LL + uni(0, span - 1);
    c.acquired = from_unix_ms(a);
    if (uni(0, 2) == 0) c.churned = from_unix_ms(a + uni(0, 60) * 86'400'000 + uni(0, 999));
    s.customers.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < n_calls / 20 + 1; ++i) {
    spend_record r;
    r.campaign_id = "K" + std::to_string(uni(0, 2));
    r.channel = uni(0, 1) ? "search" : "social";
    const std::int64_t a = t0 + uni(0, span - 1);
    r.start = from_unix_ms(a);
    r.end = from_unix_ms(a + uni(1, 40 * 86'400) * 1000);
    r.amount = money{uni(0, 50'000'000), idr};
    s.spend.push_back(std::move(r));
  }
  return s;
}

/// Feeds every record of `s` whose index i satisfies pick(family, i) to `e`, families interleaved.
template <class Pick>
void feed(engine &e, const random_stream &s, Pick &&pick) {
  for (std::size_t i = 0; i < s.calls.size(); ++i) {
    if (pick(0, i)) e.add(s.calls[i]);
    if (i < s.orders.size() && pick(1, i)) e.add(s.orders[i]);
    if (i < s.leads.size() && pick(2, i)) e.add(s.leads[i]);
    if (i < s.opportunities.size() && pick(3, i)) e.add(s.opportunities[i]);
    if (i < s.customers.size() && pick(4, i)) e.add(s.customers[i]);
    if (i < s.spend.size() && pick(5, i)) e.add(s.spend[i]);
  }
}

}  // namespace kpi::test

namespace kpi::test {

/// Call records as dictionary-encoded columns (the add_calls() layout), owning the arrays.
struct call_batch {
  std::vector<std::string_view> ids;
  std::vector<std::string> strings;  // dictionary storage (stable: reserved up front)
  struct dict {
    std::vector<std::int32_t> codes;
    std::vector<std::string_view> values;
  } agent, team, campaign, queue, caller;
  std::vector<std::int32_t> dir, out;
  std::vector<std::int64_t> start;
  std::vector<double> wait, talk, hold, acw;

  explicit call_batch(const std::vector<call_record> &rs) {
    strings.reserve(5 * rs.size());
    auto encode = [&](dict &d, const std::string &s) {
      if (s.empty()) {
        d.codes.push_back(-1);
        return;
      }
      for (std::size_t k = 0; k < d.values.size(); ++k)
        if (d.values[k] == s) {
          d.codes.push_back(static_cast<std::int32_t>(k));
          return;
        }
      strings.push_back(s);
      d.values.push_back(strings.back());
      d.codes.push_back(static_cast<std::int32_t>(d.values.size() - 1));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const call_record &r : rs) {
      ids.push_back(r.call_id);
      encode(agent, r.agent_id);
      encode(team, r.team_id);
      encode(campaign, r.campaign_id);
      encode(queue, r.queue_id);
      encode(caller, r.caller);
      dir.push_back(static_cast<std::int32_t>(r.direction));
      out.push_back(static_cast<std::int32_t>(r.outcome));
      start.push_back(to_unix_ms(r.start));
      wait.push_back(r.wait_s.value_or(nan));
      talk.push_back(r.talk_s);
      hold.push_back(r.hold_s.value_or(nan));
      acw.push_back(r.acw_s.value_or(nan));
    }
  }
  static dictionary_column view(const dict &d) { return {d.codes, d.values}; }
  call_columns columns() const {
    call_columns c;
    c.rows = dir.size();
    c.call_id = ids;
    c.agent_id = view(agent);
    c.team_id = view(team);
    c.campaign_id = view(campaign);
    c.queue_id = view(queue);
    c.caller = view(caller);
    c.direction = dir;
    c.start_ms = start;
    c.wait_s = wait;
    c.talk_s = talk;
    c.hold_s = hold;
    c.acw_s = acw;
    c.outcome = out;
    return c;
  }
};

}  // namespace kpi::test
