// docs/kpis.md must list every KPI of the registry, with the same id number, name and unit, once, and
// nothing else (the format is described in the comment at the top of docs/kpis.md).
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "kpi/catalog.hpp"

namespace {

struct doc_row {
  std::string name;
  std::string unit;
  int line;
};

// The KPI rows of docs/kpis.md by id: lines "| <id> | `<name>` | <unit> | ...".
std::multimap<int, doc_row> doc_rows(std::string &error) {
  std::ifstream in(std::string(KPI_DOCS_DIR) + "/kpis.md");
  if (!in) {
    error = "cannot open " + std::string(KPI_DOCS_DIR) + "/kpis.md";
    return {};
  }
  const std::regex row(R"(^\|\s*(\d+)\s*\|\s*`([^`]*)`\s*\|\s*([^|]*?)\s*\|.*)");
  const std::regex any_kpi_row(R"(^\|\s*\d+\s*\|\s*`)");
  std::multimap<int, doc_row> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_match(line, m, row)) {
      rows.emplace(std::stoi(m[1].str()), doc_row{m[2].str(), m[3].str(), n});
    } else if (std::regex_search(line, any_kpi_row)) {
      error += "line " + std::to_string(n) + " looks like a KPI row but does not parse\n";
    }
  }
  return rows;
}

TEST(CatalogDocs, EveryKpiOnceWithItsIdNameAndUnit) {
  std::string error;
  const auto rows = doc_rows(error);
  ASSERT_TRUE(error.empty()) << error;
  std::set<int> registry_ids;
  for (const kpi::kpi_info &k : kpi::catalog()) {
    const int id = static_cast<int>(k.id);
    registry_ids.insert(id);
    EXPECT_EQ(rows.count(id), 1u) << "docs/kpis.md must have exactly one row for id " << id << " (" << k.name
                                  << ")";
    const auto it = rows.find(id);
    if (it == rows.end()) continue;
    EXPECT_EQ(it->second.name, k.name) << "docs/kpis.md line " << it->second.line << ", id " << id;
    EXPECT_EQ(it->second.unit, kpi::to_string(k.unit))
        << "docs/kpis.md line " << it->second.line << ", " << k.name;
  }
  for (const auto &[id, r] : rows)
    EXPECT_TRUE(registry_ids.count(id) == 1) << "docs/kpis.md line " << r.line << " documents id " << id
                                             << " (" << r.name << "), not in the registry";
}

}  // namespace
