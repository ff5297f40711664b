#include "table.hpp"

#include <algorithm>

namespace kpi::cli {

output_format parse_format(const std::string &name) {
  if (name == "csv") return output_format::csv;
  if (name == "json") return output_format::json;
  if (name == "markdown") return output_format::markdown;
  return output_format::text;
}

namespace {

// Display width: UTF-8 code points (continuation bytes 10xxxxxx do not count).
std::size_t width(const std::string &s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool right(const table &t, std::size_t column) {
  return column < t.right_align.size() && t.right_align[column];
}

void write_row(std::ostream &out, const table &t, const std::vector<std::string> &cells,
               const std::vector<std::size_t> &widths) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string pad(widths[c] - width(cells[c]), ' ');
    if (c > 0) out << "  ";
    if (right(t, c)) {
      out << pad << cells[c];
    } else if (c + 1 < cells.size()) {
      out << cells[c] << pad;
    } else {
      out << cells[c];  // no trailing blanks on the last column
    }
  }
  out << '\n';
}

std::string csv_field(const std::string &s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

void write_text(std::ostream &out, const table &t) {
  std::vector<std::size_t> widths(t.header.size(), 0);
  for (std::size_t c = 0; c < t.header.size(); ++c) widths[c] = width(t.header[c]);
  for (const auto &row : t.rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], width(row[c]));
  }
  write_row(out, t, t.header, widths);
  std::vector<std::string> rule;
  for (std::size_t w : widths) rule.emplace_back(w, '-');
  write_row(out, t, rule, widths);
  for (const auto &row : t.rows) write_row(out, t, row, widths);
}

void write_csv(std::ostream &out, const table &t) {
  auto line = [&](const std::vector<std::string> &cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << csv_field(cells[c]);
    out << "\r\n";
  };
  line(t.header);
  for (const auto &row : t.rows) line(row);
}

void write_markdown(std::ostream &out, const table &t) {
  auto line = [&](const std::vector<std::string> &cells) {
    out << '|';
    for (const auto &cell : cells) {
      std::string escaped;
      for (char ch : cell) {
        if (ch == '|') escaped += '\\';
        escaped += ch;
      }
      out << ' ' << escaped << " |";
    }
    out << '\n';
  };
  line(t.header);
  out << '|';
  for (std::size_t c = 0; c < t.header.size(); ++c) out << (right(t, c) ? "---:|" : "---|");
  out << '\n';
  for (const auto &row : t.rows) line(row);
}

}  // namespace kpi::cli
