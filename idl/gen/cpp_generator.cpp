#include "cpp_generator.hpp"

#include "corothrift/idl/struct_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace corothrift::gen {
namespace {

using namespace corothrift::idl;

const std::set<std::string>& cpp_keywords() {
  static const std::set<std::string> k = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
      "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
      "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
      "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
      "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
      "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // names that would clash with what the generated code itself uses
      "std", "corothrift", "NULL", "EOF", "errno", "assert", "stdin", "stdout", "stderr", "major", "minor",
      "unix", "linux", "BIG_ENDIAN", "LITTLE_ENDIAN", "BYTE_ORDER", "PAGE_SIZE", "__restrict",
      // the functions generated beside every enum
      "to_string", "from_string",
      // macros of the C and C++ standard headers the generated code includes
      "INT8_MIN", "INT8_MAX", "INT16_MIN", "INT16_MAX", "INT32_MIN", "INT32_MAX", "INT64_MIN", "INT64_MAX",
      "UINT8_MAX", "UINT16_MAX", "UINT32_MAX", "UINT64_MAX", "SIZE_MAX", "PTRDIFF_MIN", "PTRDIFF_MAX",
      "INTPTR_MIN", "INTPTR_MAX", "UINTPTR_MAX", "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX", "WCHAR_MIN",
      "WCHAR_MAX", "WINT_MIN", "WINT_MAX", "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX", "CHAR_BIT", "CHAR_MIN",
      "CHAR_MAX", "SCHAR_MIN", "SCHAR_MAX", "UCHAR_MAX", "SHRT_MIN", "SHRT_MAX", "USHRT_MAX", "INT_MIN",
      "INT_MAX", "UINT_MAX", "LONG_MIN", "LONG_MAX", "ULONG_MAX", "LLONG_MIN", "LLONG_MAX", "ULLONG_MAX",
      "EXIT_SUCCESS", "EXIT_FAILURE", "BUFSIZ", "RAND_MAX", "SEEK_SET", "SEEK_CUR", "SEEK_END", "EDOM",
      "ERANGE", "EILSEQ", "EINVAL", "ENOMEM", "EAGAIN", "L_tmpnam", "TMP_MAX", "FILENAME_MAX",
      "FOPEN_MAX", "CLOCKS_PER_SEC", "MB_LEN_MAX", "offsetof", "setjmp", "va_arg", "va_start", "va_end", "i386"};
  return k;
}

/// A C++ identifier for an IDL name: keywords, the names of standard macros and names the
/// implementation reserves (`__x`, `_X`: compilers predefine macros such as `__LINE__`)
/// get a trailing underscore.
std::string escape(const std::string& id) {
  bool reserved = id.size() >= 2 && id[0] == '_' && (id[1] == '_' || (id[1] >= 'A' && id[1] <= 'Z'));
  return reserved || cpp_keywords().count(id) ? id + "_" : id;
}

/// A C++ string literal for `s` (escapes everything outside printable ASCII).
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string int_literal(std::int64_t v) {
  if (v == INT64_MIN) return "(-9223372036854775807LL - 1)";
  return std::to_string(v) + (v > 2147483647LL || v < -2147483647LL ? "LL" : "");
}

std::string double_literal(double d) {
  if (std::isnan(d)) return "std::numeric_limits<double>::quiet_NaN()";
  if (std::isinf(d)) return d > 0 ? "std::numeric_limits<double>::infinity()" : "-std::numeric_limits<double>::infinity()";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

/// Doc comment lines as `/// ...` at `indent`.
std::string doc_comment(const std::string& doc, const std::string& indent) {
  if (doc.empty()) return {};
  std::string out;
  std::istringstream in(doc);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    out += indent + "///" + (line.empty() ? "" : " " + line) + "\n";
  }
  return out;
}

class Generator {
 public:
  Generator(const Schema& schema, const Program& program, const CppOptions& options)
      : schema_(schema), prog_(program), opt_(options) {}

