// Shared by fuzz_generated, fuzz_roundtrip and make_seeds: the generated struct types the
// binary inputs decode into, how the first input byte picks one, and the reader options.
//
// The types come from three IDL files compiled by corothrift-gen at build time:
//   tests/gen/features.thrift  (gen_features: recursion through Ref and list, uuid, union,
//                               C++ keyword names, cpp.template deque/list/unordered_*)
//   tests/idl/features.thrift  (corothrift_::test::features, copied as idl_features.thrift,
//                               and its include features_inc.thrift: required fields, IDL
//                               defaults, set<enum>, a nested included struct, exceptions,
//                               service argument/result structs)
//   tests/interop/interop.thrift (shapes: every base type and container, list<bool>,
//                               list<double>, map<string, list<i64>>, required, union)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include <corothrift/protocol.hpp>

#include "features_thrift.hpp"
#include "idl_features_thrift.hpp"
#include "shapes_thrift.hpp"

namespace fuzz {

template <class... Ts>
struct TypeList {
  static constexpr std::size_t size = sizeof...(Ts);
};

namespace tf = ::corothrift_::test::features;

// Order matters only for the seed corpora (the selector byte is an index into this list):
// append new types at the end.
using AllTypes = TypeList<
    // tests/gen/features.thrift
    gen_features::Node, gen_features::Keywords, gen_features::WithUuid, gen_features::Either,
    gen_features::Templated,
    // tests/interop/interop.thrift
    shapes::Small, shapes::Numbers, shapes::Blob, shapes::Inner, shapes::Nested, shapes::Everything,
    shapes::Defaults, shapes::Choice, shapes::Oops, shapes::Calculator_add_args, shapes::Calculator_add_result,
    shapes::Calculator_describe_args, shapes::Calculator_describe_result, shapes::Calculator_ping_args,
    // tests/idl/features.thrift and features_inc.thrift
    tf::Point, tf::NoIds, tf::XsdStuff, tf::Value, tf::NotFound, tf::Other, tf::Features_find_args,
    tf::Features_find_result, tf::Features_fire_args, tf::Features_all_result, tf::Features_byte_fn_result,
    tf::Base_ping_args, features::inc::Shape>;

/// Call `f.template operator()<T>()` for the i-th type of the list (i < size).
template <class... Ts, class F>
void with_type(TypeList<Ts...>, std::size_t i, F&& f) {
  std::size_t k = 0;
  ((k++ == i ? (f.template operator()<Ts>(), 0) : 0), ...);
}

/// Types whose encoding is a function of the value (no unordered container inside): two
/// equal values encode to the same bytes.
template <class T>
inline constexpr bool canonical = true;
template <>
inline constexpr bool canonical<gen_features::Templated> = false;

/// Selector byte: bits 0-5 pick the type (modulo the number of types), bit 6 picks tight
/// limits (so that every limit is reachable with small inputs).
struct Selection {
  std::size_t type_index;
  corothrift::ReaderOptions options;
};

inline Selection select(std::uint8_t b) {
  Selection s{static_cast<std::size_t>(b & 0x3f) % AllTypes::size, {}};
  corothrift::ReaderLimits& l = s.options.limits;
  if (b & 0x40) {
    l.max_string_size = 32;
    l.max_container_size = 8;
    l.max_depth = 4;
    l.max_message_size = 512;
    l.max_decoded_size = 2048;
  } else {
    // Small enough that no input of -max_len (64 KiB) can make a decode use more than a
    // few MiB, large enough that the limits are not what every input runs into.
    l.max_string_size = 1 << 16;
    l.max_container_size = 4096;
    l.max_depth = 24;
    l.max_message_size = 1 << 17;
    l.max_decoded_size = 1 << 20;
  }
  return s;
}

/// Encode `v` on its own (no message header); aborts if encoding a decoded value fails.
template <class T>
std::vector<std::byte> encode_bytes(const T& v) {
  corothrift::BinaryWriter w;
  corothrift::Error e = corothrift::encode(w, v);
  if (e) {
    std::fprintf(stderr, "encode of a decoded value failed: %s\n", corothrift::describe(e).c_str());
    std::abort();
  }
  if (w.size() != corothrift::encoded_size(v)) {
    std::fprintf(stderr, "encoded_size %zu != bytes written %zu\n", corothrift::encoded_size(v), w.size());
    std::abort();
  }
  auto b = w.view();
  return {b.begin(), b.end()};
}

/// Whether two decoded values are the same. Generated `==` compares doubles with `==`, so a
/// NaN is not equal to itself: for canonical types the encodings are compared too (bit
/// exact), and `==` is required only when the value is equal to itself.
template <class T>
bool same_value(const T& a, const T& b) {
  if constexpr (canonical<T>) {
    if (encode_bytes(a) != encode_bytes(b)) return false;
    return !(a == a) || a == b;
  } else {
    return a == b;
  }
}

/// Errors are equal in kind, offset, value and text.
inline bool same_error(const corothrift::Error& a, const corothrift::Error& b) {
  return a == b && std::strcmp(a.what, b.what) == 0;
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

}  // namespace fuzz
