// The Thrift IDL tokenizer: words, numbers, string literals, punctuation; comments skipped,
// /** doc comments */ attached to the token that follows them.
#include "lexer.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <system_error>

namespace corothrift::idl::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_alpha(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string describe_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02x", u);
  return buf;
}

class Lexer {
 public:
  Lexer(std::string_view src, const std::string& file, Diagnostics& diags)
      : src_(src), file_(file), diags_(diags) {
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
  }

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skip_space_and_comments();
      Token t;
      t.line = line_;
      t.column = col_;
      if (pending_doc_) {
        t.has_doc = true;
        t.doc = std::move(doc_);
        doc_.clear();
        pending_doc_ = false;
      }
      if (pos_ >= src_.size()) {
        t.kind = Tok::End;
        t.truncated = truncated_;
        out.push_back(std::move(t));
        return out;
      }
      if (lex_token(t)) out.push_back(std::move(t));
    }
  }

 private:
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  bool at_end() const { return pos_ >= src_.size(); }
  void advance() {
    if (src_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  Location here() const { return Location{file_, line_, col_}; }
  Location at(int line, int col) const { return Location{file_, line, col}; }

  void skip_space_and_comments() {
    for (;;) {
      if (at_end()) return;
      char c = peek();
      if (is_space(c)) {
        advance();
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        block_comment();
      } else {
        return;
      }
    }
  }

  void block_comment() {
    Location start = here();
    std::size_t begin = pos_;
    advance();
    advance();
    bool doc = peek() == '*' && peek(1) != '/';
    for (;;) {
      if (at_end()) {
        diags_.syntax_error(start, "unterminated comment: expected '*/' before the end of the file");
        truncated_ = true;
        return;
      }
      if (peek() == '*' && peek(1) == '/') {
        advance();
        advance();
        break;
      }
      advance();
    }
    if (doc) {
      std::string_view body = src_.substr(begin + 3, pos_ - begin - 5);
      doc_ = clean_doc_comment(body);
      pending_doc_ = true;
    }
  }

  // Lex one token starting at pos_ into t; false when nothing usable was produced.
  bool lex_token(Token& t) {
    char c = peek();
    if (is_alpha(c)) {
      std::size_t begin = pos_;
      while (!at_end() && (is_word_char(peek()) || (peek() == '.' && is_word_char(peek(1))))) advance();
      t.kind = Tok::Ident;
      t.text = std::string(src_.substr(begin, pos_ - begin));
      return true;
    }
    if (is_digit(c) || ((c == '+' || c == '-') && (is_digit(peek(1)) || (peek(1) == '.' && is_digit(peek(2))))) ||
        (c == '.' && is_digit(peek(1))))
      return lex_number(t);
    if (c == '"' || c == '\'') return lex_string(t);
    static constexpr std::string_view punct = "{}[]()<>,;:=*&";
    if (punct.find(c) != std::string_view::npos) {
      t.kind = Tok::Punct;
      t.text = std::string(1, c);
      advance();
      return true;
    }
    diags_.syntax_error(here(), "unexpected character " + describe_char(c));
    advance();
    // Skip the rest of a UTF-8 sequence so one character gives one error.
    while (!at_end() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) advance();
    return false;
  }

  bool lex_number(Token& t) {
    Location start = here();
    std::size_t begin = pos_;
    bool negative = false;
    if (peek() == '+' || peek() == '-') {
      negative = peek() == '-';
      advance();
    }
    bool is_double = false;
    bool hex = false;
    std::size_t digits_begin = pos_;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X') && is_hex(peek(2))) {
      hex = true;
      advance();
      advance();
      digits_begin = pos_;
      while (!at_end() && is_hex(peek())) advance();
    } else {
      while (!at_end() && is_digit(peek())) advance();
      if (peek() == '.' && is_digit(peek(1))) {
        is_double = true;
        advance();
        while (!at_end() && is_digit(peek())) advance();
      }
      if ((peek() == 'e' || peek() == 'E') &&
          (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
        is_double = true;
        advance();
        if (peek() == '+' || peek() == '-') advance();
        while (!at_end() && is_digit(peek())) advance();
      }
    }
    std::size_t digits_end = pos_;
    bool bad = false;
    while (!at_end() && (is_word_char(peek()) || peek() == '.')) {
      bad = true;
      advance();
    }
    t.text = std::string(src_.substr(begin, pos_ - begin));
    if (bad) {
      diags_.syntax_error(start, "invalid number '" + t.text + "'");
      t.kind = Tok::Int;
      return true;
    }
    if (is_double) {
      t.kind = Tok::Double;
      std::string_view s = src_.substr(digits_begin, digits_end - digits_begin);
      double v = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) {
        diags_.syntax_error(start, "floating-point constant " + t.text + " is out of range for double");
        v = 0;
      }
      t.real = negative ? -v : v;
      return true;
    }
    t.kind = Tok::Int;
    std::string_view s = src_.substr(digits_begin, digits_end - digits_begin);
    std::uint64_t u = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), u, hex ? 16 : 10);
    constexpr std::uint64_t max_pos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (r.ec != std::errc{} || u > max_pos + (negative ? 1 : 0)) {
      diags_.syntax_error(start, "integer constant " + t.text + " is out of range for i64");
      u = 0;
    }
    // Modular conversion (well-defined since C++20) gives -2^63 for "-0x8000000000000000".
    t.integer = negative ? static_cast<std::int64_t>(~u + 1) : static_cast<std::int64_t>(u);
    return true;
  }

  bool lex_string(Token& t) {
    Location start = here();
    char quote = peek();
    advance();
    std::string value;
    for (;;) {
      if (at_end()) {
        diags_.syntax_error(start, std::string("unterminated string literal: expected closing ") +
                                       (quote == '"' ? "'\"'" : "\"'\"") + " before the end of the file");
        truncated_ = true;
        return false;
      }
      char c = peek();
      if (c == quote) {
        advance();
        break;
      }
      if (c == '\\') {
        Location esc = here();
        advance();
        if (at_end()) continue;
        char e = peek();
        switch (e) {
          case 'n': value += '\n'; break;
          case 'r': value += '\r'; break;
          case 't': value += '\t'; break;
          case '\\': value += '\\'; break;
          case '"': value += '"'; break;
          case '\'': value += '\''; break;
          default:
            diags_.syntax_error(esc, std::string("unknown escape sequence '\\") + e +
                                         "' in string literal (expected \\\" \\' \\\\ \\n \\r or \\t)");
            value += e;
        }
        advance();
        continue;
      }
      value += c;
      advance();
    }
    t.kind = Tok::String;
    t.text = std::move(value);
    return true;
  }

  std::string_view src_;
  const std::string& file_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  bool pending_doc_ = false;
  bool truncated_ = false;
  std::string doc_;
};

