// Internal: the state behind kpi::engine (pimpl), shared by the engine's translation units
// (engine.cpp: ingest; merge.cpp; query.cpp; serialize.cpp). Not installed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/call_ingest.hpp"
#include "kpi/engine.hpp"
#include "kpi/error.hpp"
#include "kpi/state.hpp"
#include "kpi/stats/callers.hpp"
#include "kpi/stats/id_set.hpp"
#include "kpi/stats/rare.hpp"

namespace date {
class time_zone;
}

namespace kpi::detail {

/// Number of dimensions of the contract (kpi::dimension 0..5).
inline constexpr std::size_t k_dimensions = 6;

/// A fast 64-bit hash of a short string (ids: "agent-1042", "team-7"): 8 bytes per step, two
/// overlapping loads for 8-16 bytes. Hand-written because std::hash<std::string_view> (libstdc++'s
/// murmur-style _Hash_bytes, out of line) and kpi::stable_id_hash (FNV-1a, a multiply per byte) cost
/// several times more on the per-record ingest path; it need not be stable across runs or platforms
/// (nothing hashed with it is saved).
inline std::uint64_t string_hash(std::string_view s) noexcept {
  auto load = [](const char *p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto mix = [](std::uint64_t x) {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    return x;
  };
  const std::size_t n = s.size();
  const char *p = s.data();
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
  if (n >= 8) {
    for (; n - static_cast<std::size_t>(p - s.data()) > 8; p += 8) h = mix(h ^ load(p));
    h = mix(h ^ load(s.data() + n - 8));  // the last 8 bytes (overlapping what came before)
  } else {
    // The n bytes as a little-endian word, without a variable-length memcpy (a libc call): for 4-7
    // bytes two overlapping 4-byte loads (the overlapping bytes are equal, so | joins them).
    std::uint64_t w = 0;
    if (n >= 4) {
      std::uint32_t a = 0, b = 0;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = a | (static_cast<std::uint64_t>(b) << (8 * (n - 4)));
    } else {
      for (std::size_t i = 0; i < n; ++i)
        w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    h = mix(h ^ w);
  }
  return mix(h);
}

/// Interns the strings of one dimension: code 0 is always "" (a record without that field).
/// Hand-written because the codes must be dense, stable and cheap to remap on merge, and the lookup sits
/// on the per-record ingest path: an open-addressing table of 16-byte slots, at most half full. A slot
/// holds the code and, for strings of up to 11 bytes (agent, team, queue and campaign ids usually are),
/// the string itself, so a lookup reads one slot and no other memory; longer strings keep a 32-bit hash
/// tag in the slot and are compared with the interned copy.
class dictionary {
 public:
  dictionary() { strings_.emplace_back(); }

  /// The code of `s`, adding it when new.
  std::int32_t intern(std::string_view s) {
    if (s.empty()) return 0;
    const auto [h, probe] = hash_and_key(s);
    if (const std::int32_t c = lookup(s, h, probe); c >= 0) return c;
    const auto code = static_cast<std::int32_t>(strings_.size());
    strings_.emplace_back(s);
    if (2 * strings_.size() > slots_.size()) {
      grow();  // places every string, this one too
    } else {
      place(h, probe, code);
    }
    return code;
  }
  /// The code of `s`, or -1 when it was never interned.
  [[nodiscard]] std::int32_t find(std::string_view s) const {
    if (s.empty()) return 0;
    const auto [h, probe] = hash_and_key(s);
    return lookup(s, h, probe);
  }
  [[nodiscard]] const std::string &at(std::int32_t code) const {
    return strings_[static_cast<std::size_t>(code)];
  }
  [[nodiscard]] std::size_t size() const noexcept { return strings_.size(); }

  /// A hash of a short key (see short_key): its two words mixed by two multiplies. Tables index by its
  /// top bits, which a multiply by an odd constant mixes from every bit below.
  static std::uint64_t short_hash(std::uint64_t lo, std::uint32_t hi) noexcept {
    return (lo ^ (std::uint64_t{hi} * 0xd6e8feb86659fd93ull)) * 0x9E3779B97F4A7C15ull;
  }
  /// The 12 bytes that stand for a string of at most 11 bytes in the table (see `key`): false, and
  /// nothing written, for a longer one. Equal keys, equal strings.
  static bool short_key(std::string_view s, std::uint64_t &lo, std::uint32_t &hi) noexcept {
    if (s.size() > inline_max) return false;
    const key k = key_of(s, 0);
    lo = k.lo;
    hi = k.hi;
    return true;
  }

 private:
  static constexpr std::size_t inline_max = 11;
  static constexpr std::uint64_t long_key = 0xff;  // low byte of `lo` for a string that is not inline
  // A string as 12 bytes, built in registers (no byte stores a wider load would have to wait for):
  // `lo` = its length in the low byte, then its bytes 0-6; `hi` = its bytes 7-10; zero-padded. A
  // string longer than 11 bytes: long_key, then the hash's low 32 bits.
  struct key {
    std::uint64_t lo = 0;
    std::uint32_t hi = 0;
  };
  struct slot {
    std::uint64_t lo = 0;
    std::uint32_t hi = 0;
    std::uint32_t code = 0;  // 0: empty (code 0, "", is never in the table)
  };
  static key key_of(std::string_view s, std::uint64_t h) noexcept {
    const std::size_t n = s.size();
    const char *p = s.data();
    if (n > inline_max)
      return {long_key | (static_cast<std::uint64_t>(static_cast<std::uint32_t>(h)) << 8), 0};
    std::uint64_t w0 = 0, w1 = 0;  // bytes 0-7 and 8-10
    if (n >= 8) {
      std::memcpy(&w0, p, 8);
      if (n > 8) {
        std::memcpy(&w1, p + n - 8, 8);
        w1 >>= 8 * (16 - n);  // bytes n-8..n-1 hold bytes 8..n-1 at their top
      }
    } else if (n >= 4) {
      std::uint32_t a = 0, b = 0;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w0 = a | (static_cast<std::uint64_t>(b) << (8 * (n - 4)));  // overlapping bytes are equal
    } else {
      for (std::size_t i = 0; i < n; ++i)
        w0 |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    return {n | (w0 << 8), static_cast<std::uint32_t>((w0 >> 56) | (w1 << 8))};
  }
  // The hash and the key of `s` (not empty). A string of at most inline_max bytes is its own key, and
  // the key is hashed (short_hash) instead of the bytes; a longer one goes through string_hash and its
  // key holds part of the hash.
  static std::pair<std::uint64_t, key> hash_and_key(std::string_view s) noexcept {
    if (s.size() <= inline_max) {
      const key k = key_of(s, 0);
      return {short_hash(k.lo, k.hi), k};
    }
    const std::uint64_t h = string_hash(s);
    return {h, key_of(s, h)};
  }
  std::int32_t lookup(std::string_view s, std::uint64_t h, const key &k) const {
    if (slots_.empty()) return -1;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h >> shift_);; i = (i + 1) & mask) {
      const slot &e = slots_[i];
      if (e.code == 0) return -1;
      if (e.lo == k.lo && e.hi == k.hi && ((k.lo & 0xff) != long_key || strings_[e.code] == s))
        return static_cast<std::int32_t>(e.code);
    }
  }
  void place(std::uint64_t h, const key &k, std::int32_t code) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h >> shift_);; i = (i + 1) & mask) {
      if (slots_[i].code == 0) {
        slots_[i] = {k.lo, k.hi, static_cast<std::uint32_t>(code)};
        return;
      }
    }
  }
  void grow() {
    const std::size_t n = slots_.empty() ? 64 : slots_.size() * 2;
    slots_.assign(n, slot{});
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(n));
    for (std::size_t c = 1; c < strings_.size(); ++c) {
      const auto [h, k] = hash_and_key(strings_[c]);
      place(h, k, static_cast<std::int32_t>(c));
    }
  }
  std::vector<std::string> strings_;
  std::vector<slot> slots_;
  unsigned shift_ = 64;
};

