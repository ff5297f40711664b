// kpi::detail::call_ingest: one cell's share of a columnar batch of calls (engine::add_calls), added
// to its call_stats a call at a time without strings, branches only where the data decides them
// rarely, and the counters and whole-second sums kept here until flush().
//
// Why not call_stats::add per call: add() takes a call_record (strings: the agent is hashed and
// compared by its bytes) and updates every counter and exact 128-bit sum of the state in place. Here
// the agent is a batch dictionary code whose hash was computed once per batch, and a call's counters
// and whole-second durations go into fields of this object: a call reads and writes its first cache
// line and the one of its kind's counter, which the engine prefetches some calls ahead.
//
// Two ways in. add_whole() takes a row whose durations are whole seconds below 2^31 (nearly every
// row: telephony logs record whole seconds) as integers, with its kind (direction, outcome, wait
// known) as one number, all of which add_calls computes in vectorized loops. add() takes any valid
// row, its durations as doubles.
//
// The histogram counters a call increments are not incremented by add(): their addresses go into a
// detail::counter_queue shared by the batch's cells, whose drain() increments them together. The
// counters are spread over megabytes of cells; in add()'s long body the processor has few calls' cache
// misses in flight, in drain()'s short loop it has many.
//
// The state after flush() is the state add() of each call would give, in any order (the state does not
// depend on the order of its calls). Private to the engine: a friend of call_stats and exact_histogram.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>  // offsetof
#include <cstdint>

#include "kpi/stats/calls.hpp"
#include "kpi/stats/histogram.hpp"

// Absent durations are NaN and whole_row() rounds by adding and subtracting 2^52: both need IEEE
// arithmetic, which -ffast-math (or -ffinite-math-only) lets the compiler assume away.
#if defined(__FAST_MATH__) || (defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__)
#error "libkpi needs IEEE floating-point semantics: build it without -ffast-math / -ffinite-math-only"
#endif

namespace kpi::detail {

/// What a call_ingest keeps of one histogram besides its dense counters' address and size: read and
/// written only when a counter goes from 0 to 1, a counter fills up, or a value misses the dense array.
struct dense_view {
  exact_histogram *hist = nullptr;
  std::uint64_t new_keys = 0;  // counters that went from 0 to 1, not yet in the histogram's distinct keys
  std::uint64_t slow = 0;      // values given to the histogram's own add() (it counted them)

  /// The pending distinct keys into the histogram (whose add() decides with them).
  void sync() noexcept {
    hist->distinct_ += new_keys;
    new_keys = 0;
  }
};

/// Increments of dense histogram counters, queued by call_ingest::add() and done by drain(). The
/// engine's loop holds the end of the queue in a local variable (a register, not a store and a load
/// per call): add() takes it and returns it, and drain() is given it. At most `capacity` increments
/// wait: the engine drains the queue every rows_per_drain calls (a call queues at most two). Queued
/// addresses point into dense arrays, so the queue is drained before anything may reallocate one
/// (call_ingest does so before a histogram's own add()).
class counter_queue {
 public:
  /// One queued increment: of `*at`, a dense counter of `view`'s histogram.
  struct entry {
    exact_histogram::counter *at;
    dense_view *view;
  };
  static constexpr std::size_t capacity = 1024;                ///< Increments (16 bytes each).
  static constexpr std::size_t rows_per_drain = capacity / 2;  ///< Calls between drains.

  /// The end of the empty queue: where the first push goes.
  [[nodiscard]] entry *begin() noexcept { return entries_; }

  /// Queues one increment at `end` when `counted` (0/1), else writes the slot without keeping it (no branch
  /// on `counted`). Returns the new end. Precondition: fewer than `capacity` queued.
  [[gnu::always_inline]] static entry *push(entry *end, std::uint32_t counted, exact_histogram::counter *at,
                                            dense_view *view) noexcept {
    *end = {at, view};
    return end + counted;
  }