std::string_view rstrip(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<Token> tokenize(std::string_view src, const std::string& file, Diagnostics& diags) {
  return Lexer(src, file, diags).run();
}

std::string clean_doc_comment(std::string_view body) {
  while (!body.empty() && body.back() == '*') body.remove_suffix(1);  // "**/" endings
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (;;) {
    std::size_t nl = body.find('\n', start);
    std::string_view line = body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    line = rstrip(line);
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '*') line.remove_prefix(i + 1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; };
  // Text on the `/**` line itself starts after the marker: its indentation means nothing.
  if (!lines.empty() && !blank(lines.front())) lines.front().erase(0, lines.front().find_first_not_of(" \t"));
  while (!lines.empty() && blank(lines.front())) lines.erase(lines.begin());
  while (!lines.empty() && blank(lines.back())) lines.pop_back();
  // The common indentation of the other lines goes (the first line keeps its own when the
  // comment starts on a line of its own).
  bool first_on_marker_line = !body.empty() && body.front() != '\n' && !blank(std::string(body.substr(0, body.find('\n'))));
  std::size_t indent = std::string::npos;
  for (std::size_t i = first_on_marker_line ? 1 : 0; i < lines.size(); ++i)
    if (!blank(lines[i])) indent = std::min(indent, lines[i].find_first_not_of(" \t"));
  if (indent == std::string::npos) indent = 0;
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    if (blank(lines[i])) continue;
    out += (i == 0 && first_on_marker_line) ? lines[i] : lines[i].substr(std::min(indent, lines[i].find_first_not_of(" \t")));
  }
  return out;
}

}  // namespace corothrift::idl::detail
