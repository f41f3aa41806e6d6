// fuzz_idl: the IDL lexer, parser, loader and checker on arbitrary text, in memory
// (corothrift::idl::load_memory: nothing is read from or written to disk).
//
// Input: the root file "fuzz.thrift", optionally followed by up to three more files, each
// after a NUL byte and starting with its name on the first line:
//     <root text> \0 <name>\n<text> \0 <name>\n<text> ...
// so that `include "<name>"` (and include cycles) can be exercised.
//
// Checks, besides "no crash, no hang, no leak, no stack exhaustion":
//  - the only exception is IdlError, with at least one error, each naming one of the files
//    with a line and column inside it (line 1..lines+1, column >= 1);
//  - after a successful load every named type, service base and include is resolved, and
//    no type goes through more typedefs than the checker follows.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "corothrift/idl/loader.hpp"

namespace {

using namespace corothrift::idl;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz check failed: %s\n%s\n", what, detail.c_str());
  std::abort();
}

const char* const kRoot = "fuzz.thrift";

void check_type(const Type& t) {
  switch (t.kind) {
    case Type::Kind::Base: return;
    case Type::Kind::List:
    case Type::Kind::Set:
      if (!t.elem) fail("container type without element type");
      check_type(*t.elem);
      return;
    case Type::Kind::Map:
      if (!t.elem || !t.value) fail("map type without key or value type");
      check_type(*t.elem);
      check_type(*t.value);
      return;
    case Type::Kind::Named: {
      if (std::holds_alternative<std::monostate>(t.target)) fail("named type left unresolved", t.name);
      if (!t.target_program) fail("named type without its program", t.name);
      // The checker follows at most 255 typedefs (longer chains are errors): every type of a
      // loaded schema must reach a non-typedef within that, or its values went unchecked.
      const Type* cur = &t;
      for (int hops = 0; cur->kind == Type::Kind::Named; ++hops) {
        auto* td = std::get_if<const Typedef*>(&cur->target);
        if (!td) break;
        if (hops == 255) fail("a type goes through more than 255 typedefs", t.name);
        cur = (*td)->type.get();
      }
      return;
    }
  }
}

void check_fields(const std::vector<Field>& fields) {
  for (const Field& f : fields) {
    if (!f.type) fail("field without type", f.name);
    check_type(*f.type);
  }
}

void check_schema(const Schema& s, const std::map<std::string, std::size_t>& lines) {
  if (!s.root || s.programs.empty() || s.root != s.programs.back().get()) fail("root is not the last program");
  if (s.root->path != kRoot) fail("root has another path", s.root->path);
  for (const auto& p : s.programs) {
    if (!lines.count(p->path)) fail("a program from no given file", p->path);
    if (p->included.size() != p->includes.size()) fail("includes and included differ in number");
    for (const Program* inc : p->included)
      if (!inc) fail("an include left unresolved");
    for (const Typedef& t : p->typedefs) check_type(*t.type);
    for (const Const& c : p->consts) check_type(*c.type);
    for (const Struct& st : p->structs) check_fields(st.fields);
    for (const Service& sv : p->services) {
      if (!sv.extends.empty() && !sv.base) fail("service base left unresolved", sv.extends);
      for (const Function& f : sv.functions) {
        check_type(*f.return_type);
        check_fields(f.args);
        check_fields(f.throws);
      }
    }
  }
  for (const Diagnostic& w : s.warnings) {
    auto it = lines.find(w.loc.file);
    if (it == lines.end()) fail("a warning names no given file", w.to_string());
    if (w.loc.line < 1 || static_cast<std::size_t>(w.loc.line) > it->second + 1 || w.loc.column < 1)
      fail("a warning's location is outside its file", w.to_string());
  }
}

void load(std::string_view root, const std::map<std::string, std::string>& files,
          const std::map<std::string, std::size_t>& lines) {
  try {
    Schema s = load_memory(root, kRoot, files);
    check_schema(s, lines);
  } catch (const IdlError& e) {
    if (e.errors().empty()) fail("IdlError without errors");
    for (const Diagnostic& d : e.errors()) {
      auto it = lines.find(d.loc.file);
      if (it == lines.end()) fail("an error names no given file", d.to_string());
      if (d.loc.line < 1 || static_cast<std::size_t>(d.loc.line) > it->second + 1 || d.loc.column < 1)
        fail("an error's location is outside its file", d.to_string());
    }
    if (std::string_view(e.what()).empty()) fail("IdlError with an empty message");
  }
}

std::size_t count_lines(std::string_view text) {
  std::size_t n = 1;
  for (char c : text)
    if (c == '\n') ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  for (;;) {
    std::size_t nul = in.find('\0');
    if (nul == std::string_view::npos || parts.size() == 3) {
      parts.push_back(in);
      break;
    }
    parts.push_back(in.substr(0, nul));
    in.remove_prefix(nul + 1);
  }
  std::map<std::string, std::string> files;
  std::map<std::string, std::size_t> lines{{kRoot, count_lines(parts[0])}};
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    std::size_t nl = part.find('\n');
    if (nl == std::string_view::npos) continue;
    std::string name(part.substr(0, nl));
    if (name == kRoot || files.count(name)) continue;
    std::string_view text = part.substr(nl + 1);
    lines[name] = count_lines(text);
    files.emplace(std::move(name), std::string(text));
  }
  load(parts[0], files, lines);
  return 0;
}