  /// Increments the counters queued up to `end` in queue order, each as exact_histogram::add() would
  /// (a counter going from 0 to 1 is a new distinct key; a full one spills). The queue is then empty:
  /// its next push goes to begin(). @throws std::bad_alloc when a spill cannot allocate (the engine
  /// then takes no more calls: see engine::impl::broken).
  void drain(entry *end) {
    for (const entry *p = entries_; p != end; ++p) {
      const entry e = *p;
      if (*e.at == exact_histogram::dense_full - 1) [[unlikely]]
        e.view->hist->spill(static_cast<std::size_t>(e.at - e.view->hist->dense_.data()));
      const auto c = static_cast<exact_histogram::counter>(*e.at + 1);
      *e.at = c;
      e.view->new_keys += c == 1 ? 1u : 0u;
    }
  }

 private:
  entry entries_[capacity];
};

/// The kind of a call by direction (0/1), outcome (0-6) and whether it has a wait (0/1; only inbound
/// calls do): 14 dir + 2 out + has_wait, in [0, 28). call_ingest counts calls by kind.
constexpr std::uint32_t call_kind(std::uint32_t dir, std::uint32_t out, std::uint32_t has_wait) noexcept {
  return dir * 14 + out * 2 + has_wait;
}

class alignas(64) call_ingest {
 public:
  /// Adds to `stats`, queueing its histogram increments in `queue`; both must outlive this object,
  /// and the queue is drained before flush() and before `stats` is read. The caller checks
  /// has_room_for() first.
  call_ingest(call_stats &stats, counter_queue &queue) noexcept : s_(&stats), queue_(&queue) {
    view_[0].hist = &stats.talk_;
    view_[1].hist = &stats.wait_answered_;
    view_[2].hist = &stats.wait_abandoned_;
    view_[3].hist = &stats.wait_timeout_;
    for (std::size_t k = 0; k < 4; ++k) refresh(k);
  }

  /// Hints the processor to fetch the two cache lines that add() or add_whole() of a call of kind
  /// `kind` (call_kind(); < 28) reads and writes: the first, and the one of the kind's counter.
  void prefetch(std::uint32_t kind) const noexcept {
    static_assert(offsetof(call_ingest, kinds_) == 64, "add()'s other fields fit in the first cache line");
    static_assert(call_kind(1, 6, 1) + 1 == sizeof(kinds_) / sizeof(kinds_[0][0][0]),
                  "kinds_ by call_kind()");
    __builtin_prefetch(this, 1);
    __builtin_prefetch(&kinds_[0][0][0] + kind, 1);
  }

  /// Hints the processor to fetch the lines of the state that flush() reads and writes (the counters,
  /// the sums and the histograms' own fields): flush() of a cell comes long after it was last read.
  void prefetch_state() const noexcept {
    const char *from = reinterpret_cast<const char *>(s_);
    const char *to = reinterpret_cast<const char *>(&s_->wait_timeout_ + 1);
    for (const char *p = from; p < to; p += 64) __builtin_prefetch(p, 1);
  }

  /// The first dense counter of `s`'s talk histogram (null when it has none): the address a handled
  /// call of talk time t increments is this + t for whole t below its size. For prefetch hints.
  static const void *talk_counters(const call_stats &s) noexcept { return s.talk_.dense_.data(); }
  /// Prefetches the counter a handled call of talk time `talk` increments, given talk_counters() of
  /// its state as it was (a stale or null `counters` costs a useless prefetch, nothing else).
  static void prefetch_talk(const void *counters, double talk) noexcept {
    const auto w = talk >= 0.0 && talk < 65536.0 ? static_cast<std::uintptr_t>(talk) : 0;
    // In integers: `counters` may no longer point into a live array, where pointer arithmetic would be
    // undefined (a prefetch of any address is not).
    const std::uintptr_t at =
        reinterpret_cast<std::uintptr_t>(counters) + w * sizeof(exact_histogram::counter);
    __builtin_prefetch(reinterpret_cast<const void *>(at), 1);
  }