  std::string selftest() {
    plan_structs();
    std::ostringstream t;
    t << "// Generated by corothrift-gen --selftest from " << prog_.name << ".thrift.\n";
    t << "// Every type: a default instance round-trips through encode/decode. Run with a directory\n"
      << "// DIR, also: DIR/<type>.bin, when there, decodes and re-encodes to the same bytes, and\n"
      << "// DIR/<type>.default.bin, when there, is the encoding of a default instance (files the\n"
      << "// runtime codec writes, tests/dynamic/dyn_sample.cpp).\n";
    t << "#include <cstddef>\n#include <cstdio>\n#include <span>\n#include <string>\n#include <vector>\n\n#include \"" << header_name(prog_)
      << "\"\n\n";
    t << "static const char* dir = nullptr;\nstatic int files = 0;\n\n";
    t << "[[maybe_unused]] static bool read_file(const char* name, const char* suffix, std::vector<std::byte>& out) {\n"
      << "  std::string path = std::string(dir) + \"/\" + name + suffix;\n"
      << "  std::FILE* f = std::fopen(path.c_str(), \"rb\");\n  if (!f) return false;\n"
      << "  unsigned char buf[4096];\n  std::size_t n;\n"
      << "  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)\n"
      << "    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::byte>(buf[i]));\n"
      << "  std::fclose(f);\n  ++files;\n  return true;\n}\n\n";
    t << "/// Where `a` and `b` first differ; -1 when they are the same bytes.\n"
      << "[[maybe_unused]] static long differ(std::span<const std::byte> a, std::span<const std::byte> b) {\n"
      << "  std::size_t n = a.size() < b.size() ? a.size() : b.size();\n"
      << "  for (std::size_t i = 0; i < n; ++i)\n    if (a[i] != b[i]) return static_cast<long>(i);\n"
      << "  return a.size() == b.size() ? -1 : static_cast<long>(n);\n}\n\n";
    t << "template <class T>\nstatic int check(const char* name) {\n"
      << "  T v{};\n  corothrift::BinaryWriter w;\n"
      << "  if (corothrift::encode(w, v)) { std::printf(\"%s: encode failed\\n\", name); return 1; }\n"
      << "  if (w.size() != corothrift::encoded_size(v)) { std::printf(\"%s: size mismatch\\n\", name); return 1; }\n"
      << "  T back{};\n  corothrift::Error e = corothrift::decode_into(w.view(), back);\n"
      << "  if (e || !(back == v)) { std::printf(\"%s: round trip failed: %s\\n\", name, corothrift::describe(e).c_str()); return 1; }\n"
      << "  if (!dir) return 0;\n"
      << "  std::vector<std::byte> in;\n"
      << "  if (read_file(name, \".default.bin\", in)) {  // (compared as decoded: sets and maps sort)\n"
      << "    T d{};\n    corothrift::BinaryWriter canon;\n"
      << "    if ((e = corothrift::decode_into(in, d)) || corothrift::encode(canon, d) || differ(canon.view(), w.view()) >= 0) {\n"
      << "      std::printf(\"%s: %s.default.bin does not hold the defaults (%s; %zu bytes, a default instance %zu; first difference at byte %ld)\\n\",\n"
      << "                  name, name, corothrift::describe(e).c_str(), canon.size(), w.size(), differ(canon.view(), w.view()));\n"
      << "      return 1;\n    }\n  }\n"
      << "  in.clear();\n"
      << "  if (!read_file(name, \".bin\", in)) return 0;\n"
      << "  T x{};\n  e = corothrift::decode_into(in, x);\n"
      << "  if (e) { std::printf(\"%s: %s.bin does not decode: %s\\n\", name, name, corothrift::describe(e).c_str()); return 1; }\n"
      << "  corothrift::BinaryWriter again;\n"
      << "  if (corothrift::encode(again, x)) { std::printf(\"%s: %s.bin decoded does not encode\\n\", name, name); return 1; }\n"
      << "  if (differ(again.view(), in) >= 0) {\n"
      << "    std::printf(\"%s: %s.bin (%zu bytes) re-encodes to %zu bytes, first difference at byte %ld\\n\",\n"
      << "                name, name, in.size(), again.size(), differ(again.view(), in));\n"
      << "    return 1;\n  }\n"
      << "  return 0;\n}\n\n";
    t << "int main(int argc, char** argv) {\n  if (argc > 1) dir = argv[1];\n  int failures = 0, n = 0;\n";
    auto one = [&](const std::string& cpp, const std::string& idl) {
      t << "  failures += check<" << cpp << ">(" << quote(idl) << ");\n  ++n;\n";
    };
    for (const Struct* s : order()) one(qual(&prog_, s->name), s->name);
    for (const Service& sv : prog_.services)
      for (const Function& fn : sv.functions) {
        one(qual(&prog_, args_name(sv, fn)), args_name(sv, fn));
        one(qual(&prog_, result_name(sv, fn)), result_name(sv, fn));
      }
    t << "  std::printf(\"" << prog_.name << ": %d of %d types round-trip\", n - failures, n);\n";
    t << "  if (dir) std::printf(\"; %d dynamic encodings checked\", files);\n";
    t << "  std::printf(\"\\n\");\n";
    t << "  return failures ? 1 : 0;\n}\n";
    return t.str();
  }

  /// "<name>_rpc.hpp": per service a handler interface (coroutines to implement), the
  /// client stub (Client<S> methods) and the server dispatch (ServiceTraits<S>).
  std::string rpc() {
    plan_structs();
    out_ << "// Generated by corothrift-gen --rpc from " << prog_.name << ".thrift. Do not edit.\n";
    out_ << "// The RPC side of " << header_name(prog_) << ": handler interfaces, client stubs and\n"
         << "// server dispatch, on corothrift's coroutine client/server (standalone Asio).\n";
    out_ << "#pragma once\n\n#include <string_view>\n#include <utility>\n\n";
    out_ << "#include <corothrift/rpc.hpp>\n\n";
    out_ << "#include \"" << header_name(prog_) << "\"\n";
    std::set<const Program*> bases;
    for (const Service& sv : prog_.services)
      if (sv.base && sv.base_program && sv.base_program != &prog_) bases.insert(sv.base_program);
    for (const Program* b : bases) out_ << "#include \"" << rpc_header_name(*b) << "\"\n";
    out_ << "\n";
    open_namespace();
    for (const Service& sv : prog_.services) handler_interface(sv);
    close_namespace();
    out_ << "namespace corothrift {\n\n";
    for (const Service& sv : prog_.services) {
      client_stub(sv);
      service_traits(sv);
    }
    out_ << "}  // namespace corothrift\n";
    return out_.str();
  }

  std::string run() {
    plan_structs();
    open_namespace();
    forward_declarations();
    enums();
    senums_and_typedefs();
    constants(false);
    structs();
    services_types();
    close_namespace();
    codecs();
    open_namespace();
    constants(true);
    service_tables();
    close_namespace();
    std::string body = out_.str();
    out_.str({});
    header();  // after the body: it knows which container headers the body needs
    return out_.str() + body;
  }

 private:
  // ---- names -------------------------------------------------------------------------------
  std::string ns_of(const Program& p) const {
    std::string ns = (&p == schema_.root && !opt_.namespace_override.empty()) ? opt_.namespace_override : p.namespace_for("cpp");
    std::string out;
    std::size_t start = 0;
    while (start <= ns.size() && !ns.empty()) {
      std::size_t dot = ns.find_first_of(".:", start);
      std::string part = ns.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!part.empty()) out += (out.empty() ? "" : "::") + escape(part);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return out;
  }
  std::string qual(const Program* p, const std::string& name) const {
    std::string ns = ns_of(p ? *p : prog_);
    return ns.empty() ? "::" + escape(name) : "::" + ns + "::" + escape(name);
  }

