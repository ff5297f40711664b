// Tests of kpi/stats/histogram.hpp: exact_sum and exact_histogram.
//
// Expected values are computed by hand in the comments, or (property tests) by an independent
// reference in this file: a sorted std::vector with the type-7 quantile formula written out.
#include "kpi/stats/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "kpi/error.hpp"

namespace {

#define EXPECT_KPI_ERROR(expr, want_code)                   \
  do {                                                      \
    try {                                                   \
      (void)(expr);                                         \
      ADD_FAILURE() << #expr " did not throw";              \
    } catch (const kpi::error &caught) {                    \
      EXPECT_EQ(caught.code(), want_code) << caught.what(); \
    }                                                       \
  } while (0)

kpi::exact_histogram of(std::initializer_list<double> xs) {
  kpi::exact_histogram h;
  for (double x : xs) h.add(x);
  return h;
}

// Reference type-7 quantile of integral data (exact): x[floor h] + frac * (x[floor h + 1] - x[floor h]).
double reference_quantile(std::vector<double> xs, double q) {
  std::sort(xs.begin(), xs.end());
  const double h = static_cast<double>(xs.size() - 1) * q;
  double lo = std::floor(h);
  if (std::fabs(h - std::round(h)) <= 1e-9 * std::max(1.0, h)) lo = std::round(h);
  const double frac = std::max(0.0, h - lo);
  const auto i = static_cast<std::size_t>(lo);
  if (frac <= 1e-9 * std::max(1.0, h) || i + 1 >= xs.size()) return xs[i];
  return xs[i] + frac * (xs[i + 1] - xs[i]);
}

TEST(ExactSum, WholeAndBinaryFractionsAreExact) {
  kpi::exact_sum s;
  EXPECT_TRUE(s.is_zero());
  EXPECT_EQ(s.value(), 0.0);
  // 1 + 2.5 + 0.25 + 3e9 = 3000000003.75, exactly representable.
  for (double x : {1.0, 2.5, 0.25, 3e9}) s.add(x);
  EXPECT_EQ(s.value(), 3000000003.75);
}

TEST(ExactSum, OrderIndependent) {
  // 0.1, 0.2 and 0.3 added in two orders: a double sum gives 0.6000000000000001 vs 0.6; the fixed-point
  // state is identical, and within 3 * 2^-33 of 0.6.
  kpi::exact_sum a, b;
  for (double x : {0.1, 0.2, 0.3}) a.add(x);
  for (double x : {0.3, 0.2, 0.1}) b.add(x);
  EXPECT_EQ(a, b);
  EXPECT_NEAR(a.value(), 0.6, 3.5e-10);
}

TEST(ExactSum, RejectsBadValues) {
  kpi::exact_sum s;
  EXPECT_KPI_ERROR(s.add(-1.0), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(s.add(std::nan("")), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(s.add(std::numeric_limits<double>::infinity()), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(s.add(kpi::exact_sum::max_value), kpi::errc::invalid_argument);
  EXPECT_TRUE(s.is_zero());
}

TEST(ExactHistogram, EmptyIsUndefined) {
  const kpi::exact_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.sum(), 0.0);
  EXPECT_EQ(h.mean(), std::nullopt);
  EXPECT_EQ(h.min(), std::nullopt);
  EXPECT_EQ(h.max(), std::nullopt);
  EXPECT_EQ(h.quantile(0.5), std::nullopt);
  EXPECT_EQ(h.count_below(100), 0u);
  EXPECT_EQ(h.count_at_most(100), 0u);
  EXPECT_EQ(h, kpi::exact_histogram{});
}

TEST(ExactHistogram, EvenCountMedianIsMidpoint) {
  // 10, 20, 30, 40: n = 4. median: h = 3 * 0.5 = 1.5 -> 20 + 0.5 * (30 - 20) = 25.
  // p90: h = 3 * 0.9 = 2.7 -> 30 + 0.7 * (40 - 30) = 37. mean = 100 / 4 = 25.
  const auto h = of({40, 10, 30, 20});
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.sum(), 100.0);
  EXPECT_EQ(h.mean(), 25.0);
  EXPECT_EQ(h.quantile(0.5), 25.0);
  EXPECT_NEAR(*h.quantile(0.9), 37.0, 1e-12);
  EXPECT_EQ(h.quantile(0.0), 10.0);
  EXPECT_EQ(h.quantile(1.0), 40.0);
  EXPECT_EQ(h.min(), 10.0);
  EXPECT_EQ(h.max(), 40.0);
}

TEST(ExactHistogram, OddCountAndRepeats) {
  // 1, 3, 5: median h = 1 -> 3; q = 0.25: h = 0.5 -> 1 + 0.5 * 2 = 2.
  const auto h = of({5, 1, 3});
  EXPECT_EQ(h.quantile(0.5), 3.0);
  EXPECT_EQ(h.quantile(0.25), 2.0);
  // 7, 7, 7, 9: median h = 1.5 -> 7 + 0.5 * (7 - 7) = 7; p90 h = 2.7 -> 7 + 0.7 * 2 = 8.4.
  const auto r = of({7, 9, 7, 7});
  EXPECT_EQ(r.quantile(0.5), 7.0);
  EXPECT_NEAR(*r.quantile(0.9), 8.4, 1e-12);
  EXPECT_EQ(r.distinct_keys(), 2u);
}

TEST(ExactHistogram, P90OfElevenIsExactRank) {
  // 0, 10, ..., 100: h = 10 * 0.9 = 9 (snapped) -> x[9] = 90, no interpolation residue.
  kpi::exact_histogram h;
  for (int i = 0; i <= 10; ++i) h.add(10.0 * i);
  EXPECT_EQ(h.quantile(0.9), 90.0);
  EXPECT_EQ(h.quantile(0.5), 50.0);
}

TEST(ExactHistogram, ThresholdsStrictAndInclusive) {
  // 119, 119.5, 120, 120.5, 121:
  //   < 120: 119, 119.5 -> 2;  <= 120: + 120 -> 3;  < 121: + 120.5 -> 4;  <= 121: 5.
  //   < 0: 0; <= 0: 0; < 1000: 5.
  const auto h = of({121, 120.5, 120, 119.5, 119});
  EXPECT_EQ(h.count_below(120), 2u);
  EXPECT_EQ(h.count_at_most(120), 3u);
  EXPECT_EQ(h.count_below(121), 4u);
  EXPECT_EQ(h.count_at_most(121), 5u);
  EXPECT_EQ(h.count_below(0), 0u);
  EXPECT_EQ(h.count_at_most(0), 0u);
  EXPECT_EQ(h.count_at_most(-5), 0u);
  EXPECT_EQ(h.count_below(1000), 5u);
  EXPECT_EQ(h.count_below(1e300), 5u);
  // Zero is a value like any other: <= 0 counts it, < 0 does not.
  const auto z = of({0, 0, 0.25});
  EXPECT_EQ(z.count_at_most(0), 2u);
  EXPECT_EQ(z.count_below(0), 0u);
  EXPECT_EQ(z.count_below(1), 3u);
}

TEST(ExactHistogram, FractionalQuantilesWithinHalfUnit) {
  // 1.2 and 3.7: median h = 0.5 between the exact min and max -> 1.2 + 0.5 * 2.5 = 2.45.
  const auto two = of({3.7, 1.2});
  EXPECT_NEAR(*two.quantile(0.5), 2.45, 1e-12);
  // 1.2, 2.3, 3.7: median is rank 1, in key 5 (between 2 and 3), represented by 2.5; true value 2.3.
  const auto three = of({1.2, 2.3, 3.7});
  EXPECT_EQ(three.quantile(0.5), 2.5);
  EXPECT_LE(std::fabs(*three.quantile(0.5) - 2.3), 0.5);
  EXPECT_EQ(three.min(), 1.2);
  EXPECT_EQ(three.max(), 3.7);
  // 2.1, 2.2, 2.3 share key 5; the representative 2.5 is clamped to the max 2.3.
  const auto same = of({2.1, 2.2, 2.3});
  EXPECT_EQ(same.quantile(0.5), 2.3);
}

TEST(ExactHistogram, RejectsBadInput) {
  kpi::exact_histogram h;
  EXPECT_KPI_ERROR(h.add(-0.5), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(h.add(std::nan("")), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(h.add(std::numeric_limits<double>::infinity()), kpi::errc::invalid_argument);
  EXPECT_EQ(h.count(), 0u);  // nothing half-added
  h.add(1);
  EXPECT_KPI_ERROR(h.quantile(-0.1), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(h.quantile(1.5), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(h.quantile(std::nan("")), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(h.count_below(120.5), kpi::errc::invalid_argument);
  EXPECT_KPI_ERROR(h.count_at_most(std::nan("")), kpi::errc::invalid_argument);
}

TEST(ExactHistogram, LargeValuesAndMemoryPerDistinctKey) {
  // 100000 values of only three distinct magnitudes keep three keys.
  kpi::exact_histogram h;
  for (int i = 0; i < 100000; ++i) h.add(i % 3 == 0 ? 300.0 : (i % 3 == 1 ? 5e6 : 2e12));
  EXPECT_EQ(h.distinct_keys(), 3u);
  EXPECT_EQ(h.count(), 100000u);
  // 33334 x 300 + 33333 x 5e6 + 33333 x 2e12 = 10000200 + 166665000000 + 66666000000000000
  EXPECT_EQ(h.sum(), 10000200.0 + 166665000000.0 + 66666000000000000.0);
  EXPECT_EQ(h.count_below(5000000), 33334u);
  EXPECT_EQ(h.count_at_most(5000000), 66667u);
  EXPECT_EQ(h.quantile(0.5), 5e6);
}

TEST(ExactHistogram, MatchesReferenceOnRandomWholeSeconds) {
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<int> talk(0, 9000);  // spans the dense range and the map beyond it
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 1 + trial * 37;
    std::vector<double> xs;
    kpi::exact_histogram h;
    for (int i = 0; i < n; ++i) {
      const double x = (i % 5 == 0) ? talk(rng) * 3.0 : talk(rng);
      xs.push_back(x);
      h.add(x);
    }
    for (double q : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0})
      EXPECT_NEAR(*h.quantile(q), reference_quantile(xs, q), 1e-9) << "n=" << n << " q=" << q;
    for (double t : {0.0, 1.0, 120.0, 4000.0, 20000.0}) {
      EXPECT_EQ(h.count_below(t), std::count_if(xs.begin(), xs.end(), [t](double x) { return x < t; }));
      EXPECT_EQ(h.count_at_most(t), std::count_if(xs.begin(), xs.end(), [t](double x) { return x <= t; }));
    }
  }
}

TEST(ExactHistogram, FractionalWithinHalfUnitOfReference) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(0.0, 600.0);
  std::vector<double> xs;
  kpi::exact_histogram h;
  for (int i = 0; i < 999; ++i) {
    xs.push_back(d(rng));
    h.add(xs.back());
  }
  for (double q : {0.0, 0.1, 0.5, 0.9, 1.0})
    EXPECT_LE(std::fabs(*h.quantile(q) - reference_quantile(xs, q)), 0.5);
  EXPECT_EQ(h.quantile(0.0), *std::min_element(xs.begin(), xs.end()));
  EXPECT_EQ(h.quantile(1.0), *std::max_element(xs.begin(), xs.end()));
}

TEST(ExactHistogram, MergeEqualsSinglePassOverRandomSplits) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> whole(0, 20000);
  std::uniform_real_distribution<double> real(0.0, 50.0);
  std::vector<double> xs;
  for (int i = 0; i < 3000; ++i) xs.push_back(i % 4 == 0 ? real(rng) : whole(rng));
  kpi::exact_histogram all;
  for (double x : xs) all.add(x);
  for (int trial = 0; trial < 25; ++trial) {
    kpi::exact_histogram a, b, c;
    for (double x : xs) {
      switch (rng() % 3) {
        case 0:
          a.add(x);
          break;
        case 1:
          b.add(x);
          break;
        default:
          c.add(x);
          break;
      }
    }
    kpi::exact_histogram ab = a;
    ab.merge(b);
    ab.merge(c);
    EXPECT_EQ(ab, all);
    kpi::exact_histogram cb = c;  // other order: commutative
    cb.merge(b);
    cb.merge(a);
    EXPECT_EQ(cb, all);
    EXPECT_EQ(ab.quantile(0.9), all.quantile(0.9));
    EXPECT_EQ(ab.sum(), all.sum());
  }
  // Reverse insertion order builds a different dense/map layout; the values are the same.
  kpi::exact_histogram rev;
  for (auto it = xs.rbegin(); it != xs.rend(); ++it) rev.add(*it);
  EXPECT_EQ(rev, all);
  // Merging with itself doubles every count.
  kpi::exact_histogram twice = of({1, 2});
  twice.merge(twice);
  EXPECT_EQ(twice, of({1, 1, 2, 2}));
  // Differences are seen.
  EXPECT_FALSE(of({1, 2}) == of({1, 3}));
  EXPECT_FALSE(of({1.25}) == of({1.5}));  // same key, different sum and min/max
}

TEST(ExactHistogram, SaveLoadRoundTrip) {
  std::vector<kpi::exact_histogram> cases;
  cases.emplace_back();
  cases.push_back(of({0}));
  cases.push_back(of({300, 300, 120.5, 7e9, 0.001}));
  kpi::exact_histogram big;
  for (int i = 0; i < 5000; ++i) big.add((i * 7919) % 20011);
  cases.push_back(big);
  for (const auto &h : cases) {
    std::string bytes = "prefix";
    h.save(bytes);
    bytes += "suffix";
    std::string_view in(bytes);
    in.remove_prefix(6);
    const auto back = kpi::exact_histogram::load(in);
    EXPECT_EQ(back, h);
    EXPECT_EQ(in, "suffix");  // consumed exactly its own bytes
    EXPECT_EQ(back.quantile(0.5), h.quantile(0.5));
  }
}

TEST(ExactHistogram, LoadRejectsTruncatedAndCorruptInput) {
  const auto h = of({10, 20, 20, 35.5, 9000});
  std::string bytes;
  h.save(bytes);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    std::string_view in(bytes.data(), len);
    EXPECT_KPI_ERROR(kpi::exact_histogram::load(in), kpi::errc::corrupt);
  }
  auto corrupt_at = [&](std::size_t pos, char v) {
    std::string b = bytes;
    b[pos] = v;
    std::string_view in(b);
    EXPECT_KPI_ERROR(kpi::exact_histogram::load(in), kpi::errc::corrupt);
  };
  corrupt_at(0, 'X');  // tag
  corrupt_at(1, 9);    // version
  corrupt_at(2, 4);    // count 5 -> 4: key counts no longer add up
  // Layout: tag, version, count(1), sum(16), min(8), max(8), n_keys(1) at offset 35, then pairs.
  corrupt_at(35, 100);  // 100 keys cannot fit in the remaining bytes
  corrupt_at(38, 0);    // second key delta 0: keys not increasing
  corrupt_at(37, 2);    // first key's count 1 -> 2: counts exceed the total
  // A key count claiming more keys than the input could describe never allocates them.
  std::string huge;
  huge.push_back('H');
  huge.push_back(1);
  huge += std::string("\xff\xff\xff\xff\x0f", 5);  // count ~ 2^32
  huge += std::string(16, '\0');
  huge += std::string("\x00\x00\x00\x00\x00\x00\x00\x00", 8);
  huge += std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8);  // max 1.0
  huge += std::string("\xff\xff\xff\xff\x0f", 5);              // n_keys ~ 2^32
  std::string_view in(huge);
  EXPECT_KPI_ERROR(kpi::exact_histogram::load(in), kpi::errc::corrupt);
}

}  // namespace

