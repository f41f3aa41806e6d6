// Helpers shared by the IDL parser tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "corothrift/idl/loader.hpp"

namespace idltest {

using namespace corothrift::idl;

/// The element of `v` named `name` (throws, failing the test, when there is none).
template <class T>
const T& named(const std::vector<T>& v, std::string_view name) {
  for (const T& x : v)
    if (x.name == name) return x;
  throw std::runtime_error("no element named '" + std::string(name) + "'");
}

inline const Field& field(const Struct& s, std::string_view name) { return named(s.fields, name); }

inline const Program& program_named(const Schema& s, std::string_view name) {
  for (const auto& p : s.programs)
    if (p->name == name) return *p;
  throw std::runtime_error("no program named '" + std::string(name) + "'");
}

template <class T>
const T* target(const Type& t) {
  auto* p = std::get_if<const T*>(&t.target);
  return p ? *p : nullptr;
}

inline std::string annotation(const Annotations& a, const std::string& key) {
  const Annotation* x = find_annotation(a, key);
  return x ? x->value : "<none>";
}

/// The full IdlError text for `text` loaded as "bad.thrift", or "<no error>".
inline std::string error_of(std::string_view text, const LoadOptions& options = {}) {
  try {
    load_string(text, "bad.thrift", options);
  } catch (const IdlError& e) {
    return e.what();
  }
  return "<no error>";
}

/// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("corothrift-idl-" + tag + "-" + std::to_string(std::random_device{}()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// Write `text` to `name` (relative; directories are created) and return its path.
  std::string write(const std::string& name, std::string_view text) const {
    std::filesystem::path p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace idltest