  /// C++ type for an IDL type.
  std::string type(const Type& t) const {
    if (!t.cpp_type.empty() && t.kind != Type::Kind::Named) return t.cpp_type;  // `cpp_type "..."`
    switch (t.kind) {
      case Type::Kind::Base:
        switch (t.base) {
          case BaseType::Void: return "void";
          case BaseType::Bool: return "bool";
          case BaseType::I8: return "std::int8_t";
          case BaseType::I16: return "std::int16_t";
          case BaseType::I32: return "std::int32_t";
          case BaseType::I64: return "std::int64_t";
          case BaseType::Double: return "double";
          case BaseType::String:
          case BaseType::Binary: return "std::string";
          case BaseType::Uuid: return "::corothrift::Uuid";
        }
        return "void";
      case Type::Kind::List: return container(t, "std::vector") + "<" + type(*t.elem) + ">";
      case Type::Kind::Set: check_key(*t.elem, t); return container(t, "std::set") + "<" + type(*t.elem) + ">";
      case Type::Kind::Map: check_key(*t.elem, t); return container(t, "std::map") + "<" + type(*t.elem) + ", " + type(*t.value) + ">";
      case Type::Kind::Named:
        if (auto* td = std::get_if<const Typedef*>(&t.target)) return qual(t.target_program, (*td)->name);
        if (auto* e = std::get_if<const Enum*>(&t.target)) return qual(t.target_program, (*e)->name);
        if (std::get_if<const Senum*>(&t.target)) return "std::string";
        if (auto* s = std::get_if<const Struct*>(&t.target)) return qual(t.target_program, (*s)->name);
        throw std::runtime_error("unresolved type " + t.name);
    }
    return "void";
  }

  /// A struct used as a set element or map key needs an ordering; one that holds a
  /// reference (recursive) field has none, so say so instead of writing a header that
  /// does not compile.
  void check_key(const Type& key, const Type& where) const {
    const Struct* st = as_struct(key);
    if (!st || find_annotation(where.annotations, "cpp.template")) return;
    bool has_ref = false;
    std::set<const Struct*> seen;
    std::function<void(const Struct&)> walk = [&](const Struct& x) {
      if (!seen.insert(&x).second) return;
      for (const Field& f : x.fields) {
        if (held_by_reference(x, f)) has_ref = true;
        if (const Struct* y = as_struct(*f.type)) walk(*y);
      }
    };
    walk(*st);
    if (has_ref)
      throw std::runtime_error(where.loc.file + ":" + std::to_string(where.loc.line) + ":" + std::to_string(where.loc.column) +
                               ": error: struct " + st->name + " is a set element or map key but holds a reference (&) field, "
                               "which has no ordering; use a list, or a key without references");
  }

  /// The container template for a list/set/map: `cpp.template` when given (std::deque,
  /// std::list, std::unordered_map, ...), else the default. The header of a standard one
  /// is included.
  std::string container(const Type& t, const char* fallback) const {
    const Annotation* a = find_annotation(t.annotations, "cpp.template");
    if (!a || a->value.empty()) return fallback;
    static const std::map<std::string, std::string> headers = {
        {"std::vector", "vector"}, {"std::deque", "deque"}, {"std::list", "list"},
        {"std::set", "set"}, {"std::multiset", "set"}, {"std::unordered_set", "unordered_set"},
        {"std::map", "map"}, {"std::unordered_map", "unordered_map"}};
    if (auto it = headers.find(a->value); it != headers.end()) extra_headers_.insert(it->second);
    return a->value;
  }

  bool is_ref(const Struct& s, const Field& f) const { return layout().by_reference(s, f); }
  /// is_ref() for a struct of any file: in the layout of the file that defines it.
  bool held_by_reference(const Struct& s, const Field& f) const {
    if (layout_ && layout_->defines(s)) return layout_->by_reference(s, f);
    for (const auto& p : schema_.programs) {
      auto it = other_layouts_.find(p.get());
      if (it == other_layouts_.end()) it = other_layouts_.emplace(p.get(), StructLayout(*p)).first;
      if (it->second.defines(s)) return it->second.by_reference(s, f);
    }
    return declares_reference(f);
  }
  bool is_optional(const Struct& s, const Field& f) const {
    return f.req == Requiredness::Optional || s.kind == Struct::Kind::Union;
  }
  /// The C++ member name of a field: escaped, and never the struct's own name (C++ forbids
  /// a member named like its class); underscores are added until it clashes with nothing.
  std::string member(const Struct& s, const Field& f) const {
    std::string m = escape(f.name);
    std::string cls = escape(s.name);
    if (m != cls) return m;
    auto taken = [&](const std::string& c) {
      if (c == cls) return true;
      for (const Field& o : s.fields)
        if (&o != &f && escape(o.name) == c) return true;
      return false;
    };
    while (taken(m)) m += "_";
    return m;
  }

  std::string member_type(const Struct& s, const Field& f) const {
    std::string t = type(*f.type);
    if (is_ref(s, f)) return "::corothrift::Ref<" + t + ">";
    if (is_optional(s, f)) return "std::optional<" + t + ">";
    return t;
  }

  // ---- constant values ---------------------------------------------------------------------
  /// C++ expression of type `t` for `v`.
  std::string value(const ConstValue& v, const Type& t) const {
    const Type& r = resolve_typedefs(t);
    if (v.kind == ConstValue::Kind::Identifier && (v.text == "true" || v.text == "false")) return v.text;
    if (v.kind == ConstValue::Kind::Identifier) return identifier_value(v, r);
    switch (r.kind) {
      case Type::Kind::Base:
        switch (r.base) {
          case BaseType::Bool: return v.integer ? "true" : "false";
          case BaseType::I8: case BaseType::I16: case BaseType::I32: case BaseType::I64:
            return "static_cast<" + type(r) + ">(" + int_literal(v.integer) + ")";
          case BaseType::Double:
            return v.kind == ConstValue::Kind::Int ? double_literal(static_cast<double>(v.integer)) : double_literal(v.real);
          case BaseType::String: case BaseType::Binary: return "std::string(" + quote(v.text) + ", " + std::to_string(v.text.size()) + ")";
          case BaseType::Uuid: return uuid_value(v.text);
          case BaseType::Void: break;
        }
        break;
      case Type::Kind::List:
      case Type::Kind::Set: {
        std::string out = type(r) + "{";
        for (std::size_t i = 0; i < v.list.size(); ++i) out += (i ? ", " : "") + value(v.list[i], *r.elem);
        return out + "}";
      }
      case Type::Kind::Map: {
        std::string out = type(r) + "{";
        for (std::size_t i = 0; i < v.map.size(); ++i)
          out += (i ? ", " : "") + std::string("{") + value(v.map[i].first, *r.elem) + ", " + value(v.map[i].second, *r.value) + "}";
        return out + "}";
      }
      case Type::Kind::Named:
        if (as_enum(r)) return "static_cast<" + type(r) + ">(" + int_literal(v.integer) + ")";
        if (std::get_if<const Senum*>(&r.target)) return "std::string(" + quote(v.text) + ")";
        if (const Struct* s = as_struct(r)) return struct_value(v, *s, r);
        break;
    }
    return type(r) + "{}";
  }