namespace {
// The histogram wire format by hand (see src/stats/histogram.cpp): LEB128 varints, little-endian words.
void put_varint(std::string &out, std::uint64_t v) {
  for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>((v & 0x7f) | 0x80));
  out.push_back(static_cast<char>(v));
}
void put_u64(std::string &out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_f64(std::string &out, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, 8);
  put_u64(out, bits);
}
}  // namespace

TEST(ExactHistogram, CountsBeyondTwoToThe32AreExact) {
  // A state no test can build one add() at a time: 2 values of 7 s and 2^33 + 3 values of 100 s.
  // The dense 32-bit counter of 100 s must carry the excess without wrapping.
  const std::uint64_t many = (std::uint64_t{1} << 33) + 3;
  const std::uint64_t count = many + 2;
  // Sum = 2 * 7 + 100 * (2^33 + 3) = 858993459514 = 200 * 2^32 + 314; in units of 2^-32: high word
  // 200, low word 314 * 2^32.
  std::string bytes;
  bytes.push_back('H');
  bytes.push_back(1);
  put_varint(bytes, count);
  put_u64(bytes, 200);
  put_u64(bytes, std::uint64_t{314} << 32);
  put_f64(bytes, 7.0);
  put_f64(bytes, 100.0);
  put_varint(bytes, 2);     // two keys
  put_varint(bytes, 14);    // key of 7 s (2 * 7)
  put_varint(bytes, 2);     // ... twice
  put_varint(bytes, 186);   // key of 100 s: 14 + 186 = 200
  put_varint(bytes, many);  // ... 2^33 + 3 times
  std::string_view in(bytes);
  kpi::exact_histogram h = kpi::exact_histogram::load(in);
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(h.count(), count);
  EXPECT_EQ(h.distinct_keys(), 2u);
  EXPECT_EQ(h.count_below(100), 2u);
  EXPECT_EQ(h.count_at_most(100), count);
  EXPECT_EQ(h.count_at_most(7), 2u);
  EXPECT_EQ(h.quantile(0), 7.0);
  EXPECT_EQ(h.quantile(0.5), 100.0);
  EXPECT_EQ(h.sum(), 858993459514.0);
  // Saved again: the same bytes.
  std::string again;
  h.save(again);
  EXPECT_EQ(again, bytes);
  // One more 100 s value, then the state merged with itself: 2 * (2^33 + 4) values of 100 s.
  h.add(100);
  h.merge(h);
  EXPECT_EQ(h.count(), 2 * (many + 1) + 4);
  EXPECT_EQ(h.count_below(100), 4u);
  EXPECT_EQ(h.count_at_most(100), h.count());
  EXPECT_EQ(h.distinct_keys(), 2u);
  std::string merged;
  h.save(merged);
  std::string_view min(merged);
  EXPECT_EQ(kpi::exact_histogram::load(min), h);
}

