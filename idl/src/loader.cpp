// load_file / load_string / load_memory: parse a file, load its includes (each file once, cycles
// reported), then resolve names and check the whole schema.
#include "corothrift/idl/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>

#include "checker.hpp"
#include "diagnostics.hpp"
#include "parser.hpp"

namespace corothrift::idl {

namespace {

std::string join_errors(const std::vector<Diagnostic>& errors) {
  std::string out;
  for (const Diagnostic& e : errors) {
    if (!out.empty()) out += '\n';
    out += e.loc.file + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.column) + ": error: " + e.message;
  }
  return out;
}

}  // namespace

IdlError::IdlError(std::vector<Diagnostic> errors) : std::runtime_error(join_errors(errors)), errors_(std::move(errors)) {}

namespace detail {
namespace {

namespace fs = std::filesystem;

bool read_file(const std::string& path, std::string& text, std::string& why) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    why = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = fs::exists(path, ec) ? "permission denied or unreadable" : "no such file";
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    why = "read error";
    return false;
  }
  text = std::move(buf).str();
  return true;
}

// Identity of a file for "load once" and cycle detection.
std::string file_key(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  if (ec) p = fs::absolute(fs::path(path), ec).lexically_normal();
  return p.string();
}

// Files in the order they were first reported; within a file, by line and column.
std::vector<Diagnostic> in_source_order(std::vector<Diagnostic> errors) {
  std::map<std::string, std::size_t> file_rank;
  for (const Diagnostic& e : errors) file_rank.emplace(e.loc.file, file_rank.size());
  std::stable_sort(errors.begin(), errors.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(file_rank[a.loc.file], a.loc.line, a.loc.column) <
           std::tuple(file_rank[b.loc.file], b.loc.line, b.loc.column);
  });
  return errors;
}

class Loader {
 public:
  explicit Loader(const LoadOptions& options) : options_(options) {}
  /// In-memory mode: includes come from `files` (name as written -> text), never from disk.
  Loader(const LoadOptions& options, const std::map<std::string, std::string>& files)
      : options_(options), memory_(&files) {}

  Schema load_root(const std::string& path, const std::string* text) {
    std::string content;
    if (text) {
      content = *text;
    } else {
      std::string why;
      if (!read_file(path, content, why)) {
        diags_.syntax_error(Location{path, 1, 1}, "cannot open file '" + path + "': " + why);
        throw IdlError(std::move(diags_.errors));
      }
    }
    load(path, content, memory_ ? path : file_key(path));
    if (diags_.syntax_errors == 0) check_schema(schema_, extends_locs_, diags_);
    if (!diags_.errors.empty()) throw IdlError(in_source_order(std::move(diags_.errors)));
    schema_.root = schema_.programs.back().get();
    schema_.warnings = std::move(diags_.warnings);
    return std::move(schema_);
  }

 private:
  struct Active {
    std::string key;
    std::string path;
  };

  const Program* load(const std::string& path, const std::string& text, const std::string& key) {
    active_.push_back(Active{key, path});
    ParsedFile parsed = parse_program(text, path, diags_);
    Program& prog = *parsed.program;
    for (std::size_t i = 0; i < prog.includes.size(); ++i)
      prog.included.push_back(load_include(prog, prog.includes[i], parsed.include_locs[i]));
    active_.pop_back();
    const Program* p = parsed.program.get();
    extends_locs_[p] = std::move(parsed.extends_locs);
    schema_.programs.push_back(std::move(parsed.program));
    loaded_[key] = p;
    return p;
  }

  const Program* load_include(const Program& from, const std::string& name, const Location& at) {
    if (memory_) return load_memory_include(from, name, at);
    fs::path inc(name);
    std::vector<std::string> tried;
    std::string found;
    std::error_code ec;
    auto try_path = [&](const fs::path& candidate) {
      tried.push_back(candidate.string());
      if (found.empty() && fs::is_regular_file(candidate, ec)) found = candidate.string();
    };
    if (inc.is_absolute()) {
      try_path(inc);
    } else {
      try_path(fs::path(from.path).parent_path() / inc);
      for (const std::string& dir : options_.include_dirs)
        if (found.empty()) try_path(fs::path(dir) / inc);
    }
    if (found.empty()) {
      std::string list;
      for (const std::string& t : tried) list += (list.empty() ? "" : ", ") + t;
      diags_.syntax_error(at, "included file '" + name + "' not found (looked for " + list + ")");
      return nullptr;
    }
    return finish_include(from, found, file_key(found), at);
  }

  // In-memory mode: the name as written is both the file's path and its identity.
  const Program* load_memory_include(const Program& from, const std::string& name, const Location& at) {
    if (name != active_.front().path && memory_->find(name) == memory_->end()) {
      diags_.syntax_error(at, "included file '" + name + "' not found (in memory)");
      return nullptr;
    }
    return finish_include(from, name, name, at);
  }

  // Cycle check, load once, and the check for two includes with the same program name.
  const Program* finish_include(const Program& from, const std::string& found, const std::string& key,
                                const Location& at) {
    for (std::size_t i = 0; i < active_.size(); ++i) {
      if (active_[i].key != key) continue;
      std::string chain;
      for (std::size_t j = i; j < active_.size(); ++j) chain += active_[j].path + " -> ";
      chain += active_[i].path;
      diags_.syntax_error(at, "include cycle: " + chain);
      return nullptr;
    }
    const Program* p = nullptr;
    if (auto it = loaded_.find(key); it != loaded_.end()) {
      p = it->second;
    } else if (memory_) {
      auto it = memory_->find(found);
      if (it == memory_->end()) {  // only the root is missing from `files`, and it is active
        diags_.syntax_error(at, "included file '" + found + "' not found (in memory)");
        return nullptr;
      }
      p = load(found, it->second, key);
    } else {
      std::string text, why;
      if (!read_file(found, text, why)) {
        diags_.syntax_error(at, "cannot read included file '" + found + "': " + why);
        return nullptr;
      }
      p = load(found, text, key);
    }
    for (const Program* other : from.included)
      if (other && other != p && other->name == p->name)
        diags_.syntax_error(at, "included files '" + other->path + "' and '" + p->path + "' are both named '" +
                                    p->name + "', so '" + p->name + ".Name' would be ambiguous");
    return p;
  }

  const LoadOptions& options_;
  const std::map<std::string, std::string>* memory_ = nullptr;
  Diagnostics diags_;
  Schema schema_;
  std::vector<Active> active_;
  std::map<std::string, const Program*> loaded_;
  std::map<const Program*, std::vector<Location>> extends_locs_;
};

}  // namespace
}  // namespace detail

Schema load_file(const std::string& path, const LoadOptions& options) {
  return detail::Loader(options).load_root(path, nullptr);
}

Schema load_string(std::string_view text, const std::string& path, const LoadOptions& options) {
  std::string content(text);
  return detail::Loader(options).load_root(path, &content);
}

Schema load_memory(std::string_view text, const std::string& path, const std::map<std::string, std::string>& files) {
  LoadOptions options;
  std::string content(text);
  return detail::Loader(options, files).load_root(path, &content);
}

}  // namespace corothrift::idl
