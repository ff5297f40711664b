// kpi::detail::call_ingest: one cell's share of a columnar batch of calls (engine::add_calls), added
// to its call_stats a call at a time without strings, branches only where the data decides them
// rarely, and the counters and whole-second sums kept here until flush().
//
// Why not call_stats::add per call: add() takes a call_record (strings: the agent is hashed and
// compared by its bytes) and updates every counter and exact 128-bit sum of the state in place. Here
// the agent is a batch dictionary code whose hash was computed once per batch, and a call's counters
// and whole-second durations go into 64-bit fields of this object (about 500 bytes, in cache while
// the cells' states are not): a call costs a few loads and stores plus one histogram counter.
//
// The state after flush() is the state add() of each call would give, in any order (the state does not
// depend on the order of its calls). Private to the engine: a friend of call_stats and exact_histogram.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kpi/stats/calls.hpp"
#include "kpi/stats/histogram.hpp"

namespace kpi::detail {

class call_ingest {
 public:
  /// Adds to `stats`, which must outlive this object. The caller checks has_room_for() first.
  explicit call_ingest(call_stats &stats) noexcept : s_(&stats) {
    hist_[0] = &stats.talk_;
    hist_[1] = &stats.wait_answered_;
    hist_[2] = &stats.wait_abandoned_;
    hist_[3] = &stats.wait_timeout_;
    for (std::size_t k = 0; k < 4; ++k) refresh(k);
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

  /// Hints the processor to fetch what add() of a handled call with this talk time will write.
  void prefetch(double talk) const noexcept {
    const std::uint64_t w = whole_of(talk);
    __builtin_prefetch(this, 1);
    if (w < view_[0].size) __builtin_prefetch(view_[0].data + w, 1);
  }

  /// Adds one call, as call_stats::add(r, local_day) would. Preconditions (add_calls checks them as
  /// kpi::check does): `dir` <= 1 and `out` <= 6; durations finite, >= 0 and below 2^62; `wait`,
  /// `hold` and `acw` NaN when absent; a connected call has an agent. `agent` is the call's batch agent
  /// code (-1: none) and `agent_hash` its kpi::stable_id_hash. At most max_calls calls between flushes.
  ///
  /// The direction and outcome are as good as random from one call to the next, so they select
  /// addresses and masks rather than branches: a call that is not handled increments a scratch counter
  /// instead of a histogram's, and adds 0 to the handled sums. The branches left are taken rarely
  /// (a value outside a histogram's dense array, a fraction of a second, a talk time on a call nobody
  /// answered, a new agent or day). Counts that follow from others are not kept per call: one counter
  /// per (direction, outcome, wait known) gives the state's counts by kind, inbound calls with a wait,
  /// outbound calls with an agent (with the few without one), and how many values the dense arrays took.
  [[gnu::always_inline]] void add(std::uint32_t dir, std::uint32_t out, double talk, double wait, double hold,
                                  double acw, std::int32_t agent, std::uint64_t agent_hash,
                                  std::int32_t local_day) {
    const bool has_wait = (dir == 1) & (wait == wait);
    ++kinds_[dir][out][has_wait ? 1 : 0];
    const bool handled = out == 0;
    const std::uint64_t handled_mask = handled ? ~std::uint64_t{0} : 0;

    // Talk: handled calls into the histogram; the others' (nearly always 0) into the unhandled sum.
    const std::uint64_t talk_w = whole_of(talk);
    const bool talk_simple = (static_cast<double>(talk_w) == talk) & (talk < whole_max);
    const bool talk_dense = handled & talk_simple & (talk_w < view_[0].size);
    if (handled & !talk_dense) [[unlikely]]
      add_slow(0, talk);
    if (!handled & (talk != 0.0)) [[unlikely]]
      add_sum(s_->talk_unhandled_, talk, talk_unhandled_);
    count(0, talk_dense, talk_w);

    // Hold and after-call work of handled calls (absent: 0).
    add_masked(s_->hold_handled_, hold == hold ? hold : 0.0, handled_mask, hold_);
    add_masked(s_->acw_handled_, acw == acw ? acw : 0.0, handled_mask, acw_);

    // Wait of inbound calls: the histogram of the outcome, or (rarely) the sum of the other outcomes.
    const double wv = has_wait ? wait : 0.0;
    const std::uint64_t wait_w = whole_of(wv);
    const bool wait_simple = (static_cast<double>(wait_w) == wv) & (wv < whole_max);
    const std::size_t k = wait_view[out];  // 4: no histogram
    const bool to_hist = has_wait & (k != 4);
    const bool wait_dense = to_hist & wait_simple & (wait_w < view_[k].size);
    if (to_hist & !wait_dense) [[unlikely]]
      add_slow(k, wv);
    if (has_wait & (k == 4)) [[unlikely]]
      add_sum(s_->wait_other_, wv, wait_other_);
    count(k, wait_dense, wait_w);

    // Agents and (agent, day) pairs of outbound calls: a set probe only where they change.
    const bool outbound = dir == 0;
    if (agent < 0) [[unlikely]] {
      outbound_without_agent_ += outbound ? 1u : 0u;
      return;
    }
    if (agent != last_agent_) [[unlikely]] {
      s_->agents_.insert(agent_hash);
      last_agent_ = agent;
      have_day_ = false;
    }
    if (outbound & (!have_day_ | (local_day != last_day_))) [[unlikely]] {
      s_->agent_days_.insert(call_stats::agent_day_key(agent_hash, local_day));
      last_day_ = local_day;
      have_day_ = true;
    }
  }

  /// Folds the pending counters and sums into the state (then this object starts afresh; the agent
  /// and day caches stay valid). Cannot throw after has_room_for() of the calls added.
  void flush() {
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
      sync(v);
      hist_[v]->count_ += population[v] - view_[v].slow;
    }
    merge_whole(s.hold_handled_, hold_);
    merge_whole(s.acw_handled_, acw_);
    merge_whole(s.talk_unhandled_, talk_unhandled_);
    merge_whole(s.wait_other_, wait_other_);
    // add()'s agent cache is keyed by the agent's string, which this object does not have.
    s.have_last_agent_ = false;
    s.have_last_agent_day_ = false;
    std::fill(&kinds_[0][0][0], &kinds_[0][0][0] + 28, std::uint64_t{0});
    for (dense_view &v : view_) v.slow = 0;
    outbound_without_agent_ = hold_ = acw_ = talk_unhandled_ = wait_other_ = 0;
  }