  std::string uuid_value(const std::string& text) const {
    std::string hex;
    for (char c : text)
      if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
    std::string out = "::corothrift::Uuid{{";
    for (std::size_t i = 0; i + 1 < hex.size() && i < 32; i += 2)
      out += (i ? ", " : "") + std::string("std::byte{0x") + hex.substr(i, 2) + "}";
    return out + "}}";
  }

  std::string struct_value(const ConstValue& v, const Struct& s, const Type& t) const {
    if (s.kind == Struct::Kind::Union && v.map.size() > 1)
      throw std::runtime_error(v.loc.file + ":" + std::to_string(v.loc.line) + ":" + std::to_string(v.loc.column) +
                               ": error: a constant of union " + s.name + " sets " + std::to_string(v.map.size()) +
                               " fields; a union holds exactly one");
    std::string out = "[] {\n    " + type(t) + " v;\n";
    for (const auto& [k, val] : v.map) {
      for (const Field& f : s.fields) {
        if (f.name != k.text) continue;
        std::string lhs = "v." + member(s, f);
        if (is_ref(s, f)) out += "    " + lhs + " = " + member_type(s, f) + "(" + value(val, *f.type) + ");\n";
        else out += "    " + lhs + " = " + value(val, *f.type) + ";\n";
      }
    }
    return out + "    return v;\n  }()";
  }

  /// An identifier used as a value, as the loader resolved it: an enum value
  /// ("Enum.VALUE", "file.Enum.VALUE") or another constant ("NAME", "file.NAME").
  std::string identifier_value(const ConstValue& v, const Type& want) const {
    if (const EnumValue* ev = v.enum_value) {
      // the checker admits an enum value only for its own enum or an integer type
      if (as_enum(want)) return type(want) + "::" + escape(ev->name);
      return std::to_string(ev->value);
    }
    if (const Const* c = v.constant) {
      // A constant of another C++ type (an enum constant where an integer is wanted, an
      // integer for an enum, list<Color> for list<i32>) is spelt out as the wanted type.
      if (type(resolve_typedefs(*c->type)) != type(want)) return value(c->value, want);
      // A constant of this file that holds a struct is defined after the structs; where
      // it is used earlier (a field default), its value is spelt out instead.
      if (v.constant_program == &prog_ && involves_struct(*c->type)) return value(c->value, *c->type);
      return qual(v.constant_program, c->name);
    }
    throw std::runtime_error(v.loc.file + ":" + std::to_string(v.loc.line) + ":" + std::to_string(v.loc.column) +
                             ": error: identifier '" + v.text + "' was not resolved by the loader");
  }

  /// Does the struct get a defaulted <=> (so it can be a std::set element or std::map
  /// key)? Only when every type it holds, directly or through containers, is ordered
  /// already where its <=> is checked: no Ref<> (no ordering), no cycle back to itself, no
  /// struct of this file defined after it, and every struct it holds has <=> itself.
  bool orderable(const Struct& s) const {
    if (auto it = orderable_memo_.find(&s); it != orderable_memo_.end()) return it->second;
    orderable_memo_[&s] = false;  // while in progress: a cycle answers no
    for (const auto& p : schema_.programs) {
      if (p.get() == &prog_) continue;
      for (const Struct& x : p->structs)
        if (&x == &s) {  // a struct of an included file: ask that file's plan
          Generator other(schema_, *p, opt_);
          other.plan_structs();
          return orderable_memo_[&s] = other.orderable(s);
        }
    }
    auto position = [&](const Struct* x) -> std::ptrdiff_t {
      auto it = std::find(order().begin(), order().end(), x);
      return it == order().end() ? -1 : it - order().begin();
    };
    std::ptrdiff_t here = position(&s);  // -1: a service argument/result struct, after all
    std::function<bool(const Type&)> type_ok = [&](const Type& t) {
      const Type& r = resolve_typedefs(t);
      // unordered containers and user-named types (cpp_type) have no ordering to rely on
      if (!r.cpp_type.empty()) return false;
      if (const Annotation* a = find_annotation(r.annotations, "cpp.template"); a && a->value.find("unordered") != std::string::npos)
        return false;
      if (const Struct* st = as_struct(r)) {
        if (st == &s) return false;
        if (here >= 0 && owns(*st) && position(st) > here) return false;
        return orderable(*st);
      }
      return (!r.elem || type_ok(*r.elem)) && (!r.value || type_ok(*r.value));
    };
    bool ok = true;
    for (const Field& f : s.fields)
      if (is_ref(s, f) || !type_ok(*f.type)) ok = false;
    return orderable_memo_[&s] = ok;
  }

  /// Does a value of this type hold a union anywhere (itself included)?
  bool type_holds_union(const Type& t) const {
    const Type& r = resolve_typedefs(t);
    if (const Struct* st = as_struct(r)) return st->kind == Struct::Kind::Union || holds_union(*st);
    return (r.elem && type_holds_union(*r.elem)) || (r.value && type_holds_union(*r.value));
  }
  bool holds_union(const Struct& s) const {
    if (auto it = union_memo_.find(&s); it != union_memo_.end()) return it->second;
    union_memo_[&s] = false;  // a cycle adds nothing
    bool any = false;
    for (const Field& f : s.fields) any = any || type_holds_union(*f.type);
    return union_memo_[&s] = any;
  }

