// A table of text cells and its renderings (aligned text, CSV, Markdown), shared by the subcommands
// that print tables. JSON output is built per subcommand with nlohmann::json.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kpi::cli {

/// Output formats of the subcommands (`--format`).
enum class output_format { text, csv, json, markdown };

/// Parses "text", "csv", "json" or "markdown" (CLI11 validates the choice before this is called).
output_format parse_format(const std::string &name);

/// Rows of cells under a header. Cells are UTF-8 text; numbers are formatted by the caller.
struct table {
  std::vector<std::string> header;             ///< Column names.
  std::vector<std::vector<std::string>> rows;  ///< One vector of cells per row, header.size() each.
  std::vector<bool> right_align;               ///< Per column: right-align in text output (numbers).
};

/// Writes `t` as aligned text (columns padded to their widest cell, counted in UTF-8 code points).
void write_text(std::ostream &out, const table &t);
/// Writes `t` as RFC 4180 CSV with a header row (fields quoted only when needed).
void write_csv(std::ostream &out, const table &t);
/// Writes `t` as a GitHub-flavoured Markdown table (pipes in cells escaped).
void write_markdown(std::ostream &out, const table &t);

}  // namespace kpi::cli
