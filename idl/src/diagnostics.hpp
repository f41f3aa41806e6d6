// Private: where the lexer, parser and checker put their errors and warnings. A message is
// bare ("duplicate field id 1 in struct A ..."): IdlError::what() adds "file:line:col: error: ".
#pragma once

#include <string>
#include <vector>

#include "corothrift/idl/ast.hpp"

namespace corothrift::idl::detail {

struct Diagnostics {
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  int syntax_errors = 0;  ///< errors that leave the model incomplete (names are not resolved then)

  void error(const Location& loc, const std::string& message) {
    errors.push_back(Diagnostic{loc, message});
  }
  void syntax_error(const Location& loc, const std::string& message) {
    ++syntax_errors;
    error(loc, message);
  }
  void warning(const Location& loc, const std::string& message) {
    warnings.push_back(Diagnostic{loc, message});
  }
};

}  // namespace corothrift::idl::detail
