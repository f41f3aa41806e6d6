// corothrift/idl/ast.hpp — the schema model a parsed Thrift IDL becomes. The parser builds
// it, the loader resolves names across includes, and every consumer (the C++ generator now;
// a runtime codec and the CLI later) reads it. Plain data; no behaviour beyond lookups.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace corothrift::idl {

/// A place in an IDL file: path as opened, 1-based line and column.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// `( key = "value", flag )`: an annotation; value is empty when none was given.
struct Annotation {
  std::string key;
  std::string value;
  Location loc;
};
using Annotations = std::vector<Annotation>;

/// The value of the first annotation named `key`, if any.
inline const Annotation* find_annotation(const Annotations& a, const std::string& key) {
  for (const Annotation& x : a)
    if (x.key == key) return &x;
  return nullptr;
}

enum class BaseType { Void, Bool, I8, I16, I32, I64, Double, String, Binary, Uuid };

struct Typedef;
struct Enum;
struct EnumValue;
struct Senum;
struct Const;
struct Struct;
struct Program;

/// What a named type refers to once resolved (null pointers before resolution).
using TypeTarget = std::variant<std::monostate, const Typedef*, const Enum*, const Senum*, const Struct*>;

/// A type as written: a base type, a container of types, or a name.
struct Type {
  enum class Kind { Base, List, Set, Map, Named };
  Kind kind = Kind::Base;
  BaseType base = BaseType::Void;      ///< Kind::Base ("byte" is I8)
  std::shared_ptr<Type> elem;          ///< List and Set element; Map key
  std::shared_ptr<Type> value;         ///< Map value
  std::string name;                    ///< Kind::Named, as written: "Foo" or "other.Foo"
  TypeTarget target;                   ///< Kind::Named, after loading
  const Program* target_program = nullptr;  ///< Kind::Named: the file that defines it
  std::string cpp_type;                ///< `cpp_type "..."` on a container, if given
  Annotations annotations;             ///< `( ... )` after the type
  Location loc;
};
using TypePtr = std::shared_ptr<Type>;

struct ConstPair;

/// A constant value as written; identifiers (enum values, other consts) keep their name.
struct ConstValue {
  enum class Kind { Int, Double, String, Identifier, List, Map };
  Kind kind = Kind::Int;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  ///< String: the unescaped literal; Identifier: the name
  std::vector<ConstValue> list;
  std::vector<ConstPair> map;  ///< key/value pairs in written order (`first`, `second`)
  Location loc;
  /// Kind::Identifier, after loading (the checker resolves every one it accepts): the enum
  /// value it names (`Enum.VALUE`, `file.Enum.VALUE`), or the constant (`NAME`,
  /// `file.NAME`) and the file that defines it. (`true`/`false` are parsed as Int 1/0.)
  const EnumValue* enum_value = nullptr;
  const Const* constant = nullptr;
  const Program* constant_program = nullptr;
};

/// One `key: value` of a constant map (a std::pair in all but name: std::pair cannot hold
/// the still-incomplete ConstValue).
struct ConstPair {
  ConstValue first;
  ConstValue second;
};

enum class Requiredness { Default, Required, Optional };

struct Field {
  std::int16_t id = 0;
  bool explicit_id = true;  ///< false: id assigned implicitly (negative, like Apache)
  Requiredness req = Requiredness::Default;
  TypePtr type;
  bool reference = false;  ///< `1: Foo & next`: held by pointer (Apache's cpp.ref), for recursive types
  std::string name;
  std::optional<ConstValue> default_value;
  Annotations annotations;
  std::string doc;  ///< from a /** */ comment before it, without the comment markers
  Location loc;
};

struct Typedef {
  std::string name;
  TypePtr type;
  Annotations annotations;
  std::string doc;
  Location loc;
};

struct EnumValue {
  std::string name;
  std::int32_t value = 0;
  bool explicit_value = false;
  Annotations annotations;
  std::string doc;
  Location loc;
};

struct Enum {
  std::string name;
  std::vector<EnumValue> values;
  Annotations annotations;
  std::string doc;
  Location loc;
};