  // ---- ordering and recursion --------------------------------------------------------------
  /// Structs in dependency order, and the fields held by Ref<> to break by-value cycles
  /// (idl::StructLayout: the runtime codec follows the same plan).
  void plan_structs() {
    if (!layout_) layout_.emplace(prog_);
  }
  const StructLayout& layout() const { return *layout_; }
  const std::vector<const Struct*>& order() const { return layout_->order(); }
  bool owns(const Struct& s) const { return layout_->defines(s); }

  // ---- output pieces -----------------------------------------------------------------------
  void header() {
    out_ << "// Generated by corothrift-gen from " << prog_.name << ".thrift. Do not edit.\n";
    out_ << doc_comment(prog_.doc, "");
    out_ << "#pragma once\n\n";
    std::set<std::string> headers = {"cstdint", "limits", "map", "optional", "set", "string", "string_view", "vector"};
    headers.insert(extra_headers_.begin(), extra_headers_.end());
    for (const std::string& h : headers) out_ << "#include <" << h << ">\n";
    out_ << "\n#include <corothrift/protocol/fields.hpp>\n";
    for (const Program* inc : prog_.included) out_ << "#include \"" << header_name(*inc) << "\"\n";
    for (const std::string& h : prog_.cpp_includes) {
      if (!h.empty() && (h[0] == '<' || h[0] == '"')) out_ << "#include " << h << "\n";
      else out_ << "#include \"" << h << "\"\n";
    }
    out_ << "\n";
  }
  void open_namespace() {
    std::string ns = ns_of(prog_);
    if (!ns.empty()) out_ << "namespace " << ns << " {\n\n";
  }
  void close_namespace() {
    std::string ns = ns_of(prog_);
    if (!ns.empty()) out_ << "}  // namespace " << ns << "\n\n";
  }

  void forward_declarations() {
    for (const Struct& s : prog_.structs) out_ << "struct " << escape(s.name) << ";\n";
    for (const Service& sv : prog_.services)
      for (const Function& fn : sv.functions) {
        out_ << "struct " << args_name(sv, fn) << ";\n";
        out_ << "struct " << result_name(sv, fn) << ";\n";
      }
    if (!prog_.structs.empty() || !prog_.services.empty()) out_ << "\n";
  }

  void enums() {
    for (const Enum& e : prog_.enums) {
      std::string n = escape(e.name);
      out_ << doc_comment(e.doc, "");
      out_ << "enum class " << n << " : std::int32_t {\n";
      for (const EnumValue& v : e.values) out_ << doc_comment(v.doc, "  ") << "  " << escape(v.name) << " = " << v.value << ",\n";
      out_ << "};\n\n";
      out_ << "/// The IDL name of a " << e.name << " value; empty for a value the IDL does not define.\n";
      out_ << "constexpr std::string_view to_string(" << n << " v) noexcept {\n  switch (v) {\n";
      std::set<std::int32_t> seen;
      for (const EnumValue& v : e.values)
        if (seen.insert(v.value).second) out_ << "    case " << n << "::" << escape(v.name) << ": return " << quote(v.name) << ";\n";
      out_ << "  }\n  return {};\n}\n\n";
      out_ << "/// The " << e.name << " value named `s`; false when there is none.\n";
      out_ << "constexpr bool from_string(std::string_view s, " << n << "& out) noexcept {\n";
      if (e.values.empty()) out_ << "  (void)s, (void)out;\n";
      for (const EnumValue& v : e.values)
        out_ << "  if (s == " << quote(v.name) << ") return out = " << n << "::" << escape(v.name) << ", true;\n";
      out_ << "  return false;\n}\n\n";
    }
  }

  void senums_and_typedefs() {
    for (const Senum& s : prog_.senums) out_ << doc_comment(s.doc, "") << "using " << escape(s.name) << " = std::string;\n";
    // typedefs in dependency order: one naming a later typedef comes after it
    std::set<const Typedef*> done;
    std::function<void(const Typedef&)> emit = [&](const Typedef& t) {
      if (!done.insert(&t).second) return;
      std::function<void(const Type&)> deps = [&](const Type& x) {
        if (auto* td = std::get_if<const Typedef*>(&x.target); td && *td && x.target_program == &prog_) emit(**td);
        if (x.elem) deps(*x.elem);
        if (x.value) deps(*x.value);
      };
      deps(*t.type);
      out_ << doc_comment(t.doc, "") << "using " << escape(t.name) << " = " << type(*t.type) << ";\n";
    };
    for (const Typedef& t : prog_.typedefs) emit(t);
    if (!prog_.senums.empty() || !prog_.typedefs.empty()) out_ << "\n";
  }

  void struct_body(const Struct& s, const std::string& name) {
    out_ << "struct " << name << " {\n";
    for (const Field& f : s.fields) {
      out_ << doc_comment(f.doc, "  ");
      out_ << "  " << member_type(s, f) << " " << member(s, f);
      if (f.default_value && !is_ref(s, f)) {
        // an optional field with a default starts set to it, as in Apache's C++
        out_ << " = " << value(*f.default_value, *f.type);
      } else if (!is_optional(s, f) && !is_ref(s, f)) {
        const Type& r = resolve_typedefs(*f.type);
        if (r.kind == Type::Kind::Base && r.base != BaseType::String && r.base != BaseType::Binary && r.base != BaseType::Uuid)
          out_ << "{}";
        else if (as_enum(r))
          out_ << "{}";
      }
      out_ << ";" << (f.req == Requiredness::Required ? "  // required" : "") << "\n";
    }
    out_ << "  friend bool operator==(const " << name << "&, const " << name << "&) = default;\n";
    if (orderable(s))  // (for std::set / std::map keys of struct type)
      out_ << "  friend auto operator<=>(const " << name << "&, const " << name << "&) = default;\n";
    out_ << "};\n\n";
  }

  void structs() {
    for (const Struct* s : order()) {
      out_ << doc_comment(s->doc, "");
      struct_body(*s, escape(s->name));
    }
  }

