// corothrift/idl/loader.hpp — parse a Thrift IDL file and everything it includes into a
// Schema, with names resolved and semantic checks done. Errors name file:line:col.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "corothrift/idl/ast.hpp"

namespace corothrift::idl {

struct LoadOptions {
  /// Directories searched for `include "x.thrift"` after the including file's own directory.
  std::vector<std::string> include_dirs;
};

/// Thrown when a file cannot be loaded; carries every error found (at least one), each
/// with its location, and what() is them joined by newlines ("f.thrift:3:7: error: ...").
class IdlError : public std::runtime_error {
 public:
  explicit IdlError(std::vector<Diagnostic> errors);
  const std::vector<Diagnostic>& errors() const noexcept { return errors_; }

 private:
  std::vector<Diagnostic> errors_;
};

/// Load `path` and its includes.
Schema load_file(const std::string& path, const LoadOptions& options = {});

/// Load IDL text given in memory, as if it were the file `path` (includes are resolved
/// relative to `path`'s directory and options.include_dirs). For tests and tools.
Schema load_string(std::string_view text, const std::string& path, const LoadOptions& options = {});

/// Load IDL text given in memory, reading nothing from disk: `include "x"` is looked up in
/// `files` by the name exactly as written (no directory search; `path` itself names the
/// root, so including it is a cycle). For fuzzing and tools that hold their sources in memory.
Schema load_memory(std::string_view text, const std::string& path, const std::map<std::string, std::string>& files);

}  // namespace corothrift::idl