  /// True when `n` more calls cannot overflow an exact sum of the state: then add() cannot throw.
  /// Otherwise the caller adds this cell's calls with call_stats::add, which rejects the one that does
  /// not fit.
  [[nodiscard]] bool has_room_for(std::uint64_t n) const noexcept {
    const call_stats &s = *s_;
    return s.talk_.has_room_for(n) && s.talk_unhandled_.has_room_for(n) && s.hold_handled_.has_room_for(n) &&
           s.acw_handled_.has_room_for(n) && s.wait_other_.has_room_for(n) &&
           s.wait_answered_.has_room_for(n) && s.wait_abandoned_.has_room_for(n) &&
           s.wait_timeout_.has_room_for(n);
  }

  /// A row of a batch as add_whole() takes it: its durations in whole seconds, each 0 where add()
  /// would not count it (a wait of an outbound call or an absent one, hold and after-call work of a
  /// call not handled or absent). See whole_row() and seconds().
  struct whole_durations {
    std::uint32_t talk, wait, hold, acw;
  };

  /// Whether add_whole() can take a row: `talk` a whole number below 2^31, each of `wait`, `hold` and
  /// `acw` one too or NaN (absent). Branch-free double arithmetic, so that the compiler vectorizes a
  /// loop of it: (x + 2^52) - 2^52 rounds x in [0, 2^52) to a whole number.
  [[nodiscard]] static bool whole_row(double talk, double wait, double hold, double acw) noexcept {
    constexpr double round = 0x1p52;
    const auto whole = [](double x) { return ((x + round) - round == x) & (x >= 0.0) & (x < whole_row_max); };
    return whole(talk) & ((wait != wait) | whole(wait)) & ((hold != hold) | whole(hold)) &
           ((acw != acw) | whole(acw));
  }

  /// A duration of a row whole_row() accepts, in whole seconds, where `keep` (0/1), else 0 (also for
  /// NaN, and for values out of range: those of other rows, which mean nothing). No branch and no
  /// undefined conversion, so that the compiler vectorizes a loop of it.
  [[nodiscard]] static std::uint32_t seconds(double x, std::uint32_t keep) noexcept {
    const bool in_range = (x >= 0.0) & (x < whole_row_max);  // false for NaN
    const auto w = static_cast<std::uint32_t>(static_cast<std::int32_t>(in_range ? x : 0.0));
    return w & (0u - keep);
  }

  /// Adds one call as add() does, from its kind (call_kind()) and its durations, of a row whole_row()
  /// accepts.
  [[gnu::always_inline]] counter_queue::entry *add_whole(counter_queue::entry *q, std::uint32_t kind,
                                                         whole_durations d, std::int32_t agent,
                                                         const std::uint64_t &agent_hash,
                                                         std::int32_t local_day) {
    const std::uint32_t bits = kind_bits[kind];
    ++(&kinds_[0][0][0])[kind];
    const std::uint32_t handled = bits & 1u;

    // Talk: handled calls into the histogram (rarely beyond its dense counters), the others' (nearly
    // always 0) into the unhandled sum.
    const std::uint32_t talk_dense = handled & flag(d.talk < size_[0]);
    const std::uint32_t talk_unhandled = (handled ^ 1u) & flag(d.talk != 0);
    if (opaque((handled ^ talk_dense) | talk_unhandled) != 0) [[unlikely]]
      q = talk_slow_whole(q, handled, d.talk);
    q = count(q, 0, talk_dense, d.talk);
    hold_ += d.hold;
    acw_ += d.acw;

    // Wait of inbound calls: the histogram of the outcome (view k; 4: none), or (rarely) the sum of
    // the other outcomes' waits.
    const std::size_t k = (bits >> 1) & 7u;
    const std::uint32_t to_hist = flag(k != 4);
    const std::uint32_t wait_dense = to_hist & flag(d.wait < size_[k & 3]);
    if (opaque((to_hist ^ wait_dense) | ((bits >> 5) & flag(d.wait != 0))) != 0) [[unlikely]]
      q = wait_slow(q, k, d.wait);
    q = count(q, k, wait_dense, d.wait);
    return note_agent(q, (bits >> 4) & 1u, agent, agent_hash, local_day);
  }

