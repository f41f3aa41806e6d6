// The values both serialization benchmarks measure (serialization_bench.cpp against Apache
// Thrift, dynamic_bench.cpp against the runtime codec): one definition, so that both tables
// are about the same data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "shapes_thrift.hpp"

namespace bench_shapes {

inline shapes::Small make_small() { return {42, 1'700'000'000'123, 3.25, true, "corothrift", -7}; }
inline shapes::Numbers make_numbers() {
  shapes::Numbers n;
  for (int i = 0; i < 1000; ++i) n.values.push_back(static_cast<std::int64_t>(i) * 0x0101010101LL - 5000);
  return n;
}
inline shapes::Blob make_blob() {
  shapes::Blob b;
  b.data.resize(64 * 1024);
  for (std::size_t i = 0; i < b.data.size(); ++i) b.data[i] = static_cast<char>(i * 31);
  return b;
}
inline shapes::Nested make_nested() {
  shapes::Nested n;
  n.name = "nested";
  for (int i = 0; i < 100; ++i) n.counts[std::string("key").append(std::to_string(i))] = i * i;
  n.inner = {1, "inner"};
  n.items = {{2, "a"}, {3, "b"}};
  return n;
}

}  // namespace bench_shapes
