// The C ABI's pinned KPI_ID_* constants (capi/include/kpi/c/catalog.h) must match the C++ registry one
// to one: same names, same numbers, nothing missing, nothing extra.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "kpi/catalog.hpp"

namespace {

std::map<std::string, int> c_header_ids() {
  std::ifstream in(std::string(KPI_SOURCE_DIR) + "/capi/include/kpi/c/catalog.h");
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  std::map<std::string, int> ids;
  const std::regex constant(R"(KPI_ID_([A-Z0-9_]+)\s*=\s*(\d+),)");
  for (auto it = std::sregex_iterator(header.begin(), header.end(), constant); it != std::sregex_iterator();
       ++it) {
    std::string name = (*it)[1].str();
    for (char &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ids[name] = std::stoi((*it)[2].str());
  }
  return ids;
}

}  // namespace

TEST(CatalogCapi, IdsMatchRegistry) {
  const auto c_ids = c_header_ids();
  ASSERT_FALSE(c_ids.empty()) << "no KPI_ID_ constants found in catalog.h";
  EXPECT_EQ(c_ids.size(), kpi::catalog().size());
  for (const kpi::kpi_info &info : kpi::catalog()) {
    const auto it = c_ids.find(std::string(info.name));
    ASSERT_NE(it, c_ids.end()) << "KPI_ID_ constant missing for " << info.name;
    EXPECT_EQ(it->second, static_cast<int>(info.id)) << info.name;
  }
}