  // ---- services: argument and result structs ----------------------------------------------
  /// The method's struct in its service's table: the function name, escaped, and with a
  /// trailing `_` where it would clash with the table's own members or the service name.
  static std::string method_name(const Service& sv, const Function& fn) {
    static const std::set<std::string> taken = {"name", "base", "args", "result", "return_type", "oneway"};
    std::string m = escape(fn.name);
    while (taken.count(m) || m == escape(sv.name)) m += "_";
    return m;
  }
  static std::string args_name(const Service& sv, const Function& fn) { return sv.name + "_" + fn.name + "_args"; }
  static std::string result_name(const Service& sv, const Function& fn) { return sv.name + "_" + fn.name + "_result"; }

  /// The result struct of a function, as a Struct: field 0 "success" (non-void), then the
  /// declared exceptions, all optional.
  Struct result_struct(const Service& sv, const Function& fn) const {
    Struct r;
    r.kind = Struct::Kind::Struct;
    r.name = result_name(sv, fn);
    bool is_void = fn.return_type->kind == Type::Kind::Base && fn.return_type->base == BaseType::Void;
    if (!is_void) {
      Field f;
      f.id = 0;
      f.req = Requiredness::Optional;
      f.type = fn.return_type;
      f.name = "success";
      r.fields.push_back(f);
    }
    for (Field f : fn.throws) {
      if (!is_void && f.name == "success")
        throw std::runtime_error(f.loc.file + ":" + std::to_string(f.loc.line) + ":" + std::to_string(f.loc.column) +
                                 ": error: the exception of " + sv.name + "." + fn.name +
                                 " is named 'success', the name of the result's return value field");
      f.req = Requiredness::Optional;
      r.fields.push_back(f);
    }
    return r;
  }
  Struct args_struct(const Service& sv, const Function& fn) const {
    Struct a;
    a.kind = Struct::Kind::Struct;
    a.name = args_name(sv, fn);
    a.fields = fn.args;
    for (Field& f : a.fields)
      if (f.req == Requiredness::Optional) f.req = Requiredness::Default;  // as Apache: arguments are always sent
    return a;
  }

  void services_types() {
    for (const Service& sv : prog_.services)
      for (const Function& fn : sv.functions) {
        synthetic_.push_back(std::make_unique<Struct>(args_struct(sv, fn)));
        struct_body(*synthetic_.back(), synthetic_.back()->name);
        synthetic_.push_back(std::make_unique<Struct>(result_struct(sv, fn)));
        struct_body(*synthetic_.back(), synthetic_.back()->name);
      }
  }

  void service_tables() {
    for (const Service& sv : prog_.services) {
      out_ << doc_comment(sv.doc, "");
      out_ << "/// Service " << sv.name << ": its name and, per method, the argument and result\n"
           << "/// structs, the method name on the wire and whether it is oneway.\n";
      out_ << "struct " << escape(sv.name) << " {\n";
      out_ << "  static constexpr std::string_view name = " << quote(sv.name) << ";\n";
      if (sv.base) out_ << "  using base = " << qual(sv.base_program, sv.base->name) << ";\n";
      else out_ << "  using base = void;\n";
      for (const Function& fn : sv.functions) {
        out_ << doc_comment(fn.doc, "  ");
        out_ << "  struct " << method_name(sv, fn) << " {\n";
        out_ << "    static constexpr std::string_view name = " << quote(fn.name) << ";\n";
        out_ << "    static constexpr bool oneway = " << (fn.oneway ? "true" : "false") << ";\n";
        out_ << "    using args = " << args_name(sv, fn) << ";\n";
        out_ << "    using result = " << result_name(sv, fn) << ";\n";
        out_ << "    using return_type = " << type(*fn.return_type) << ";\n";
        out_ << "  };\n";
      }
      out_ << "};\n\n";
    }
  }

  // ---- RPC ---------------------------------------------------------------------------------
  static bool is_void(const Type& t) { return t.kind == Type::Kind::Base && t.base == BaseType::Void; }
  std::string handler_name(const Program* p, const Service& sv) const { return qual(p, sv.name + "Handler"); }
  std::string service_q(const Service& sv) const { return qual(&prog_, sv.name); }
  /// "T a, U b" for the arguments of fn (by value: a coroutine must not hold references
  /// its caller may drop before it runs).
  /// A parameter's name in the stub: never one of the stub's own names.
  static std::string param_name(const Field& f) {
    std::string n = escape(f.name);
    while (n == "corothrift_args" || n == "corothrift_result" || n == "Core") n += "_";
    return n;
  }
  std::string params(const Service& sv, const Function& fn) const {
    std::string out;
    for (const Field& f : fn.args) out += (out.empty() ? "" : ", ") + type(*f.type) + " " + param_name(f);
    (void)sv;
    return out;
  }
  std::string awaitable_of(const Function& fn) const { return "::asio::awaitable<" + type(*fn.return_type) + ">"; }
  /// The value of an args/result member as a plain T (unwrapping Ref<> members).
  std::string take(const Struct& s, const Field& f, const std::string& obj) const {
    std::string m = obj + "." + member(s, f);
    if (is_ref(s, f)) return "(" + m + " ? std::move(*" + m + ") : " + type(*f.type) + "{})";
    return "std::move(" + m + ")";
  }

  void handler_interface(const Service& sv) {
    std::string n = escape(sv.name + "Handler");
    out_ << "/// Handler of service " << sv.name << ": implement each method as a coroutine and serve it with\n"
         << "/// corothrift::Server::add_service<" << escape(sv.name) << ">(handler). Throw a declared exception\n"
         << "/// to send it; any other exception reaches the client as TApplicationException INTERNAL_ERROR.\n";
    out_ << "class " << n;
    if (sv.base) out_ << " : public " << handler_name(sv.base_program, *sv.base);
    out_ << " {\n public:\n  virtual ~" << n << "() = default;\n";
    for (const Function& fn : sv.functions) {
      out_ << doc_comment(fn.doc, "  ");
      out_ << "  virtual " << awaitable_of(fn) << " " << escape(fn.name) << "(" << params(sv, fn) << ") = 0;\n";
    }
    out_ << "};\n\n";
  }