/// A record's group from its group-by values, without interning them one by one
/// (engine::impl::group_for_fields): with at most two dimensions whose values have at most 11 bytes
/// each, the values' short keys (dictionary::short_key) side by side are the key of one hash table,
/// looked up with one hash and usually one probe. Open addressing with linear probing over a
/// power-of-two table of 32-byte slots, at most half full. Groups are only ever added, so an entry
/// never goes stale. Hand-written for the same reason as cell_index.
class group_cache {
 public:
  static constexpr std::size_t max_dims = 2;
  static constexpr std::uint32_t none = 0xffffffff;
  /// The short keys of the values, by group-by dimension (unused: zero).
  struct key {
    std::uint64_t lo[max_dims] = {};
    std::uint32_t hi[max_dims] = {};
    friend bool operator==(const key &, const key &) noexcept = default;
  };

  /// The group of `k`, or none.
  [[nodiscard]] std::uint32_t find(const key &k) const noexcept {
    if (slots_.empty()) return none;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = index(k);; i = (i + 1) & mask) {
      const slot &e = slots_[i];
      if (e.group == none || e.k == k) return e.group;
    }
  }
  /// Adds `k` (not present) as `group`. @throws std::bad_alloc.
  void insert(const key &k, std::uint32_t group) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(k, group);
    ++size_;
  }

 private:
  struct slot {
    key k;
    std::uint32_t group = none;
  };
  [[nodiscard]] std::size_t index(const key &k) const noexcept {
    // Each short key hashed as the dictionary does, the two combined (the second rotated, so that equal
    // values in both dimensions do not cancel), and a last multiply whose top bits index the table.
    const std::uint64_t a = dictionary::short_hash(k.lo[0], k.hi[0]);
    const std::uint64_t b = dictionary::short_hash(k.lo[1], k.hi[1]);
    return static_cast<std::size_t>(((a ^ (b >> 7) ^ (b << 57)) * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void place(const key &k, std::uint32_t group) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = index(k);
    while (slots_[i].group != none) i = (i + 1) & mask;
    slots_[i] = {k, group};
  }
  void grow() {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, slot{});
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(slots_.size()));
    for (const slot &e : old)
      if (e.group != none) place(e.k, e.group);
  }
  std::vector<slot> slots_;
  std::size_t size_ = 0;
  unsigned shift_ = 64;
};