TEST(ExactHistogram, DenseAndMapFormsInterleaveInKeyOrder) {
  // Whole values in the dense array, fractional ones (odd keys) and large ones in the map: quantiles,
  // thresholds and min/max read both forms in key order.
  kpi::exact_histogram h;
  for (int s = 0; s < 64; ++s) h.add(s);  // dense: 64 distinct whole seconds
  h.add(10.5);                            // odd key between 10 and 11
  h.add(0.25);                            // odd key between 0 and 1
  h.add(1e6);                             // beyond the dense cap: map
  EXPECT_EQ(h.count(), 67u);
  EXPECT_EQ(h.distinct_keys(), 67u);
  EXPECT_EQ(h.min(), 0.0);
  EXPECT_EQ(h.max(), 1e6);
  EXPECT_EQ(h.count_below(11), 13u);    // 0..10 (11 values), 0.25 and 10.5
  EXPECT_EQ(h.count_at_most(10), 12u);  // 0..10 and 0.25
  // Sorted: 0, 0.25, 1, ..., 10, 10.5, 11, ..., 63, 1e6. Rank 12 is 10.5 (represented by 10.5).
  EXPECT_EQ(h.quantile(12.0 / 66.0), 10.5);
  EXPECT_EQ(h.quantile(1), 1e6);
  EXPECT_EQ(h.quantile(65.0 / 66.0), 63.0);
}

