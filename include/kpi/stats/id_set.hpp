/// @file
/// @brief kpi::id_set: an exact, mergeable, serializable set of 64-bit identity hashes (agents, callers,
/// (agent, day) pairs), in a flat open-addressing table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kpi {

/// A set of 64-bit hashes (e.g. kpi::stable_id_hash of agent or caller ids), exact and mergeable: the
/// union of the sets of the parts of a stream equals the set of the whole stream.
///
/// Storage: up to two elements inline, without allocating (the one agent of a per-agent window, the one
/// (agent, day) pair of an agent's day); past that a flat power-of-two table of 8-byte slots with linear
/// probing, at most half full, so 16 to 32 bytes per element. The value 0 is kept aside. insert() and
/// contains() are O(1) expected; iteration order is unspecified (save() sorts). Serialized: a varint
/// count and the sorted values as varint deltas (about 8 - log2(n)/7 bytes each).
///
/// Not thread-safe for concurrent writes; const members may be called from many threads. Copyable.
class id_set {
 public:
  /// Adds `h`; returns true when it was not there yet.
  bool insert(std::uint64_t h) {
    if (h == 0) {
      const bool added = !has_zero_;
      has_zero_ = true;
      return added;
    }
    if (slots_.empty()) {
      if (few_[0] == h || few_[1] == h) return false;
      if (used_ < inline_max) {
        few_[used_++] = h;
        return true;
      }
    }
    if (2 * (used_ + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot_of(h);; i = (i + 1) & mask) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++used_;
        return true;
      }
    }
  }

  /// True when `h` is in the set.
  [[nodiscard]] bool contains(std::uint64_t h) const noexcept;

  /// Number of elements.
  [[nodiscard]] std::size_t size() const noexcept { return used_ + (has_zero_ ? 1u : 0u); }
  /// True when empty.
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  /// Adds every element of `other` (set union: associative, commutative, idempotent).
  void merge(const id_set &other);

  /// Calls f(h) for every element, in unspecified order.
  template <class F>
  void for_each(F &&f) const {
    if (has_zero_) f(std::uint64_t{0});
    if (slots_.empty()) {
      for (std::size_t i = 0; i < used_; ++i) f(few_[i]);
      return;
    }
    for (std::uint64_t h : slots_)
      if (h != 0) f(h);
  }

  /// The elements in increasing order.
  [[nodiscard]] std::vector<std::uint64_t> sorted() const;

  /// Appends the binary form: u8 tag 'S', u8 version 1, varint n, then the n sorted values as varint
  /// deltas (the first value itself, then differences > 0).
  void save(std::string &out) const;
  /// Reads a set written by save() from the front of `in` and advances `in` past it.
  /// @throws kpi::error errc::corrupt on truncated input, a count the input cannot hold, or values not
  /// strictly increasing.
  static id_set load(std::string_view &in);

  /// Same elements.
  friend bool operator==(const id_set &a, const id_set &b);

 private:
  std::size_t slot_of(std::uint64_t h) const noexcept {
    // Multiply-shift: the high bits of h * 2^64/phi, so that weak low bits of h do not cluster.
    return static_cast<std::size_t>((h * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  // Moves the elements into a table twice as large (the first: 8 slots, from few_).
  void grow();

  static constexpr std::size_t inline_max = 2;  // non-zero elements held in few_ before a table
  std::vector<std::uint64_t> slots_;            // 0 = empty slot; size a power of two, or 0 (few_ in use)
  std::uint64_t few_[inline_max] = {};          // while slots_ is empty: the first used_ elements
  std::size_t used_ = 0;                        // non-zero elements (in few_ or slots_)
  unsigned shift_ = 64;                         // 64 - log2(slots_.size())
  bool has_zero_ = false;
};

}  // namespace kpi