/// The dictionary codes of a group, one per dimension of engine_options::group_by (unused slots 0).
using group_codes = std::array<std::int32_t, k_dimensions>;

struct group_codes_hash {
  std::size_t operator()(const group_codes &g) const noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::int32_t c : g) {
      h ^= static_cast<std::uint32_t>(c);
      h *= 0xff51afd7ed558ccdull;
      h ^= h >> 32;
    }
    return static_cast<std::size_t>(h);
  }
};

/// Adds `from` into `into` in place (group_state::merge_in_place: a money family meeting a second
/// currency is left as it was and marked in mixed_currency_families). Unlike group_state::merge (copy
/// and swap) nothing is copied: queries discard their windows on failure, and engine merges check
/// currencies first; otherwise a report over many small cells, or an engine merge, would copy every
/// state it grows.
inline void add_state(group_state &into, const group_state &from) {
  into.merge_in_place(from);
}

/// A cell's group_state on the heap: copied deeply, moved as a pointer. A merge of one engine per
/// thread then hands the other engine's cells over without writing 1.7 KB of fresh memory per cell
/// (the page faults of that memory were most of such a merge), and growing the table of cells moves
/// pointers. Never empty, except after being moved from (the engine then discards it).
class boxed_state {
 public:
  boxed_state() : p_(std::make_unique<group_state>()) {}
  boxed_state(const boxed_state &o) : p_(std::make_unique<group_state>(*o.p_)) {}
  boxed_state(boxed_state &&) noexcept = default;
  boxed_state &operator=(const boxed_state &o) {
    *p_ = *o.p_;
    return *this;
  }
  boxed_state &operator=(boxed_state &&) noexcept = default;
  boxed_state &operator=(group_state &&s) {
    *p_ = std::move(s);
    return *this;
  }
  ~boxed_state() = default;

