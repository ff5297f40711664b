// kpi::id_set (include/kpi/stats/id_set.hpp).
#include "kpi/stats/id_set.hpp"

#include <algorithm>
#include <bit>
#include <iterator>

#include "stats/wire.hpp"

namespace kpi {
namespace {
constexpr std::uint8_t set_tag = 0x53;  // 'S'
constexpr std::uint8_t set_version = 1;
constexpr std::string_view set_what = "id_set";
}  // namespace

bool id_set::contains(std::uint64_t h) const noexcept {
  if (h == 0) return has_zero_;
  if (slots_.empty()) return few_[0] == h || few_[1] == h;  // free entries are 0, which h is not
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(h);; i = (i + 1) & mask) {
    if (slots_[i] == h) return true;
    if (slots_[i] == 0) return false;
  }
}

void id_set::grow() {
  const std::size_t cap = slots_.empty() ? 8 : 2 * slots_.size();
  std::vector<std::uint64_t> old;
  old.swap(slots_);
  slots_.assign(cap, 0);
  shift_ = 64u - static_cast<unsigned>(std::countr_zero(cap));
  const std::size_t mask = cap - 1;
  auto place = [&](std::uint64_t h) {
    std::size_t i = slot_of(h);
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = h;
  };
  if (old.empty()) {  // the first table: the inline elements move into it
    for (std::size_t i = 0; i < used_; ++i) place(few_[i]);
    std::fill(std::begin(few_), std::end(few_), std::uint64_t{0});
    return;
  }
  for (std::uint64_t h : old)
    if (h != 0) place(h);
}

void id_set::merge(const id_set &other) {
  if (this == &other) return;
  other.for_each([this](std::uint64_t h) { insert(h); });
}

std::vector<std::uint64_t> id_set::sorted() const {
  std::vector<std::uint64_t> v;
  v.reserve(size());
  for_each([&v](std::uint64_t h) { v.push_back(h); });
  std::sort(v.begin(), v.end());
  return v;
}

bool operator==(const id_set &a, const id_set &b) {
  if (a.used_ != b.used_ || a.has_zero_ != b.has_zero_) return false;
  bool same = true;
  a.for_each([&](std::uint64_t h) { same = same && b.contains(h); });
  return same;
}

void id_set::save(std::string &out) const {
  namespace w = detail::wire;
  w::put_header(out, set_tag, set_version);
  w::put_varint(out, size());
  std::uint64_t prev = 0;
  for (std::uint64_t h : sorted()) {
    w::put_varint(out, h - prev);
    prev = h;
  }
}

id_set id_set::load(std::string_view &in) {
  namespace w = detail::wire;
  w::expect_header(in, set_tag, set_version, set_what);
  const std::uint64_t n = w::get_varint(in, set_what);
  w::check_count(n, 1, in, set_what);
  id_set s;
  std::uint64_t prev = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t delta = w::get_varint(in, set_what);
    if (i > 0 && delta == 0) w::corrupt(set_what, "values not strictly increasing");
    if (delta > ~std::uint64_t{0} - prev) w::corrupt(set_what, "value out of range");
    prev += delta;
    s.insert(prev);
  }
  return s;
}

}  // namespace kpi
