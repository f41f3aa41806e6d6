// Random values of the test IDL's richest struct, for round-trip and interop tests.
#pragma once

#include <cmath>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

namespace testutil {

inline shapes::Inner random_inner(Rng& g) { return shapes::Inner{static_cast<std::int32_t>(g.next()), g.str(12)}; }

/// An Everything with every field filled at random (containers of random sizes, optional
/// fields set half the time).
inline shapes::Everything random_everything(Rng& g) {
  shapes::Everything e;
  e.flag = g.below(2);
  e.tiny = static_cast<std::int8_t>(g.next());
  e.small = static_cast<std::int16_t>(g.next());
  e.medium = static_cast<std::int32_t>(g.next());
  e.large = static_cast<std::int64_t>(g.next());
  e.real = static_cast<double>(static_cast<std::int64_t>(g.next())) / 1024.0;
  e.text = g.str(40);
  e.raw = g.str(300);
  for (std::size_t i = g.below(20); i > 0; --i) e.ints.push_back(static_cast<std::int32_t>(g.next()));
  for (std::size_t i = g.below(8); i > 0; --i) e.tags.insert(g.str(6));
  for (std::size_t i = g.below(8); i > 0; --i) e.names[static_cast<std::int32_t>(g.next())] = g.str(5);
  for (std::size_t i = g.below(4); i > 0; --i) {
    auto& s = e.series[g.str(4)];
    for (std::size_t j = g.below(10); j > 0; --j) s.push_back(static_cast<std::int64_t>(g.next()));
  }
  for (std::size_t i = g.below(3); i > 0; --i) {
    std::map<std::string, std::set<std::int16_t>> m;
    for (std::size_t j = g.below(3); j > 0; --j) {
      auto& s = m[g.str(3)];
      for (std::size_t k = g.below(4); k > 0; --k) s.insert(static_cast<std::int16_t>(g.next()));
    }
    e.deep.push_back(std::move(m));
  }
  e.color = static_cast<shapes::Color>(g.below(3) == 0 ? 1 : 7);
  if (g.below(2)) e.maybe_int = static_cast<std::int32_t>(g.next());
  if (g.below(2)) e.maybe_text = g.str(10);
  e.inner = random_inner(g);
  for (std::size_t i = g.below(5); i > 0; --i) e.inners.push_back(random_inner(g));
  e.must = static_cast<std::int64_t>(g.next());
  for (std::size_t i = g.below(17); i > 0; --i) e.bits.push_back(g.below(2));
  for (std::size_t i = g.below(3); i > 0; --i) e.colors.insert(static_cast<shapes::Color>(g.below(3)));
  for (std::size_t i = g.below(6); i > 0; --i) e.reals.push_back(std::ldexp(static_cast<double>(g.next() >> 11), -20));
  return e;
}

}  // namespace testutil