  /// Adds one call, as call_stats::add(r, local_day) would. Preconditions (add_calls checks them as
  /// kpi::check does): `dir` <= 1 and `out` <= 6; durations finite, >= 0 and below 2^62; `wait`,
  /// `hold` and `acw` NaN when absent; a connected call has an agent. `agent` is the call's batch agent
  /// code (-1: none) and `agent_hash` its kpi::stable_id_hash. At most max_calls calls between flushes.
  ///
  /// The direction and outcome are as good as random from one call to the next, so what they decide is
  /// computed, not branched on: conditions are 0/1 integers combined with & and |, and they select
  /// addresses and masks (a call that is not handled writes a queue slot it does not keep instead of
  /// queueing a talk count, and adds 0 to the handled sums). The branches left test one combined
  /// condition each, made opaque() so that the compiler cannot split it into a branch per comparison;
  /// they are taken rarely (a value outside a histogram's dense array, a fraction of a second, a talk time
  /// on a call nobody answered, a wait of an outcome without a histogram, a new agent or day). Counts
  /// that follow from others are not kept per call: one counter per (direction, outcome, wait known)
  /// gives the state's counts by kind, inbound calls with a wait, outbound calls with an agent (with the
  /// few without one), and how many values the dense arrays took.
  ///
  /// The histogram increments go into the queue at `q`, its end; returns the new end.
  [[gnu::always_inline]] counter_queue::entry *add(counter_queue::entry *q, std::uint32_t dir,
                                                   std::uint32_t out, double talk, double wait, double hold,
                                                   double acw, std::int32_t agent,
                                                   const std::uint64_t &agent_hash, std::int32_t local_day) {
    const std::uint32_t has_wait = dir & flag(wait == wait);
    ++kinds_[dir][out][has_wait];
    const std::uint32_t handled = flag(out == 0);

    // Talk: handled calls into the histogram; the others' (nearly always 0) into the unhandled sum.
    // (A handled call the dense counters cannot take: handled ^ talk_dense, as talk_dense implies handled.)
    const std::uint64_t talk_w = whole_of(talk);
    const std::uint32_t talk_dense = handled & is_whole(talk, talk_w) & flag(talk_w < size_[0]);
    if (opaque((handled ^ talk_dense) | ((handled ^ 1u) & flag(talk != 0.0))) != 0) [[unlikely]]
      q = talk_slow(q, handled, talk);
    q = count(q, 0, talk_dense, talk_w);

    // Hold and after-call work of handled calls (absent: 0).
    hold_ += take_whole(s_->hold_handled_, hold, handled);
    acw_ += take_whole(s_->acw_handled_, acw, handled);

    // Wait of inbound calls: the histogram of the outcome, or (rarely) the sum of the other outcomes.
    const double wv = keep_if(wait, has_wait);  // absent or outbound: 0
    const std::uint64_t wait_w = whole_of(wv);
    const std::size_t k = wait_view[out];  // 4: no histogram
    const std::uint32_t to_hist = has_wait & flag(k != 4);
    const std::uint32_t wait_dense = to_hist & is_whole(wv, wait_w) & flag(wait_w < size_[k & 3]);
    if (opaque((to_hist ^ wait_dense) | (has_wait & flag(k == 4))) != 0) [[unlikely]]
      q = wait_slow(q, k, wv);
    q = count(q, k, wait_dense, wait_w);

    return note_agent(q, dir ^ 1u, agent, agent_hash, local_day);
  }

