/// @file
/// @brief kpi::caller_tracker: the opt-in, cross-window structure that decides the caller-identity
/// KPIs (repeat_call_rate, fcr_rate, abandon_callback_rate) exactly.
///
/// Whether a call is "repeated" depends on the caller's calls up to N days AFTER it, possibly in a
/// later window, so add() cannot decide it. The tracker remembers, per caller, the calls whose
/// look-ahead horizon is still open, and hands out a kpi::caller_outcome for each once it is final;
/// the caller of the tracker gives every outcome to the call_stats of the window (slot) it names,
/// with call_stats::add_caller_outcome().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kpi/catalog.hpp"
#include "kpi/records.hpp"
#include "kpi/stats/calls.hpp"
#include "kpi/time.hpp"

namespace kpi {

/// The tracker parameters of `p`: repeat_call_window_days, callback_window_hours,
/// timeouts_as_abandons.
caller_tracking tracking_of(const kpi_params &p) noexcept;

/// Decides, per call with a `caller`, the repeat and callback outcomes of the contract:
///
/// - **contact** (every inbound call with a non-empty `caller`): `flag` = the same caller has another
///   inbound call starting in (start, start + N days], N = repeat_call_window_days. In a window, a caller
///   is a repeat caller when at least one of their calls there has the flag (call_stats unites them).
/// - **abandon** (every inbound call with outcome abandoned — or timeout when timeouts_as_abandons —
///   and a `caller`): `flag` = an outbound call to the same `caller` starts in (start, start + H hours],
///   H = callback_window_hours. Measured from the abandoned call's start (its queue entry).
///
/// Calls at the same instant are never each other's repeat or callback (the intervals are open on the
/// left), so the same call may be added once per slot, e.g. once for each grouping it belongs to.
/// Calls without a caller are ignored.
///
/// **When outcomes are final.** finalize_before(U) is the caller's promise that every call starting
/// before U has been added. Then a contact that started at t is final when t + N < U, an abandon when
/// t + H < U; finalize_before() returns those outcomes, and add() afterwards rejects calls that start
/// before U (they could change outcomes already handed out). So for input in start order, call
/// finalize_before(start of the next call) now and then (e.g. at each period boundary): a window's
/// caller KPIs are final once the tracker has been finalized past the window's end + max(N, H). For
/// input in no particular order, add everything and call finish().
///
/// **Memory** is per caller with calls inside the open horizon: about 100 bytes per such caller plus
/// 24 bytes per call whose outcome is pending (or, for outbound calls, that a later abandon could still
/// need); finalized calls are dropped. Not thread-safe; copyable.
class caller_tracker {
 public:
  /// A tracker deciding with `t`.
  /// @throws kpi::error errc::invalid_argument when a window is not a finite number > 0.
  explicit caller_tracker(const caller_tracking &t);

  /// The parameters.
  [[nodiscard]] const caller_tracking &tracking() const noexcept { return tracking_; }

  /// Observes call `r`, whose window state the caller knows as `slot` (any 64-bit value).
  /// @throws kpi::error errc::invalid_argument when r.start is before a time already finalized.
  void add(const call_record &r, std::uint64_t slot);

  /// Appends to `out` every outcome that is final given that all calls starting before `until` have
  /// been added, and from then on rejects such calls. A smaller `until` than a previous one does
  /// nothing.
  void finalize_before(timestamp until, std::vector<caller_outcome> &out);

  /// Appends every pending outcome (no further call exists) and empties the tracker.
  void finish(std::vector<caller_outcome> &out);

  /// Number of calls whose outcome (contact or abandon) is still pending.
  [[nodiscard]] std::size_t pending() const noexcept { return pending_; }
  /// Number of callers with calls held.
  [[nodiscard]] std::size_t callers_held() const noexcept { return callers_.size(); }

  /// Appends the binary form of the held calls and the finalization watermark (little-endian,
  /// versioned: u8 tag 'T', u8 version 1; see src/stats/callers.cpp), with each call's slot written as
  /// `slot_map(slot)` (e.g. a renumbering of cells). Callers are written in hash order, so equal
  /// trackers give equal bytes. The tracking parameters are not written (the owner stores them).
  template <class SlotMap>
  void save(std::string &out, SlotMap &&slot_map) const {
    save_impl(out, [&](std::uint64_t s) -> std::uint64_t { return slot_map(s); });
  }
  /// Reads a tracker written by save() from the front of `in`, deciding with `t`, and advances `in`
  /// past it. Every slot must be below `slot_limit`. Validates lengths, order and flags, and allocates
  /// only in proportion to the bytes present.
  /// @throws kpi::error errc::corrupt on truncated or inconsistent input; errc::invalid_argument for
  /// bad parameters `t` (as the constructor).
  static caller_tracker load(std::string_view &in, const caller_tracking &t, std::uint64_t slot_limit);

  /// Same parameters, watermark and held calls with the same flags and slots.
  friend bool operator==(const caller_tracker &a, const caller_tracker &b);

 private:
  struct event {
    std::int64_t t_ms;
    std::uint64_t slot;
    bool inbound;
    bool contact_pending;  // inbound: contact outcome not handed out yet
    bool abandon_pending;  // inbound abandon: abandon outcome not handed out yet
    bool is_abandon;
    bool repeated;
    bool called_back;
  };
  void drain(std::int64_t until_ms, bool all, std::vector<caller_outcome> &out);
  void save_impl(std::string &out, const std::function<std::uint64_t(std::uint64_t)> &slot_map) const;

  caller_tracking tracking_;
  std::int64_t repeat_ms_;
  std::int64_t callback_ms_;
  std::int64_t finalized_until_ms_;
  std::size_t pending_ = 0;
  std::unordered_map<std::uint64_t, std::vector<event>> callers_;  // by caller hash; sorted by t_ms
};

}  // namespace kpi