TEST(ExactHistogram, DenseCountersSpillPastTwoToTheSixteen) {
  // Dense counters are 2 bytes: 200,000 values of 5 s pass 2^16 - 1 three times. With 0..39 once
  // each (the array is dense), every count, threshold and quantile stays exact, through save/load
  // and merge.
  kpi::exact_histogram h;
  for (int s = 0; s < 40; ++s) h.add(s);
  for (int i = 0; i < 200'000; ++i) h.add(5);
  EXPECT_EQ(h.count(), 200'040u);
  EXPECT_EQ(h.distinct_keys(), 40u);
  EXPECT_EQ(h.count_at_most(5), 200'006u);  // 0..5 once, and 200,000 fives
  EXPECT_EQ(h.count_below(5), 5u);
  EXPECT_EQ(h.sum(), 780.0 + 1'000'000.0);  // 0 + ... + 39 = 780
  EXPECT_EQ(h.quantile(0.5), 5.0);
  EXPECT_EQ(h.quantile(1.0), 39.0);
  std::string bytes;
  h.save(bytes);
  std::string_view in = bytes;
  const kpi::exact_histogram back = kpi::exact_histogram::load(in);
  EXPECT_EQ(back, h);
  kpi::exact_histogram twice = h;
  twice.merge(back);
  EXPECT_EQ(twice.count(), 400'080u);
  EXPECT_EQ(twice.count_at_most(5), 400'012u);
  EXPECT_EQ(twice.count_below(5), 10u);
}

// ---- detail::key_counts: the sparse keys, a sorted array up to flat_max keys, then a map ----

namespace {
std::vector<std::pair<std::uint64_t, std::uint64_t>> held(const kpi::detail::key_counts &k) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  k.visit([&](const auto &range) {
    for (const auto &e : range) out.emplace_back(e.first, e.second);
  });
  return out;
}
}  // namespace

TEST(KeyCounts, OrderedAndExactAcrossTheTurnIntoAMap) {
  // Random keys (some repeated) against a std::map reference, checked after every add: the array
  // form up to flat_max keys, the map form after, and the turn between them.
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::uint64_t> key(0, 300), count(1, 5);
  kpi::detail::key_counts k;
  std::map<std::uint64_t, std::uint64_t> ref;
  EXPECT_TRUE(k.empty());
  for (int i = 0; i < 600; ++i) {
    const std::uint64_t x = key(rng), n = count(rng);
    const bool is_new = ref.find(x) == ref.end();
    ref[x] += n;
    ASSERT_EQ(k.add(x, n), is_new) << "add " << i;
    using pairs = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
    ASSERT_EQ(held(k), pairs(ref.begin(), ref.end())) << "after add " << i << " (" << ref.size() << " keys)";
    ASSERT_EQ(k.first(), ref.begin()->first);
    ASSERT_EQ(k.last(), ref.rbegin()->first);
  }
  EXPECT_GT(ref.size(), kpi::detail::key_counts::flat_max);
}

TEST(KeyCounts, ExtractEvenTakesOnlyEvenKeysOfTheRangeInBothForms) {
  for (const std::uint64_t keys : {std::uint64_t{10}, std::uint64_t{100}}) {  // array form, map form
    kpi::detail::key_counts k;
    for (std::uint64_t x = keys; x-- > 0;) k.add(x, x + 1);  // keys 0..keys-1, count = key + 1
    std::vector<std::pair<std::uint64_t, std::uint64_t>> taken;
    k.extract_even(4, 9, [&](std::uint64_t x, std::uint64_t n) { taken.emplace_back(x, n); });
    // Even keys in [4, 9): 4, 6, 8, with counts 5, 7, 9; 5 and 7 (odd) stay.
    EXPECT_EQ(taken, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{4, 5}, {6, 7}, {8, 9}}));
    const auto rest = held(k);
    ASSERT_EQ(rest.size(), keys - 3);
    EXPECT_EQ(rest[3], (std::pair<std::uint64_t, std::uint64_t>{3, 4}));
    EXPECT_EQ(rest[4], (std::pair<std::uint64_t, std::uint64_t>{5, 6}));
    EXPECT_EQ(rest[5], (std::pair<std::uint64_t, std::uint64_t>{7, 8}));
    EXPECT_EQ(k.first(), 0u);
    EXPECT_EQ(k.last(), keys - 1);
  }
}

TEST(ExactHistogram, SameValuesCompareAndSaveEqualWhateverFormTheTailTook) {
  // a: whole values 500-509 first (too few distinct keys for a 512-slot dense array: they stay in the
  // tail), then 60 fractional values (70 tail keys: the tail turns into a map), then 510-519: now the
  // dense array pays, and 500-509 move out of the map into it. b: the same values, fractional ones
  // last, so its tail never holds more than 60 keys. Same values: equal, same bytes, same answers.
  std::vector<double> whole_first, fractional;
  for (int w = 500; w < 510; ++w) whole_first.push_back(w);
  for (int i = 0; i < 60; ++i) fractional.push_back(100.5 + i);
  kpi::exact_histogram a, b;
  for (double x : whole_first) a.add(x);
  for (double x : fractional) a.add(x);
  for (int w = 510; w < 520; ++w) a.add(w);
  for (int w = 519; w >= 500; --w) b.add(w);
  for (double x : fractional) b.add(x);
  EXPECT_EQ(a, b);
  std::string sa, sb;
  a.save(sa);
  b.save(sb);
  EXPECT_EQ(sa, sb);
  EXPECT_EQ(a.distinct_keys(), 80u);
  // 60 fractional values 100.5..159.5 below 20 whole ones 500..519: rank 59 is 159.5, rank 60 is 500.
  EXPECT_EQ(a.count_below(500), 60u);
  EXPECT_EQ(a.quantile(60.0 / 79.0), 500.0);
  EXPECT_EQ(a.min(), 100.5);
  EXPECT_EQ(a.max(), 519.0);
  std::string_view in = sa;
  EXPECT_EQ(kpi::exact_histogram::load(in), a);
}

TEST(ExactHistogram, CopiesOwnTheirMapTailAndSpills) {
  // The map form of the tail (past flat_max keys) and the spilled counts are on the heap only once
  // used (detail::rare): a copy must own its own. 100 fractional values turn the tail into a map;
  // 70,000 twos spill a dense counter. Growing the copy leaves the original as it was.
  kpi::exact_histogram h;
  for (int i = 0; i < 100; ++i) h.add(0.5 + i);
  for (int s = 0; s < 40; ++s) h.add(s);
  for (int i = 0; i < 70'000; ++i) h.add(2);
  const kpi::exact_histogram before = h;
  kpi::exact_histogram copy = h;
  EXPECT_EQ(copy, h);
  for (int i = 0; i < 100; ++i) copy.add(1000.25 + i);
  for (int i = 0; i < 70'000; ++i) copy.add(2);
  EXPECT_EQ(h, before);
  EXPECT_EQ(h.count(), 70'140u);
  EXPECT_EQ(h.count_at_most(2), 70'005u);  // 0, 0.5, 1, 1.5 and 70,001 twos
  EXPECT_EQ(copy.count_at_most(2), 140'005u);
  EXPECT_EQ(copy.count(), 140'240u);
  copy = h;  // assignment replaces the copy's own map and spills
  EXPECT_EQ(copy, h);
  kpi::exact_histogram moved = std::move(copy);
  EXPECT_EQ(moved, h);
}

TEST(KeyCounts, AMapEmptiedByExtractionTurnsBackIntoTheArray) {
  // 100 even keys (the map form), all extracted into a dense range: empty, then the array form again.
  kpi::detail::key_counts k;
  for (std::uint64_t x = 0; x < 200; x += 2) k.add(x, 1);
  std::uint64_t taken = 0;
  k.extract_even(0, 200, [&](std::uint64_t, std::uint64_t n) { taken += n; });
  EXPECT_EQ(taken, 100u);
  EXPECT_TRUE(k.empty());
  EXPECT_TRUE(k.add(7, 3));
  EXPECT_FALSE(k.add(7, 1));
  EXPECT_EQ(held(k), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{7, 4}}));
  k.visit([](const auto &range) {
    EXPECT_TRUE((
        std::is_same_v<std::decay_t<decltype(range)>, std::vector<std::pair<std::uint64_t, std::uint64_t>>>));
  });
}