  /// False only after being moved from.
  [[nodiscard]] bool holds_state() const noexcept { return p_ != nullptr; }

  group_state *operator->() noexcept { return p_.get(); }
  const group_state *operator->() const noexcept { return p_.get(); }
  operator group_state &() noexcept { return *p_; }              // NOLINT: a box stands for its state
  operator const group_state &() const noexcept { return *p_; }  // NOLINT

 private:
  std::unique_ptr<group_state> p_;
};

/// Where a row of engine::add_calls goes: its cell's slot in the batch and its local day.
struct row_cell {
  std::uint32_t slot;
  std::int32_t day;
};

/// One (group, period) cell.
struct cell {
  std::uint32_t group = 0;     // index into impl::groups
  std::int32_t start_day = 0;  // the period's first local day (kind = options.period)
  boxed_state state;
  // The state's talk counters as the last per-record add left them (call_ingest::talk_counters): a
  // hint only, for prefetching a call's counter while the state itself is fetched (a stale one costs
  // a useless prefetch, never a wrong count).
  const void *talk_hint = nullptr;
};

/// Maps (group, period start day) to a cell index: open addressing with linear probing over a
/// power-of-two table of 16-byte slots, at most half full. Hand-written because Boost 1.74 has no flat
/// hash map and std::unordered_map costs a pointer chase per lookup on the ingest hot path.
class cell_index {
 public:
  static std::uint64_t key(std::uint32_t group, std::int32_t start_day) noexcept {
    return (static_cast<std::uint64_t>(group) << 32) | static_cast<std::uint32_t>(start_day);
  }
  /// The cell index of `k`, or UINT32_MAX.
  [[nodiscard]] std::uint32_t find(std::uint64_t k) const noexcept {
    if (slots_.empty()) return none;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot_of(k);; i = (i + 1) & mask) {
      const slot &s = slots_[i];
      if (s.value == none) return none;
      if (s.key == k) return s.value;
    }
  }
  /// Inserts `k` -> `v` (k must be absent).
  void insert(std::uint64_t k, std::uint32_t v) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    place(k, v);
    ++used_;
  }
  void clear() noexcept {
    slots_.clear();
    used_ = 0;
    shift_ = 64;
  }
  static constexpr std::uint32_t none = 0xffffffffu;

 private:
  struct slot {
    std::uint64_t key = 0;
    std::uint32_t value = none;
  };
  std::size_t slot_of(std::uint64_t k) const noexcept {
    return static_cast<std::size_t>(((k ^ (k >> 29)) * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void place(std::uint64_t k, std::uint32_t v) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot_of(k);; i = (i + 1) & mask) {
      if (slots_[i].value == none) {
        slots_[i] = {k, v};
        return;
      }
    }
  }
  void grow() {
    std::vector<slot> old = std::move(slots_);
    const std::size_t n = old.empty() ? 64 : old.size() * 2;
    slots_.assign(n, slot{});
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(n));
    for (const slot &s : old)
      if (s.value != none) place(s.key, s.value);
  }
  std::vector<slot> slots_;
  std::size_t used_ = 0;
  unsigned shift_ = 64;
};