/// Deprecated string enum: on the wire and in code it is a string.
struct Senum {
  std::string name;
  std::vector<std::string> values;
  Annotations annotations;
  std::string doc;
  Location loc;
};

struct Const {
  std::string name;
  TypePtr type;
  ConstValue value;
  Annotations annotations;
  std::string doc;
  Location loc;
};

struct Struct {
  enum class Kind { Struct, Union, Exception };
  Kind kind = Kind::Struct;
  std::string name;
  std::vector<Field> fields;  ///< in declared order
  Annotations annotations;
  std::string doc;
  Location loc;
};

struct Function {
  std::string name;
  TypePtr return_type;  ///< BaseType::Void for void
  bool oneway = false;
  std::vector<Field> args;
  std::vector<Field> throws;
  Annotations annotations;
  std::string doc;
  Location loc;
};

struct Service {
  std::string name;
  std::string extends;                ///< as written ("" when none): "Base" or "other.Base"
  const Service* base = nullptr;      ///< after loading
  const Program* base_program = nullptr;
  std::vector<Function> functions;
  Annotations annotations;
  std::string doc;
  Location loc;
};

/// One definition in declaration order: which list and which index.
struct DefinitionRef {
  enum class Kind { Typedef, Enum, Senum, Const, Struct, Service };
  Kind kind;
  std::size_t index;
};

/// One parsed .thrift file.
struct Program {
  std::string path;  ///< as opened
  std::string name;  ///< file name without directory and ".thrift": the prefix others use
  std::vector<std::string> includes;         ///< as written
  std::vector<const Program*> included;      ///< resolved, same order as `includes`
  std::vector<std::string> cpp_includes;
  std::map<std::string, std::string> namespaces;  ///< scope ("cpp", "*", "py.twisted", ...) -> name
  std::vector<Typedef> typedefs;
  std::vector<Enum> enums;
  std::vector<Senum> senums;
  std::vector<Const> consts;
  std::vector<Struct> structs;  ///< structs, unions and exceptions
  std::vector<Service> services;
  std::vector<DefinitionRef> order;  ///< every definition in declaration order
  std::string doc;                   ///< a /** */ comment at the top of the file, if any

  /// The namespace for `scope`, falling back to "*"; "" when neither is declared.
  std::string namespace_for(const std::string& scope) const {
    if (auto it = namespaces.find(scope); it != namespaces.end()) return it->second;
    if (auto it = namespaces.find("*"); it != namespaces.end()) return it->second;
    return {};
  }
};

/// A warning the loader reports without failing (implicit field ids, deprecated forms...).
struct Diagnostic {
  Location loc;
  std::string message;
  /// "file:line:col: message", like a compiler.
  std::string to_string() const {
    return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column) + ": " + message;
  }
};

/// Everything one load produced: the root file and every file it includes (each once).
struct Schema {
  std::vector<std::unique_ptr<Program>> programs;  ///< includes before includers; root last
  const Program* root = nullptr;
  std::vector<Diagnostic> warnings;
};

/// Follow typedefs until a type that is not a typedef name.
inline const Type& resolve_typedefs(const Type& t) {
  const Type* cur = &t;
  for (int guard = 0; guard < 1000 && cur->kind == Type::Kind::Named; ++guard) {
    auto* td = std::get_if<const Typedef*>(&cur->target);
    if (!td || !*td) break;
    cur = (*td)->type.get();
  }
  return *cur;
}

/// The struct, union or exception a type names (through typedefs); nullptr for any other.
inline const Struct* as_struct(const Type& t) {
  const Type& r = resolve_typedefs(t);
  if (r.kind != Type::Kind::Named) return nullptr;
  auto* s = std::get_if<const Struct*>(&r.target);
  return s ? *s : nullptr;
}

/// The enum a type names (through typedefs); nullptr for any other.
inline const Enum* as_enum(const Type& t) {
  const Type& r = resolve_typedefs(t);
  if (r.kind != Type::Kind::Named) return nullptr;
  auto* e = std::get_if<const Enum*>(&r.target);
  return e ? *e : nullptr;
}

}  // namespace corothrift::idl