  /// Folds the pending talk times, counters and sums into the state (then this object starts afresh;
  /// the agent and day caches stay valid). The queue must be empty. After has_room_for() of the calls
  /// added, only the histogram's add() of the pending talk times can throw (std::bad_alloc).
  void flush() {
    add_young();
    call_stats &s = *s_;
    std::uint64_t outbound = 0;
    for (std::size_t d = 0; d < 2; ++d)
      for (std::size_t o = 0; o < 7; ++o) {
        const std::uint64_t calls = kinds_[d][o][0] + kinds_[d][o][1];
        s.by_kind_[d][o] += calls;
        if (d == 0) outbound += calls;
      }
    s.outbound_with_agent_ += outbound - outbound_without_agent_;
    for (std::size_t o = 0; o < 7; ++o) s.wait_inbound_n_ += kinds_[1][o][1];
    // Values the dense arrays took: those of the population minus those add() counted itself.
    const std::uint64_t population[4] = {
        kinds_[0][0][0] + kinds_[0][0][1] + kinds_[1][0][0] + kinds_[1][0][1], kinds_[1][0][1],
        kinds_[1][5][1], kinds_[1][6][1]};
    for (std::size_t v = 0; v < 4; ++v) {
      view_[v].sync();
      view_[v].hist->count_ += population[v] - view_[v].slow;
    }
    merge_whole(s.hold_handled_, hold_);
    merge_whole(s.acw_handled_, acw_);
    merge_whole(s.talk_unhandled_, talk_unhandled_);
    merge_whole(s.wait_other_, wait_other_);
    // add()'s agent cache is keyed by the agent's string, which this object does not have.
    s.have_last_agent_ = false;
    s.have_last_agent_day_ = false;
    std::fill(&kinds_[0][0][0], &kinds_[0][0][0] + 28, std::uint32_t{0});
    for (dense_view &v : view_) v.slow = 0;
    outbound_without_agent_ = hold_ = acw_ = talk_unhandled_ = wait_other_ = 0;
  }

  /// The most calls add() takes between two flushes (its whole-second sums stay below 2^64).
  static constexpr std::uint64_t max_calls = std::uint64_t{1} << 31;  // (and its counters below 2^32)

 private:
  static constexpr double whole_max = 4294967296.0;  // 2^32: larger whole values go to the state directly
  // The view of the wait histogram of each outcome: 1 answered, 2 abandoned, 3 timeout, 4 none (the
  // other outcomes' waits are summed in wait_other_).
  static constexpr std::size_t wait_view[7] = {1, 4, 4, 4, 4, 2, 3};
  static constexpr double whole_row_max = 2147483648.0;  // 2^31: whole_row()'s values convert to int32
  // What add_whole() reads of a call's kind (call_kind()): bit 0 handled (connected); bits 1-3 the view
  // of its wait's histogram (4: none, or no wait); bit 4 outbound; bit 5 its wait goes to wait_other_
  // (an inbound call of an outcome without a wait histogram).
  static constexpr auto kind_bits = [] {
    std::array<std::uint8_t, 28> t{};
    for (std::uint32_t dir = 0; dir < 2; ++dir)
      for (std::uint32_t out = 0; out < 7; ++out)
        for (std::uint32_t has_wait = 0; has_wait < 2; ++has_wait) {
          const std::size_t view = has_wait != 0 ? wait_view[out] : 4;
          t[call_kind(dir, out, has_wait)] =
              static_cast<std::uint8_t>((out == 0 ? 1u : 0u) | view << 1 | (dir == 0 ? 16u : 0u) |
                                        (has_wait != 0 && view == 4 ? 32u : 0u));
        }
    return t;
  }();

  // The agent and (agent, day) pair of a call (`outbound`: 0/1): a set probe only where they change.
  [[gnu::always_inline]] counter_queue::entry *note_agent(counter_queue::entry *q, std::uint32_t outbound,
                                                          std::int32_t agent, const std::uint64_t &agent_hash,
                                                          std::int32_t local_day) {
    if (agent < 0) [[unlikely]] {
      outbound_without_agent_ += outbound;
      return q;
    }
    if (agent != last_agent_) [[unlikely]] {
      s_->agents_.insert(agent_hash);
      last_agent_ = agent;
      last_day_ = no_day;
    }
    if (opaque(outbound & flag(local_day != last_day_)) != 0) [[unlikely]] {
      s_->agent_days_.insert(call_stats::agent_day_key(agent_hash, local_day));
      last_day_ = local_day;
    }
    return q;
  }

