// `kpi kpis`: the KPI catalog, read from the registry.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "kpi/catalog.hpp"
#include "table.hpp"

namespace kpi::cli {

namespace {

const char *const family_names[] = {"calls",     "orders", "leads",  "opportunities",
                                    "customers", "spend",  "targets"};

std::vector<std::string> family_list(std::uint32_t families) {
  std::vector<std::string> names;
  for (std::size_t bit = 0; bit < std::size(family_names); ++bit) {
    if (families & (1u << bit)) names.emplace_back(family_names[bit]);
  }
  return names;
}

void print_catalog(const std::string &format_name, const std::string &family) {
  const output_format format = parse_format(format_name);
  nlohmann::json json = nlohmann::json::array();
  table t{{"id", "kpi", "unit", "families", "description"}, {}, {true, false, false, false, false}};
  for (const kpi_info &k : catalog()) {
    const std::vector<std::string> families = family_list(k.families);
    if (!family.empty() && std::find(families.begin(), families.end(), family) == families.end()) continue;
    if (format == output_format::json) {
      json.push_back({{"id", static_cast<int>(k.id)},
                      {"kpi", k.name},
                      {"unit", to_string(k.unit)},
                      {"families", families},
                      {"description", k.description},
                      {"formula", k.formula},
                      {"variants", k.variants},
                      {"windowed", k.evaluate != nullptr}});
    } else {
      t.rows.push_back({std::to_string(static_cast<int>(k.id)), std::string(k.name), to_string(k.unit),
                        fmt::format("{}", fmt::join(families, ",")), std::string(k.description)});
    }
  }
  switch (format) {
    case output_format::json:
      std::cout << json.dump(2) << '\n';
      break;
    case output_format::csv:
      write_csv(std::cout, t);
      break;
    case output_format::markdown:
      write_markdown(std::cout, t);
      break;
    case output_format::text:
      write_text(std::cout, t);
      break;
  }
}

}  // namespace

void add_kpis_command(CLI::App &app) {
  auto *cmd =
      app.add_subcommand("kpis", "List the KPI catalog: id, name, unit, record families, description");
  auto format = std::make_shared<std::string>("text");
  auto family = std::make_shared<std::string>();
  cmd->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown"}));
  cmd->add_option("--family", *family, "Only KPIs that need this record family")
      ->check(CLI::IsMember({"calls", "orders", "leads", "opportunities", "customers", "spend", "targets"}));
  cmd->callback([format, family] { print_catalog(*format, *family); });
}

}  // namespace kpi::cli
