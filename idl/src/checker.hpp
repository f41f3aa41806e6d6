// Private: name resolution and the checks that need the whole schema.
#pragma once

#include <map>
#include <vector>

#include "corothrift/idl/ast.hpp"
#include "diagnostics.hpp"

namespace corothrift::idl::detail {

/// Resolve every named type, `extends` and constant identifier in `schema` (programs in
/// include order) and check constant values, throws lists and cycles. `extends_locs` gives,
/// per program, where each service's `extends` name was written.
void check_schema(Schema& schema, const std::map<const Program*, std::vector<Location>>& extends_locs,
                  Diagnostics& diags);

/// "i32", "list<Foo>", "map<string,i64>", or a name as written.
std::string type_to_string(const Type& t);

}  // namespace corothrift::idl::detail