  void client_stub(const Service& sv) {
    std::string S = service_q(sv);
    std::string base = S + "::base";
    out_ << "/// Client<" << sv.name << ">: one member coroutine per method of " << sv.name << ".\n";
    out_ << "template <class Core>\nclass ClientStub<" << S << ", Core> : public ClientStub<" << base << ", Core> {\n";
    out_ << " public:\n  using ClientStub<" << base << ", Core>::ClientStub;\n";
    for (const Function& fn : sv.functions) {
      Struct a = args_struct(sv, fn), r = result_struct(sv, fn);
      std::string M = S + "::" + method_name(sv, fn);
      std::string full = sv.name + "." + fn.name;
      out_ << "\n" << doc_comment(fn.doc, "  ");
      out_ << "  [[nodiscard]] " << awaitable_of(fn) << " " << escape(fn.name) << "(" << params(sv, fn) << ") {\n";
      out_ << "    typename " << M << "::args corothrift_args;\n";
      for (const Field& f : fn.args) {
        if (is_ref(a, f)) out_ << "    corothrift_args." << member(a, f) << " = " << member_type(a, f) << "(std::move(" << param_name(f) << "));\n";
        else out_ << "    corothrift_args." << member(a, f) << " = std::move(" << param_name(f) << ");\n";
      }
      out_ << "    typename " << M << "::result corothrift_result;\n";
      out_ << "    co_await this->Core::template call<" << M << ">(corothrift_args, corothrift_result);\n";
      for (const Field& f : r.fields) {
        if (f.id == 0 && f.name == "success" && !is_void(*fn.return_type)) continue;
        out_ << "    if (corothrift_result." << member(r, f) << ") ::corothrift::throw_declared(std::move(*corothrift_result."
             << member(r, f) << "), " << quote(full) << ", " << quote(as_struct(*f.type) ? as_struct(*f.type)->name : f.type->name) << ");\n";
      }
      if (fn.oneway || is_void(*fn.return_type)) {
        out_ << "    co_return;\n";
      } else {
        const Field& succ = r.fields.front();
        out_ << "    if (corothrift_result." << member(r, succ) << ") co_return std::move(*corothrift_result." << member(r, succ) << ");\n";
        out_ << "    ::corothrift::throw_missing_result(" << quote(full) << ");\n";
      }
      out_ << "  }\n";
    }
    out_ << "};\n\n";
  }

  void service_traits(const Service& sv) {
    std::string S = service_q(sv);
    std::string H = handler_name(&prog_, sv);
    out_ << "/// Server dispatch of " << sv.name << ": method name -> decode arguments -> handler.\n";
    out_ << "template <>\nstruct ServiceTraits<" << S << "> {\n";
    out_ << "  using handler_type = " << H << ";\n\n";
    out_ << "  template <class Ctx>\n  static bool dispatch(Ctx& ctx, std::string_view method, handler_type& h) {\n";
    for (const Function& fn : sv.functions) {
      out_ << "    if (method == " << quote(fn.name) << ") {\n      ctx.template serve<" << S << "::" << method_name(sv, fn)
           << ">(h, &invoke_" << method_name(sv, fn) << ");\n      return true;\n    }\n";
    }
    if (sv.base) out_ << "    return ServiceTraits<" << qual(sv.base_program, sv.base->name) << ">::dispatch(ctx, method, h);\n";
    else out_ << "    (void)ctx;\n    (void)method;\n    (void)h;\n    return false;\n";
    out_ << "  }\n";
    for (const Function& fn : sv.functions) {
      Struct a = args_struct(sv, fn), r = result_struct(sv, fn);
      std::string M = S + "::" + method_name(sv, fn);
      // One coroutine per call runs the handler and sends the reply (ServerCall::finish);
      // the arguments live in its frame.
      out_ << "\n  static ::asio::awaitable<void> invoke_" << method_name(sv, fn)
           << "(::corothrift::ServerCall call, handler_type& h, typename " << M << "::args a) {\n";
      out_ << "    typename " << M << "::result r{};\n";
      out_ << "    std::exception_ptr failure;\n";
      if (fn.args.empty()) out_ << "    (void)a;\n";
      std::string callexpr = "co_await h." + escape(fn.name) + "(";
      bool first = true;
      for (const Field& f : fn.args) {
        callexpr += (first ? "" : ", ") + take(a, f, "a");
        first = false;
      }
      callexpr += ")";
      std::string stmt;
      if (is_void(*fn.return_type)) stmt = callexpr + ";";
      else stmt = "r." + member(r, r.fields.front()) + " = " + callexpr + ";";
      out_ << "    try {\n      " << stmt << "\n    }";
      for (const Field& f : r.fields) {
        if (f.id == 0 && f.name == "success" && !is_void(*fn.return_type)) continue;
        out_ << " catch (" << type(*f.type) << "& e) {\n      r." << member(r, f) << " = std::move(e);\n    }";
      }
      out_ << " catch (...) {\n      failure = std::current_exception();\n    }\n";
      out_ << "    call.finish<" << M << ">(r, failure);\n";
      out_ << "  }\n";
    }
    out_ << "};\n\n";
  }

  // ---- constants ---------------------------------------------------------------------------
  /// Does a value of this type contain a struct (so its constant must wait for the structs)?
  bool involves_struct(const Type& t) const {
    const Type& r = resolve_typedefs(t);
    if (as_struct(r)) return true;
    if (r.elem && involves_struct(*r.elem)) return true;
    if (r.value && involves_struct(*r.value)) return true;
    return false;
  }

  /// Constants: those without structs come before the structs (field defaults may use
  /// them), the others after the structs and their codecs.
  void constants(bool with_structs) {
    bool any = false;
    for (const Const& c : prog_.consts) {
      if (involves_struct(*c.type) != with_structs) continue;
      any = true;
      out_ << doc_comment(c.doc, "");
      const Type& r = resolve_typedefs(*c.type);
      bool scalar = (r.kind == Type::Kind::Base && r.base != BaseType::String && r.base != BaseType::Binary &&
                     r.base != BaseType::Uuid) || as_enum(r);
      out_ << "inline " << (scalar ? "constexpr " : "const ") << type(*c.type) << " " << escape(c.name) << " = "
           << value(c.value, *c.type) << ";\n";
    }
    if (any) out_ << "\n";
  }