/// Local days and period starts for the ingest hot path: caches the zone's current UTC offset and the
/// instants where it stops applying, so that a timestamp costs two compares and a division while the
/// offset does not change (the tz lookup runs again only across a transition), plus a small
/// direct-mapped cache of day -> period start for months, quarters and years.
class day_mapper {
 public:
  day_mapper(period_kind kind, const time_zone &zone);
  /// The local day of `ms` (UTC milliseconds).
  std::int32_t local_day(std::int64_t ms) {
    if (ms < begin_ || ms >= end_) refill(ms);
    const std::int64_t local = ms + offset_ms_;
    return static_cast<std::int32_t>(local >= 0 ? local / 86'400'000 : -((-local - 1) / 86'400'000) - 1);
  }
  /// The UTC milliseconds [first, last) where local_day() gives `day` at the offset it used last: right
  /// after local_day() gave `day`, a timestamp in this range is in that day without a refill.
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> same_day(std::int32_t day) const noexcept {
    const std::int64_t first = static_cast<std::int64_t>(day) * 86'400'000 - offset_ms_;
    return {std::max(first, begin_), std::min(first + 86'400'000, end_)};
  }
  /// The start day of the period containing local day `day`.
  std::int32_t period_start(std::int32_t day) {
    switch (kind_) {
      case period_kind::none:
        return 0;
      case period_kind::day:
        return day;
      case period_kind::week: {
        const std::int64_t a = static_cast<std::int64_t>(day) + 3;  // 1970-01-01 was a Thursday
        const std::int64_t m = ((a % 7) + 7) % 7;                   // 0 = Monday
        return static_cast<std::int32_t>(day - m);
      }
      default: {
        auto &e = cache_[static_cast<std::uint32_t>(day) & (cache_.size() - 1)];
        if (e.day != day || !e.valid) e = {day, period_of_day(day, kind_).start_day, true};
        return e.start;
      }
    }
  }

 private:
  void refill(std::int64_t ms);
  period_kind kind_;
  const date::time_zone *tz_ = nullptr;  // null: UTC
  std::int64_t begin_ = 0, end_ = -1, offset_ms_ = 0;
  struct entry {
    std::int32_t day = 0, start = 0;
    bool valid = false;
  };
  std::array<entry, 256> cache_{};
};

/// The engine's first-order map (new_customers): customer hash -> the earliest order (time, cell).
/// kpi::first_order_tracker offers the same decision but no iteration over its entries, which a merge
/// (remapping the other engine's cells) and a canonical save need; so the engine keeps its own map and
/// calls order_stats::note_tracked_order / retract_new_customer itself.
struct first_order {
  std::int64_t time_ms = 0;
  std::uint32_t cell = 0;
};

}  // namespace kpi::detail

namespace kpi {

struct engine::impl {
  explicit impl(engine_options o);

  engine_options opt;
  std::size_t ndims = 0;
  std::array<detail::dictionary, detail::k_dimensions> dicts;  // by position in opt.group_by
  std::vector<detail::group_codes> groups;                     // group index -> codes
  std::unordered_map<detail::group_codes, std::uint32_t, detail::group_codes_hash> group_of;
  detail::cell_index packed_groups;   // the same map for codes that pack into 64 bits (group_for)
  detail::group_cache recent_groups;  // group-by values to group, in front of both (group_for_fields)
  // The cells, 24 bytes each. Growing the vector moves the entries, not the states they point to:
  // hold a group_state & (or a call_ingest) across an add_cell, never a detail::cell &.
  std::vector<detail::cell> cells;
  detail::cell_index index;
  id_set seen;  // de-duplication: hashes of accepted record ids
  std::unordered_map<std::uint64_t, detail::first_order> first_orders;
  ingest_counts counts;
  // Caller tracking (opt-in): the tracker, the newest call start seen, the instant up to which outcomes
  // were finalized (calls before it are no longer tracked).
  std::optional<caller_tracker> tracker;
  std::int64_t newest_call_ms = INT64_MIN;
  std::int64_t finalized_ms = INT64_MIN;
  // Anchor instants of the accepted records (extent()).
  std::int64_t min_anchor_ms = INT64_MAX;
  std::int64_t max_anchor_ms = INT64_MIN;
  std::int32_t latest_start = 0;  // latest period start seen (late detection)
  bool have_latest = false;
  detail::day_mapper days;
  // Per group: the period start and cell of its latest record (ingest rows come mostly in time order,
  // so this answers most cell lookups with one compare). Cells are only ever appended, so an entry
  // never goes stale.
  std::vector<std::pair<std::int32_t, std::uint32_t>> group_cell;
  // Scratch of add_calls (kept to reuse their capacity; not state).
  std::vector<std::uint32_t> scratch_slot, scratch_touched, scratch_memo;
  std::vector<std::uint8_t> scratch_ok, scratch_named, scratch_room;
  std::vector<std::uint64_t> scratch_agent_hash;
  std::vector<detail::row_cell> scratch_row_cell;
  std::vector<std::uint32_t> scratch_columns;  // add_calls' add_columns: a range of 5 columns
  std::vector<double> scratch_nan;             // NaN: an absent optional duration column
  std::vector<std::int32_t> scratch_no_code;   // -1: an absent agent column
  std::vector<detail::call_ingest> scratch_ingest;
  // The histogram increments of add_calls' pass 2 (16 KB, made by the first add_calls; empty between
  // batches).
  detail::rare<detail::counter_queue> scratch_queue;
  // An ingest or a merge ran out of memory (std::bad_alloc) part way: the state may hold part of a
  // record or of a cell, so the engine refuses every later ingest, merge and query (check_whole()).
  bool broken = false;

