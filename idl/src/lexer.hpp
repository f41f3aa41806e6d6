// Private: the Thrift IDL tokenizer. Keywords are not tokens of their own: every word is an
// Ident and the parser decides by position (real files use `i8`, `list`, ... as field names).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"

namespace corothrift::idl::detail {

enum class Tok { End, Ident, Int, Double, String, Punct };

struct Token {
  Tok kind = Tok::End;
  std::string text;        ///< Ident: the word; String: unescaped value; Punct: the character;
                           ///< Int/Double: the spelling as written
  std::int64_t integer = 0;
  double real = 0;
  int line = 0;
  int column = 0;
  bool has_doc = false;    ///< a /** */ comment came after the previous token
  std::string doc;         ///< its cleaned-up text
  bool truncated = false;  ///< End: the file ended inside a string or comment (already reported)
  bool is_punct(char c) const { return kind == Tok::Punct && text.size() == 1 && text[0] == c; }
  bool is_word(std::string_view w) const { return kind == Tok::Ident && text == w; }
};

/// Split `src` into tokens (the last one is Tok::End). Lexical errors go to `diags` (as
/// syntax errors); the lexer skips the offending characters and carries on.
std::vector<Token> tokenize(std::string_view src, const std::string& file, Diagnostics& diags);

/// Clean up the inside of a /** ... */ comment: leading `*`s, common indentation and blank
/// first/last lines go; the remaining lines are joined with '\n'.
std::string clean_doc_comment(std::string_view body);

}  // namespace corothrift::idl::detail
