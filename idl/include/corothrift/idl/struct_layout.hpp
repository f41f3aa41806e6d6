// corothrift/idl/struct_layout.hpp — how the structs of one file are laid out in generated
// C++, which the runtime codec (dynamic/) must match value for value: the order they are
// defined in and the fields held by reference (Ref<T>, empty until set).
#pragma once

#include <set>
#include <utility>
#include <vector>

#include "corothrift/idl/ast.hpp"

namespace corothrift::idl {

/// True when the IDL asks for the field to be held by reference: `Foo & next`, or the
/// `cpp.ref` annotation with any value but "false".
bool declares_reference(const Field& f);

/// The structs of one Program in definition order for C++: each after the structs of the
/// same file it holds by value. A by-value field that would close a cycle (A holds B holds
/// A) is held by reference instead; containers do not count (they accept incomplete types).
class StructLayout {
 public:
  explicit StructLayout(const Program& program);

  /// The program's structs, unions and exceptions, dependencies first.
  const std::vector<const Struct*>& order() const noexcept { return order_; }

  /// Is `f` (a field of `s`) held by reference: declared so, or closing a cycle?
  bool by_reference(const Struct& s, const Field& f) const;

  /// Does the Program define `s` (rather than a file it includes)?
  bool defines(const Struct& s) const;

 private:
  const Program* program_;
  std::vector<const Struct*> order_;
  std::set<std::pair<const Struct*, const Field*>> cycle_breaks_;
};

}  // namespace corothrift::idl
