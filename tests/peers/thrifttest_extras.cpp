// Apache's C++ generator declares operator< for every struct but defines none; ThriftTest's
// CrazyNesting keeps Insanity values in a set and as map keys, so the generated code needs
// Insanity::operator<. Any strict weak order does; this one compares the fields in order.

#include <algorithm>
#include <tuple>

#include "ThriftTest_types.h"

namespace thrift::test {

bool Insanity::operator<(const Insanity& rhs) const {
  if (userMap != rhs.userMap) {
    return userMap < rhs.userMap;
  }
  const auto fields = [](const Xtruct& x) {
    return std::tie(x.string_thing, x.byte_thing, x.i32_thing, x.i64_thing);
  };
  return std::lexicographical_compare(xtructs.begin(), xtructs.end(), rhs.xtructs.begin(), rhs.xtructs.end(),
                                      [&](const Xtruct& a, const Xtruct& b) { return fields(a) < fields(b); });
}

}  // namespace thrift::test