  /// The most calls add() takes between two flushes (its whole-second sums stay below 2^64).
  static constexpr std::uint64_t max_calls = std::uint64_t{1} << 31;

 private:
  static constexpr double whole_max = 4294967296.0;  // 2^32: larger whole values go to the state directly
  // The view of the wait histogram of each outcome: 1 answered, 2 abandoned, 3 timeout, 4 none (the
  // other outcomes' waits are summed in wait_other_).
  static constexpr std::size_t wait_view[7] = {1, 4, 4, 4, 4, 2, 3};

  // The whole part of a duration in [0, 2^62): through a signed conversion, one instruction on x86-64
  // (an unsigned one needs a compare and a second conversion for values past 2^63).
  static std::uint64_t whole_of(double x) noexcept {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(x));
  }

  // A histogram's dense counters, read once instead of through the call_stats at every call.
  struct dense_view {
    exact_histogram::counter *data = nullptr;
    std::uint64_t size = 0;
    std::uint64_t new_keys = 0;  // counters that went from 0 to 1, not yet in its distinct keys
    std::uint64_t slow = 0;      // values given to the histogram's own add() (it counted them)
  };

  void refresh(std::size_t k) noexcept {
    view_[k].data = hist_[k]->dense_.data();
    view_[k].size = hist_[k]->dense_.size();
  }
  // The pending distinct keys of view k into its histogram (whose add() decides with them).
  void sync(std::size_t k) noexcept {
    hist_[k]->distinct_ += view_[k].new_keys;
    view_[k].new_keys = 0;
  }
  // A value the dense counters cannot take (a fraction, or beyond them): the histogram's own add(),
  // which may grow the dense array.
  [[gnu::noinline]] void add_slow(std::size_t k, double x) {
    sync(k);
    hist_[k]->add(x);
    ++view_[k].slow;
    refresh(k);
  }
  // One more value `w` in view k's dense counters when `dense` (else a scratch counter is incremented
  // and nothing else changes).
  [[gnu::always_inline]] void count(std::size_t k, bool dense, std::uint64_t w) {
    dense_view &v = view_[k];
    exact_histogram::counter *const slot = dense ? v.data + w : &scratch_;
    const auto c = static_cast<exact_histogram::counter>(*slot + 1);
    *slot = c;
    v.new_keys += (dense & (c == 1)) ? 1u : 0u;
    if (dense & (c == exact_histogram::dense_full)) [[unlikely]] {
      sync(k);
      hist_[k]->spill(static_cast<std::size_t>(w));
    }
  }
  // A value into a pending whole-second sum, or into the exact sum when it is not a whole number
  // below 2^32.
  [[gnu::noinline]] static void add_sum(exact_sum &sum, double x, std::uint64_t &pending) {
    const std::uint64_t w = whole_of(x);
    if ((static_cast<double>(w) == x) & (x < whole_max)) {
      pending += w;
    } else {
      sum.add(x);
    }
  }
  // Like add_sum, under `mask` (all ones: add; zero: add nothing), without a branch on the mask.
  static void add_masked(exact_sum &sum, double x, std::uint64_t mask, std::uint64_t &pending) {
    const std::uint64_t w = whole_of(x);
    const bool simple = (static_cast<double>(w) == x) & (x < whole_max);
    if (!simple & (mask != 0)) [[unlikely]]
      sum.add(x);
    pending += simple ? (w & mask) : 0;
  }
  // A sum of whole values into an exact sum (units of 2^-32: whole * 2^32).
  static void merge_whole(exact_sum &sum, std::uint64_t whole) {
    if (whole != 0) sum.merge(exact_sum::from_raw(whole >> 32, whole << 32));
  }

  call_stats *s_;
  exact_histogram *hist_[4] = {};      // talk, wait answered, abandoned, timeout
  dense_view view_[5];                 // theirs, and view 4: none (size 0)
  std::uint64_t kinds_[2][7][2] = {};  // calls by direction, outcome, wait known
  std::uint64_t hold_ = 0, acw_ = 0;   // whole seconds of handled calls
  std::uint64_t talk_unhandled_ = 0, wait_other_ = 0, outbound_without_agent_ = 0;  // rare
  exact_histogram::counter scratch_ = 0;  // the counter of calls that count in no histogram
  std::int32_t last_agent_ = -1;
  std::int32_t last_day_ = 0;
  bool have_day_ = false;
};

}  // namespace kpi::detail
