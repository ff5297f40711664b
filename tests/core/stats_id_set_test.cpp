// Tests of kpi/stats/id_set.hpp and kpi/stats/hash.hpp. Expected values are counted by hand in the
// comments or come from a std::set reference in the property test.
#include "kpi/stats/id_set.hpp"

#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kpi/error.hpp"
#include "kpi/stats/hash.hpp"

namespace {

TEST(IdSet, InsertContainsAndZero) {
  kpi::id_set s;
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.contains(0));
  EXPECT_TRUE(s.insert(5));
  EXPECT_FALSE(s.insert(5));  // already there
  EXPECT_TRUE(s.insert(0));   // 0 is a value like any other (kept aside from the table)
  EXPECT_FALSE(s.insert(0));
  EXPECT_TRUE(s.insert(~0ull));
  EXPECT_EQ(s.size(), 3u);  // {0, 5, 2^64-1}
  EXPECT_TRUE(s.contains(0));
  EXPECT_TRUE(s.contains(5));
  EXPECT_FALSE(s.contains(6));
  EXPECT_EQ(s.sorted(), (std::vector<std::uint64_t>{0, 5, ~0ull}));
}

TEST(IdSet, TheFirstTwoElementsAreHeldInlineThenMoveIntoTheTable) {
  // Two non-zero elements fit inline; the third moves them into a table. Every answer is the same on
  // both sides of the move, with and without 0 (kept aside), and merge, copy and equality see no form.
  kpi::id_set s;
  EXPECT_TRUE(s.insert(42));
  EXPECT_TRUE(s.insert(0));
  EXPECT_FALSE(s.insert(42));
  EXPECT_EQ(s.size(), 2u);
  EXPECT_TRUE(s.contains(42));
  EXPECT_FALSE(s.contains(7));
  EXPECT_TRUE(s.insert(7));
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.sorted(), (std::vector<std::uint64_t>{0, 7, 42}));
  const kpi::id_set two = s;  // inline, 0 aside
  EXPECT_TRUE(s.insert(9));   // the table
  EXPECT_FALSE(s.insert(7));
  EXPECT_FALSE(s.insert(42));
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(s.sorted(), (std::vector<std::uint64_t>{0, 7, 9, 42}));
  EXPECT_TRUE(s.contains(7) && s.contains(9) && s.contains(42) && s.contains(0));
  EXPECT_FALSE(s.contains(8));
  kpi::id_set same;  // the same elements, reached in another order
  for (std::uint64_t x : {9u, 42u, 7u, 0u}) same.insert(x);
  EXPECT_EQ(same, s);
  EXPECT_FALSE(two == s);
  kpi::id_set u = two;
  u.merge(kpi::id_set{});
  EXPECT_EQ(u, two);
  kpi::id_set nine;
  nine.insert(9);
  u.merge(nine);
  EXPECT_EQ(u, s);
  std::string a, b;
  two.save(a);
  kpi::id_set again;
  for (std::uint64_t x : {42u, 7u, 0u}) again.insert(x);
  again.save(b);
  EXPECT_EQ(a, b);
}

TEST(IdSet, MatchesStdSetAndMergesAsUnion) {
  std::mt19937_64 rng(11);
  std::set<std::uint64_t> ref_a, ref_b;
  kpi::id_set a, b;
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t x = rng() % 3000;  // many repeats
    const bool to_a = rng() % 2 == 0;
    EXPECT_EQ((to_a ? a : b).insert(x), (to_a ? ref_a : ref_b).insert(x).second);
  }
  EXPECT_EQ(a.size(), ref_a.size());
  for (std::uint64_t x = 0; x < 3000; ++x) EXPECT_EQ(a.contains(x), ref_a.count(x) == 1);
  kpi::id_set u = a;
  u.merge(b);
  std::set<std::uint64_t> ref_u = ref_a;
  ref_u.insert(ref_b.begin(), ref_b.end());
  EXPECT_EQ(u.size(), ref_u.size());
  EXPECT_EQ(u.sorted(), std::vector<std::uint64_t>(ref_u.begin(), ref_u.end()));
  kpi::id_set v = b;  // commutative
  v.merge(a);
  EXPECT_EQ(u, v);
  u.merge(u);  // idempotent
  EXPECT_EQ(u, v);
  EXPECT_FALSE(a == b);
}

TEST(IdSet, SaveLoadRoundTripAndRejects) {
  kpi::id_set s;
  for (std::uint64_t x : {0ull, 1ull, 300ull, 1ull << 40, ~0ull}) s.insert(x);
  for (const kpi::id_set &set : {kpi::id_set{}, s}) {
    std::string bytes;
    set.save(bytes);
    bytes += "!";
    std::string_view in(bytes);
    EXPECT_EQ(kpi::id_set::load(in), set);
    EXPECT_EQ(in, "!");
  }
  std::string bytes;
  s.save(bytes);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    std::string_view in(bytes.data(), len);
    EXPECT_THROW(kpi::id_set::load(in), kpi::error);
  }
  // 'S', version 1, count 2, values 7 then delta 0 (a repeat): rejected.
  const std::string repeat("S\x01\x02\x07\x00", 5);
  std::string_view in(repeat);
  try {
    (void)kpi::id_set::load(in);
    ADD_FAILURE() << "a repeated value was accepted";
  } catch (const kpi::error &e) {
    EXPECT_EQ(e.code(), kpi::errc::corrupt);
  }
  // A count of 2^35 with 3 bytes left: rejected before any allocation.
  const std::string huge("S\x01\x80\x80\x80\x80\x80\x01\x01\x01\x01", 11);
  std::string_view in2(huge);
  EXPECT_THROW(kpi::id_set::load(in2), kpi::error);
}

TEST(StableIdHash, KnownValuesAndDistinctIds) {
  // FNV-1a 64 published test vectors: "" -> offset basis, "a" -> 0xaf63dc4c8601ec8c.
  static_assert(kpi::stable_id_hash("") == 14695981039346656037ull);
  static_assert(kpi::stable_id_hash("a") == 0xaf63dc4c8601ec8cull);
  EXPECT_NE(kpi::stable_id_hash("agent-1"), kpi::stable_id_hash("agent-2"));
  // Bytes, not characters: a UTF-8 id hashes its encoded bytes.
  EXPECT_EQ(kpi::stable_id_hash("\xc3\xa9"), kpi::stable_id_hash(std::string("\xc3\xa9")));
}

}  // namespace
