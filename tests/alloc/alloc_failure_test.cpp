// The engine when memory runs out: every allocation that an ingest (add(), add_calls()), a merge or a
// query makes is made to fail in turn. An ingest or merge that fails part way may have left part of a
// record or of a cell in the state, so the engine refuses every later call with errc::no_memory (no
// wrong number, no corrupt save) and is still destroyed cleanly; an engine merged with it is left
// unchanged. A query that fails changes nothing: the engine goes on as before.
//
// The failures come from a replacement of the global operator new that throws on the k-th allocation
// while armed (malloc and free otherwise), which is why this suite is an executable of its own.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "../core/engine_test_util.hpp"
#include "kpi/catalog.hpp"
#include "kpi/engine.hpp"
#include "kpi/error.hpp"

namespace {

std::size_t countdown = 0;  // while non-zero: allocations left before the one that fails

void *allocate(std::size_t n, std::size_t align) {
  if (countdown != 0 && --countdown == 0) throw std::bad_alloc();
  if (n == 0) n = 1;
  void *p = align <= alignof(std::max_align_t) ? std::malloc(n)
                                               : std::aligned_alloc(align, (n + align - 1) / align * align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

// The default array, nothrow and sized forms call these.
void *operator new(std::size_t n) {
  return allocate(n, alignof(std::max_align_t));
}
void *operator new(std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void *p) noexcept {
  std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void *p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}

namespace kpi {
namespace {

using test::code_of;

engine_options daily() {
  engine_options o;
  o.group_by = {dimension::team_id, dimension::agent_id};
  o.period = period_kind::day;
  return o;
}

// Calls that take every path of the batch: young cells whose talk times wait in their slot (many
// distinct seconds), fractions of a second, talk times past any dense array, waits of every outcome,
// and several agents and days.
std::vector<call_record> calls(int n, int offset) {
  std::vector<call_record> rows;
  const char *days[] = {"2026-10-05T09:00:00Z", "2026-10-06T10:30:00Z", "2026-10-07T23:59:59Z"};
  for (int i = offset; i < offset + n; ++i) {
    double talk = static_cast<double>((i * 7919) % 3000 + 20);
    if (i % 11 == 0) talk = 20000.0 + i;
    if (i % 13 == 0) talk += 0.5;
    call_record r = test::outbound("C" + std::to_string(i), "A" + std::to_string(i % 5),
                                   "T" + std::to_string(i % 2), days[i % 3], talk);
    if (i % 4 == 1) {
      r.direction = direction::inbound;
      r.wait_s = static_cast<double>(i % 150);
      const call_outcome outcomes[] = {call_outcome::connected, call_outcome::abandoned,
                                       call_outcome::timeout};
      r.outcome = outcomes[i % 3];
      if (r.outcome != call_outcome::connected) {
        r.agent_id.clear();
        r.talk_s = 0;
      }
    }
    if (r.outcome == call_outcome::connected) r.hold_s = static_cast<double>(i % 40);
    rows.push_back(std::move(r));
  }
  return rows;
}

// Makes a subject with `prepare()`, then runs `step(subject)` with the k-th allocation failing, for k = 1,
// 2, ... until a run does not fail; after each failed run, `check(subject)`. Returns how many failed.
template <class Prepare, class Step, class Check>
std::size_t fail_each_allocation(Prepare prepare, Step step, Check check) {
  std::size_t failures = 0;
  for (std::size_t k = 1;; ++k) {
    auto subject = prepare();
    bool threw = false;
    countdown = k;
    try {
      step(subject);
    } catch (const std::bad_alloc &) {
      threw = true;
    }
    countdown = 0;
    if (!threw) return failures;
    ++failures;
    SCOPED_TRACE("allocation " + std::to_string(k) + " failed");
    check(subject);
  }
}

// `e` refuses every ingest, merge and query with errc::no_memory, and an engine it is merged into is left
// as it was.
void expect_refused(engine &e, const test::call_batch &batch) {
  const period day = parse_period("2026-10-06");
  EXPECT_EQ(code_of([&] { (void)e.save(); }), errc::no_memory);
  EXPECT_EQ(code_of([&] { (void)e.evaluate(kpi_id::calls, {}, day); }), errc::no_memory);
  EXPECT_EQ(code_of([&] { (void)e.groups(); }), errc::no_memory);
  EXPECT_EQ(code_of([&] { (void)e.periods(); }), errc::no_memory);
  EXPECT_EQ(code_of([&] { (void)e.make_report(report_request{}); }), errc::no_memory);
  EXPECT_EQ(code_of([&] { (void)e.add(calls(1, 5000).front()); }), errc::no_memory);
  EXPECT_EQ(code_of([&] { (void)e.add_calls(batch.columns()); }), errc::no_memory);
  engine healthy(daily());
  healthy.add_calls(batch.columns());
  const std::string before = healthy.save();
  EXPECT_EQ(code_of([&] { healthy.merge(e); }), errc::no_memory);
  EXPECT_EQ(healthy.save(), before);
  EXPECT_EQ(code_of([&] { e.merge(healthy); }), errc::no_memory);
}

// (Each test expects more than 20 failed runs: the step does allocate, so the loop did make it fail.)

TEST(AllocFailure, AFailedAddCallsRefusesEverythingAfter) {
  const test::call_batch before(calls(300, 0)), batch(calls(900, 300));
  const std::size_t failures = fail_each_allocation(
      [&] {
        engine e(daily());
        e.add_calls(before.columns());
        return e;
      },
      [&](engine &e) { e.add_calls(batch.columns()); }, [&](engine &e) { expect_refused(e, before); });
  EXPECT_GT(failures, 20u);
}

TEST(AllocFailure, AFailedAddRefusesEverythingAfter) {
  const std::vector<call_record> before = calls(300, 0), more = calls(600, 300);
  const test::call_batch before_cols(before);
  const std::size_t failures = fail_each_allocation(
      [&] {
        engine e(daily());
        for (const call_record &r : before) e.add(r);
        return e;
      },
      [&](engine &e) {
        for (const call_record &r : more) e.add(r);
      },
      [&](engine &e) { expect_refused(e, before_cols); });
  EXPECT_GT(failures, 20u);
}

TEST(AllocFailure, AFailedMergeRefusesEverythingAfter) {
  const test::call_batch a(calls(500, 0)), b(calls(500, 400));
  const std::size_t failures = fail_each_allocation(
      [&] {
        std::pair<engine, engine> e{engine(daily()), engine(daily())};
        e.first.add_calls(a.columns());
        e.second.add_calls(b.columns());
        return e;
      },
      [&](std::pair<engine, engine> &e) { e.first.merge(e.second); },
      [&](std::pair<engine, engine> &e) {
        expect_refused(e.first, a);
        EXPECT_NO_THROW((void)e.second.save());  // the engine merged from is untouched
      });
  EXPECT_GT(failures, 20u);
}

// A query that runs out of memory changes nothing.
TEST(AllocFailure, AFailedQueryChangesNothing) {
  const test::call_batch a(calls(900, 0));
  engine e(daily());
  e.add_calls(a.columns());
  const std::string saved = e.save();
  report_request req;
  req.kpis = {kpi_id::calls, kpi_id::p90_talk_time_s, kpi_id::asa_s};
  req.group_by = {dimension::agent_id};
  const std::size_t rows = e.make_report(req).rows.size();
  const std::size_t failures = fail_each_allocation([&] { return &e; },
                                                    [&](engine *q) {
                                                      (void)q->make_report(req);
                                                      (void)q->save();
                                                    },
                                                    [&](engine *q) {
                                                      EXPECT_EQ(q->save(), saved);
                                                      EXPECT_EQ(q->make_report(req).rows.size(), rows);
                                                    });
  EXPECT_GT(failures, 20u);
}

}  // namespace
}  // namespace kpi
