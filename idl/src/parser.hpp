// Private: Thrift IDL text -> Program (names not yet resolved).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corothrift/idl/ast.hpp"
#include "diagnostics.hpp"

namespace corothrift::idl::detail {

struct ParsedFile {
  std::unique_ptr<Program> program;
  std::vector<Location> include_locs;  ///< where each of program->includes was written
  std::vector<Location> extends_locs;  ///< where each service's `extends` name was written
};

/// Parse one file. Syntax errors (with recovery at the next definition that starts a line) and
/// the checks that need no other definition (ids, duplicates, enum ranges, oneway) go to diags.
ParsedFile parse_program(std::string_view text, const std::string& path, Diagnostics& diags);

}  // namespace corothrift::idl::detail