  // ---- helpers (engine.cpp) ----
  /// @throws kpi::error errc::no_memory when `broken`.
  void check_whole() const;
  /// Marks the engine broken and rethrows the exception being handled: from the std::bad_alloc handler
  /// of an ingest or a merge.
  [[noreturn]] void fail_stop();
  /// The group index of `codes`, adding the group when new.
  std::uint32_t group_for(const detail::group_codes &codes);
  /// The cell of (group, start_day), adding it when new.
  std::uint32_t cell_for(std::uint32_t group, std::int32_t start_day);
  /// Adds the cell of (group, start_day), which must be new, holding `state`; returns its index.
  std::uint32_t add_cell(std::uint32_t group, std::int32_t start_day, detail::boxed_state &&state);
  /// The cell of (group, start_day) through group_cell, adding it when new.
  std::uint32_t cell_of_group(std::uint32_t group, std::int32_t start_day);
  /// Interns the value of each group-by dimension given the record's fields (by dimension number).
  detail::group_codes codes_of(const std::array<std::string_view, detail::k_dimensions> &fields);
  /// group_for(codes_of(fields)), through recent_groups where the values fit its keys.
  std::uint32_t group_for_fields(const std::array<std::string_view, detail::k_dimensions> &fields);
  /// Counts a rejected record with its reason.
  void reject(std::string reason);
  /// Marks an accepted record's period for late detection.
  void note_period(std::int32_t start_day) {
    if (!have_latest || start_day > latest_start) {
      latest_start = start_day;
      have_latest = true;
    } else if (start_day < latest_start) {
      ++counts.late;
    }
  }
  /// The money `m` in the engine's currency rules: XXX -> default currency, then converted by the rates.
  money normalize(money m) const;
  /// A strict order on cells independent of insertion order: (start_day, group values).
  bool cell_less(std::uint32_t a, std::uint32_t b) const;
  /// Applies a first order of customer `h` at (t, c) to the tracked counts; `counted` says whether the
  /// cell's order_stats already counted it as new (a merge) or must be told (ingest).
  void observe_first_order(std::uint64_t h, std::int64_t t, std::uint32_t c, bool from_merge);
  /// Widens the extent by an accepted record's anchor.
  void note_anchor(std::int64_t ms) noexcept {
    if (ms < min_anchor_ms) min_anchor_ms = ms;
    if (ms > max_anchor_ms) max_anchor_ms = ms;
  }
  /// Gives a call to the caller tracker (when tracking) and finalizes what the watermark allows.
  void track_call(const call_record &r, std::int64_t ms, std::uint32_t cell);
  /// Hands final caller outcomes to their cells.
  void apply_outcomes(const std::vector<caller_outcome> &out);
  /// The window of the engine period starting at `start_day`.
  window window_of_start(std::int32_t start_day) const;
};

}  // namespace kpi