  // ---- codecs --------------------------------------------------------------------------------
  void codecs() {
    out_ << "namespace corothrift {\n\n";
    for (const Struct* s : order()) codec(*s, qual(&prog_, s->name), s->name);
    for (const auto& s : synthetic_) codec(*s, qual(&prog_, s->name), s->name);
    out_ << "}  // namespace corothrift\n\n";
  }

  void codec(const Struct& s, const std::string& cpp_name, const std::string& idl_name) {
    std::vector<const Field*> fields;  // wire order: by field id, as Apache writes them
    for (const Field& f : s.fields) fields.push_back(&f);
    std::stable_sort(fields.begin(), fields.end(), [](const Field* a, const Field* b) { return a->id < b->id; });
    std::size_t n = fields.size();
    std::vector<std::size_t> required;
    for (std::size_t i = 0; i < n; ++i)
      if (fields[i]->req == Requiredness::Required) required.push_back(i);
    bool is_union = s.kind == Struct::Kind::Union;

    out_ << "template <>\nstruct Codec<" << cpp_name << "> {\n";
    out_ << "  using T = " << cpp_name << ";\n";
    out_ << "  static constexpr TType type = TType::Struct;\n";
    const char* v = n ? "v" : "";
    out_ << "  static std::size_t size(const T& " << v << ") {\n    return ";
    for (const Field* f : fields) out_ << "field_size(v." << member(s, *f) << ") + ";
    out_ << "1;\n  }\n";
    out_ << "  static std::byte* put(std::byte* __restrict p, const T& " << v << ") {\n";
    for (const Field* f : fields) out_ << "    p = put_field(p, " << f->id << ", v." << member(s, *f) << ");\n";
    out_ << "    return raw::put_stop(p);\n  }\n";
    out_ << "  static void read(BinaryReader& r, T& v) {\n";
    out_ << "    if (!r.enter()) return;\n";
    out_ << "    FieldMask<" << n << "> seen;\n";
    for (std::size_t i = 0; i < n; ++i)
      out_ << "    seen.mark(" << i << ", read_field_if(r, " << fields[i]->id << ", v." << member(s, *fields[i]) << "));\n";
    out_ << "    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });\n";
    out_ << "    if (!seen.all()) reset_unseen(v, seen);\n";
    for (std::size_t i : required)
      out_ << "    if (!seen.test(" << i << ")) r.fail(ErrorKind::missing_required_field, " << quote(idl_name + "." + fields[i]->name)
           << ");\n";
    if (is_union)
      out_ << "    if (seen.count() > 1) r.fail(ErrorKind::invalid_union, " << quote(idl_name + ": more than one field set") << ");\n";
    out_ << "    r.leave();\n  }\n";
    out_ << "  static void reset(T& v) { reset_unseen(v, FieldMask<" << n << ">{}); }\n";
    if (is_union || holds_union(s)) {
      // encode() refuses a value with a union that has more than one field set
      out_ << "  static bool valid(const T& " << (n ? "v" : "") << ") {\n";
      if (is_union) {
        out_ << "    if (";
        for (std::size_t i = 0; i < n; ++i) out_ << (i ? " + " : "") << "is_set(v." << member(s, *fields[i]) << ")";
        out_ << (n ? "" : "0") << " > 1) return false;\n";
      }
      out_ << "    return true";
      for (const Field* f : fields)
        if (type_holds_union(*f->type)) out_ << " && valid_field(v." << member(s, *f) << ")";
      out_ << ";\n  }\n";
    }
    out_ << "\n";
    out_ << " private:\n";
    out_ << "  static bool read_one(BinaryReader& r, T& v, FieldHeader f, FieldMask<" << n << ">& seen) {\n";
    if (n) {
      out_ << "    switch (f.id) {\n";
      for (std::size_t i = 0; i < n; ++i)
        out_ << "      case " << fields[i]->id << ": return seen.mark(" << i << ", read_field_as(r, f, v." << member(s, *fields[i])
             << "));\n";
      out_ << "      default: return false;\n    }\n";
    } else {
      out_ << "    (void)r, (void)v, (void)f, (void)seen;\n    return false;\n";
    }
    out_ << "  }\n";
    out_ << "  static void reset_unseen(T& v, const FieldMask<" << n << ">& seen) {\n";
    if (!n) out_ << "    (void)v, (void)seen;\n";
    for (std::size_t i = 0; i < n; ++i) {
      const Field& f = *fields[i];
      out_ << "    if (!seen.test(" << i << ")) ";
      if (f.default_value && !is_ref(s, f) && !is_optional(s, f))
        out_ << "v." << member(s, f) << " = " << value(*f.default_value, *f.type) << ";\n";
      // (an absent optional field is unset after a read, even one with a default)
      else
        out_ << "reset_value(v." << member(s, f) << ");\n";
    }
    out_ << "  }\n};\n\n";
  }

  const Schema& schema_;
  const Program& prog_;
  CppOptions opt_;
  std::ostringstream out_;
  std::optional<StructLayout> layout_;
  mutable std::map<const Program*, StructLayout> other_layouts_;
  mutable std::map<const Struct*, bool> orderable_memo_;
  mutable std::map<const Struct*, bool> union_memo_;
  mutable std::set<std::string> extra_headers_;
  std::vector<std::unique_ptr<Struct>> synthetic_;
};

}  // namespace

std::string header_name(const idl::Program& program) { return program.name + "_thrift.hpp"; }
std::string rpc_header_name(const idl::Program& program) { return program.name + "_rpc.hpp"; }

std::string generate_rpc(const idl::Schema& schema, const idl::Program& program, const CppOptions& options) {
  return Generator(schema, program, options).rpc();
}

std::string generate_cpp(const idl::Schema& schema, const idl::Program& program, const CppOptions& options) {
  return Generator(schema, program, options).run();
}

std::string generate_selftest(const idl::Schema& schema, const idl::Program& program, const CppOptions& options) {
  return Generator(schema, program, options).selftest();
}

}  // namespace corothrift::gen
