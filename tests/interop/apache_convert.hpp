// corothrift test values -> the same values in Apache's generated types. Templates over
// the Apache type, so that both Apache set-ups (namespaces apache_usual and apache_tmpl,
// same members) use them. Shared by the interop tests and the benchmark.
#pragma once

#include <vector>

#include "shapes_thrift.hpp"

namespace apache_convert {

template <class A>
A apache_small(const shapes::Small& v) {
  A a;
  a.__set_id(v.id);
  a.__set_timestamp(v.timestamp);
  a.__set_score(v.score);
  a.__set_active(v.active);
  a.__set_name(v.name);
  a.__set_flags(v.flags);
  return a;
}
template <class A>
A apache_numbers(const shapes::Numbers& v) {
  A a;
  a.__set_values(v.values);
  return a;
}
template <class A>
A apache_blob(const shapes::Blob& v) {
  A a;
  a.__set_data(v.data);
  return a;
}
template <class A, class AInner>
A apache_nested(const shapes::Nested& v) {
  A a;
  a.__set_name(v.name);
  a.__set_counts(v.counts);
  AInner in;
  in.__set_x(v.inner.x);
  in.__set_label(v.inner.label);
  a.__set_inner(in);
  std::vector<AInner> items;
  for (const auto& i : v.items) {
    AInner x;
    x.__set_x(i.x);
    x.__set_label(i.label);
    items.push_back(x);
  }
  a.__set_items(items);
  return a;
}

}  // namespace apache_convert
