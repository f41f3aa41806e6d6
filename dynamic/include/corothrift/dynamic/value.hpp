// corothrift/dynamic/value.hpp — dynamic::Value: any Thrift value held at run time, for the
// schema-driven codec (codec.hpp) that needs no generated code.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace corothrift::dynamic {

/// A Thrift value whose type is known from a schema (schema.hpp), not from C++.
///
/// What each Thrift type uses:
///   bool                       tag Bool,   `b`
///   byte/i8, i16, i32, i64     tag Int,    `i`   (an enum too: its i32 number)
///   double                     tag Double, `d`
///   string, binary             tag Bytes,  `bytes` (raw bytes; strings are not checked for UTF-8)
///   uuid                       tag Uuid,   `bytes` (16 bytes, wire order)
///   list, set                  tag List:   `ints` when the elements are bool/integers/enums,
///                                          `reals` when they are doubles, else `items`
///   map                        tag Map,    `items` = key, value, key, value... (wire order)
///   struct, union, exception   tag Struct, `items[i]` = the i-th field of its StructPlan
///                                          (fields sorted by id); tag Null = field not set
/// Containers keep the order and the duplicates they were decoded or built with. Decoding
/// into a reused Value keeps the capacity of its strings and vectors.
struct Value {
  enum class Tag : std::uint8_t { Null, Bool, Int, Double, Bytes, Uuid, List, Map, Struct };

  Tag tag = Tag::Null;
  bool b = false;
  std::int64_t i = 0;
  double d = 0;
  std::string bytes;
  std::vector<Value> items;
  std::vector<std::int64_t> ints;
  std::vector<double> reals;

  Value() = default;
  static Value boolean(bool v) { Value x; x.tag = Tag::Bool; x.b = v; return x; }
  static Value integer(std::int64_t v) { Value x; x.tag = Tag::Int; x.i = v; return x; }
  static Value real(double v) { Value x; x.tag = Tag::Double; x.d = v; return x; }
  static Value string(std::string v) { Value x; x.tag = Tag::Bytes; x.bytes = std::move(v); return x; }

  bool is_set() const noexcept { return tag != Tag::Null; }
  /// Unset (Null), keeping the capacity of what it owns.
  void clear() noexcept {
    tag = Tag::Null;
    bytes.clear();
    items.clear();
    ints.clear();
    reals.clear();
  }
  /// Same tag and same contents (doubles compared bit for bit would treat NaN as equal;
  /// this compares them with ==, like generated code's operator==).
  friend bool operator==(const Value& a, const Value& b) noexcept;
};

/// The name of a tag ("null", "bool", "int", ...), for error messages.
const char* tag_name(Value::Tag t) noexcept;

}  // namespace corothrift::dynamic