  // The whole part of a duration in [0, 2^62): through a signed conversion, one instruction on x86-64
  // (an unsigned one needs a compare and a second conversion for values past 2^63).
  static std::uint64_t whole_of(double x) noexcept {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(x));
  }
  // A condition as 0 or 1.
  static std::uint32_t flag(bool b) noexcept { return b ? 1u : 0u; }
  // `x` in a register the compiler cannot see into: a condition combined from several comparisons is
  // then tested as one value (GCC otherwise turns `if (a & b)` into a branch on `a` and one on `b`, and
  // a branch on the direction or the outcome mispredicts about every other call).
  template <class T>
  [[gnu::always_inline]] static T opaque(T x) noexcept {
    asm("" : "+r"(x));
    return x;
  }
  // 1 when the duration `x` (with whole_of(x) = `w`) is a whole number below 2^32: the dense counters and
  // the pending whole-second sums take it.
  static std::uint32_t is_whole(double x, std::uint64_t w) noexcept {
    // (Back to double through int64_t, which w < 2^62 fits: one instruction, not a sign test and two.)
    return flag(static_cast<double>(static_cast<std::int64_t>(w)) == x) & flag(x < whole_max);
  }
  // `x` when `keep` (0/1), else +0.0: by its bits, so that the compiler does not branch on `keep`.
  static double keep_if(double x, std::uint32_t keep) noexcept {
    const std::uint64_t mask = 0 - static_cast<std::uint64_t>(opaque(keep));
    return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) & mask);
  }
  // The whole seconds of an optional duration `x` (NaN: absent) to add to a pending sum when `take`
  // (0/1), else 0. A present x that is not a whole number below 2^32 goes into `sum` itself (rarely).
  [[gnu::always_inline]] static std::uint64_t take_whole(exact_sum &sum, double x, std::uint32_t take) {
    const double v = keep_if(x, take & flag(x == x));
    const std::uint64_t w = whole_of(v);
    const std::uint32_t whole = is_whole(v, w);
    if (opaque(whole ^ 1u) != 0) [[unlikely]]
      sum.add(v);  // v is x here: 0 is whole
    return w & (0 - static_cast<std::uint64_t>(whole));
  }

  // The dense array of histogram k as it is now (its own add() may have grown it).
  void refresh(std::size_t k) noexcept {
    data_[k] = view_[k].hist->dense_.data();
    // (Clamped, though the histogram never grows it past 16384: a value past size_ takes the slow path,
    // which is right for any value.)
    size_[k] = static_cast<std::uint16_t>(std::min<std::size_t>(view_[k].hist->dense_.size(), 0xffff));
  }
  // A value the dense counters cannot take (a fraction, or beyond them): the histogram's own add(),
  // which may grow the dense array (so the queue, which may hold addresses into it, is drained first,
  // and its add() decides with every distinct key counted). Returns the queue's end.
  [[gnu::noinline]] counter_queue::entry *add_slow(counter_queue::entry *q, std::size_t k, double x) {
    queue_->drain(q);
    view_[k].sync();
    view_[k].hist->add(x);
    ++view_[k].slow;
    refresh(k);
    return queue_->begin();
  }
  // The rare talk times: a handled call's the dense counters cannot take (the histogram's own add()),
  // or an unhandled call's that is not 0 (the unhandled sum). Returns the queue's end.
  [[gnu::noinline]] counter_queue::entry *talk_slow(counter_queue::entry *q, std::uint32_t handled,
                                                    double talk) {
    if (handled != 0) return add_slow(q, 0, talk);
    add_sum(s_->talk_unhandled_, talk, talk_unhandled_);
    return q;
  }
  // talk_slow() of add_whole()'s calls, whose talk time is a whole number: a handled call's talk time
  // goes to young_ (for add_young()), an unhandled call's to talk_slow().
  [[gnu::noinline]] counter_queue::entry *talk_slow_whole(counter_queue::entry *q, std::uint32_t handled,
                                                          std::uint32_t talk) {
    if (handled == 0) return talk_slow(q, 0, talk);
    if (young_n_ == young_max) {
      queue_->drain(q);
      q = queue_->begin();
      add_young();
    }
    young_[young_n_++] = talk;
    return q;
  }
  // The talk times waiting in young_ into the histogram, by its own add(), which may grow the dense
  // array: the queue must be empty. (After an exception the engine takes no more calls: see
  // engine::impl::broken.)
  void add_young() {
    if (young_n_ == 0) return;
    dense_view &v = view_[0];
    v.sync();
    for (; young_n_ != 0; --young_n_) {
      v.hist->add(static_cast<double>(young_[young_n_ - 1]));
      ++v.slow;
    }
    refresh(0);
  }
  // The rare waits: one histogram k's dense counters cannot take, or one of an outcome without a
  // histogram (k = 4: the sum of the other outcomes' waits). Returns the queue's end.
  [[gnu::noinline]] counter_queue::entry *wait_slow(counter_queue::entry *q, std::size_t k, double wait) {
    if (k != 4) return add_slow(q, k, wait);
    add_sum(s_->wait_other_, wait, wait_other_);
    return q;
  }
  // One more value `w` in histogram k's dense counters when `dense` (0/1; else nothing is counted):
  // queued.
  [[gnu::always_inline]] counter_queue::entry *count(counter_queue::entry *q, std::size_t k,
                                                     std::uint32_t dense, std::uint64_t w) noexcept {
    const std::uint32_t d = opaque(dense);
    exact_histogram::counter *at = data_[k & 3] + (w & (0 - static_cast<std::uint64_t>(d)));
    __builtin_prefetch(at, 1);  // in cache (L2 at least) by the drain
    return counter_queue::push(q, d, at, &view_[k]);
  }
  // A value into a pending whole-second sum, or into the exact sum when it is not a whole number
  // below 2^32.
  static void add_sum(exact_sum &sum, double x, std::uint64_t &pending) {
    const std::uint64_t w = whole_of(x);
    if (is_whole(x, w) != 0) {
      pending += w;
    } else {
      sum.add(x);
    }
  }
  // A sum of whole values into an exact sum (units of 2^-32: whole * 2^32).
  static void merge_whole(exact_sum &sum, std::uint64_t whole) {
    if (whole != 0) sum.merge(exact_sum::from_raw(whole >> 32, whole << 32));
  }

  // Hot: what add() reads and writes at every call, in the first cache line, and the calls by kind
  // in the next two, of which a call writes one (see prefetch()).
  static constexpr std::int32_t no_day = INT32_MIN;  // last_day_ before the agent's first outbound call
  exact_histogram::counter *data_[4] = {};  // dense counters: talk, wait answered, abandoned, timeout
  std::uint64_t hold_ = 0, acw_ = 0;        // whole seconds of handled calls
  std::uint16_t size_[4] = {};              // the dense counters' sizes
  std::int32_t last_agent_ = -1;
  std::int32_t last_day_ = no_day;
  alignas(64) std::uint32_t kinds_[2][7][2] = {};  // calls by direction, outcome, wait known

  // Cold: read at the start and end of a batch and on rare calls.
  call_stats *s_;
  counter_queue *queue_;
  dense_view view_[5];
  std::uint64_t talk_unhandled_ = 0, wait_other_ = 0, outbound_without_agent_ = 0;
  // Talk times of handled calls that the dense counters could not take, given by add_whole() and not yet
  // in the histogram. A young cell's talk histogram has no dense counters yet (see exact_histogram), so
  // that most of its talk times come here: added one by one, each would drain the queue and miss on
  // the histogram's cold lines; added together, they miss once.
  static constexpr std::uint32_t young_max = 64;
  std::uint32_t young_n_ = 0;
  std::uint32_t young_[young_max];
};

}  // namespace kpi::detail
