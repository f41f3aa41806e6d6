// corothrift/dynamic/schema.hpp — DynamicSchema: a loaded IDL (corothrift::idl::Schema)
// compiled into the plans the runtime codec walks: every type with its typedefs resolved,
// every struct's fields sorted by id with their defaults, every service method's argument
// and result structs (as corothrift-gen makes them).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "corothrift/dynamic/value.hpp"
#include "corothrift/idl/ast.hpp"
#include "corothrift/protocol/types.hpp"

namespace corothrift::dynamic {

/// What a type is once typedefs are resolved.
enum class Kind : std::uint8_t { Bool, I8, I16, I32, I64, Double, String, Binary, Uuid, Enum, Struct, List, Set, Map };

struct StructPlan;

/// One resolved type.
struct TypeNode {
  Kind kind = Kind::Bool;
  TType wire = TType::Bool;           ///< its type id on the wire
  const TypeNode* elem = nullptr;     ///< List/Set element, Map key
  const TypeNode* value = nullptr;    ///< Map value
  const StructPlan* st = nullptr;     ///< Struct
  const idl::Enum* en = nullptr;      ///< Enum
  std::string name;                   ///< as shown in messages: "i32", "list<string>", "shared.Point"
  /// List/Set: which vector of Value holds the elements.
  bool int_elements() const noexcept;
  bool real_elements() const noexcept { return elem && elem->kind == Kind::Double; }
};

/// One field of a struct.
struct FieldPlan {
  std::int16_t id = 0;
  std::string name;
  const TypeNode* type = nullptr;
  idl::Requiredness req = idl::Requiredness::Default;
  /// Written only when set, unset after a read that did not carry it: optional fields,
  /// union members and fields held by reference (as in generated code).
  bool optional = false;
  /// The value a fresh struct holds (its default, or the type's zero value); Null for
  /// optional fields without a default and for fields held by reference.
  Value initial;
  std::string qualified;  ///< "Struct.field", for errors
  const idl::Field* source = nullptr;  ///< null for the synthetic "success" field
};

/// A struct, union, exception, or a method's argument or result struct.
struct StructPlan {
  std::string name;  ///< "Name" or, for another file's type, "file.Name"; "Svc_method_args"
  idl::Struct::Kind kind = idl::Struct::Kind::Struct;
  std::vector<FieldPlan> fields;  ///< sorted by id (the order they are written in)
  std::string too_many;           ///< union error text: "Name: more than one field set"
  /// Index into `fields` of field `id`, or -1.
  int find(std::int16_t id) const noexcept {
    int i = id - min_id_;
    if (i >= 0 && static_cast<std::size_t>(i) < dense_.size()) return dense_[static_cast<std::size_t>(i)];
    for (std::size_t k = 0; k < fields.size(); ++k)
      if (fields[k].id == id) return static_cast<int>(k);
    return -1;
  }
  /// Index of the field named `name`, or -1.
  int find(std::string_view name) const noexcept {
    for (std::size_t k = 0; k < fields.size(); ++k)
      if (fields[k].name == name) return static_cast<int>(k);
    return -1;
  }
  /// A struct as a fresh generated object holds it: every field at its initial value.
  Value make() const;

  /// What the codec's inner loops read per field, packed (fields[i] <-> ops[i]).
  struct Op {
    const TypeNode* type;
    std::int16_t id;
    TType wire;
    Kind kind;
    bool required;
  };
  std::vector<Op> ops;

  // (filled by DynamicSchema) id -> index for ids within [min_id_, min_id_ + dense_.size())
  std::int16_t min_id_ = 0;
  std::vector<int> dense_;
};

/// One method of a service (inherited ones included).
struct FunctionPlan {
  std::string name;  ///< as on the wire
  std::string service;
  bool oneway = false;
  const StructPlan* args = nullptr;
  const StructPlan* result = nullptr;  ///< field 0 "success" (non-void), then the exceptions
};

struct ServicePlan {
  std::string name;
  std::vector<FunctionPlan> functions;  ///< own methods, then the base services' ones
  const FunctionPlan* find(std::string_view method) const noexcept {
    for (const FunctionPlan& f : functions)
      if (f.name == method) return &f;
    return nullptr;
  }
};

/// Thrown for a name that the schema does not have, or a schema the codec cannot use.
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A loaded IDL compiled for the runtime codec. Keeps pointers into `schema`: the Schema
/// must outlive it. Not copyable (plans point at each other); movable.
class DynamicSchema {
 public:
  explicit DynamicSchema(const idl::Schema& schema);
  DynamicSchema(DynamicSchema&&) noexcept = default;

  /// A struct, union or exception by name: "Name" (root file first, then the included
  /// files) or "file.Name"; also "Service_method_args" / "Service_method_result".
  /// Throws SchemaError naming the known types when there is none.
  const StructPlan& struct_plan(std::string_view name) const;
  const StructPlan* find_struct(std::string_view name) const noexcept;
  /// Any type by name as IDL writes it: a struct/enum/typedef name or a base type
  /// ("i32", "string", "list<i64>" is not parsed: names only).
  const TypeNode* find_type(std::string_view name) const noexcept;
  /// "Service.method" (or "Service:method"); throws SchemaError when unknown.
  const FunctionPlan& function(std::string_view qualified) const;
  /// A method by name alone, in any service (the first found); null when none.
  const FunctionPlan* find_function_any(std::string_view method) const noexcept;
  const ServicePlan* find_service(std::string_view name) const noexcept;
  const std::vector<const StructPlan*>& structs() const noexcept { return listed_; }
  const std::vector<const ServicePlan*>& services() const noexcept { return services_list_; }
  /// The TypeNode of a base type.
  const TypeNode& base(Kind k) const noexcept { return *bases_[static_cast<int>(k)]; }

 private:
  struct Builder;
  std::deque<TypeNode> types_;
  std::deque<StructPlan> plans_;
  std::deque<ServicePlan> services_;
  std::map<std::string, const StructPlan*, std::less<>> by_name_;
  std::map<std::string, const TypeNode*, std::less<>> named_types_;
  std::vector<const StructPlan*> listed_;
  std::vector<const ServicePlan*> services_list_;
  const TypeNode* bases_[9] = {};
};

}  // namespace corothrift::dynamic
