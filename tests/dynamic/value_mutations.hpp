// Test tooling for dynamic/: break a valid dynamic::Value in one place, and check that the
// two statements of "what encodes" in dynamic/src/codec.cpp agree on it. The one-pass
// writer (encode(), the hot path) and the checker/sizer (check(), encoded_size(), put(),
// used by Codec<Bound>) are written separately for speed; this is what keeps them one rule.
// Used by tests/dynamic (seeded random mutations) and fuzz/fuzz_dynamic (input-driven).
#pragma once

#include <corothrift/dynamic/codec.hpp>
#include <corothrift/dynamic/schema.hpp>
#include <corothrift/dynamic/value.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace corothrift::dyn_testing {

using dynamic::Kind;
using dynamic::StructPlan;
using dynamic::TypeNode;
using dynamic::Value;

/// A valid value of type `t` (zeros, empty containers, structs as make() builds them).
inline Value zero_of(const TypeNode& t) {
  switch (t.kind) {
    case Kind::Bool: return Value::boolean(false);
    case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum: return Value::integer(0);
    case Kind::Double: return Value::real(0);
    case Kind::String: case Kind::Binary: return Value::string("");
    case Kind::Uuid: {
      Value v;
      v.tag = Value::Tag::Uuid;
      v.bytes.assign(16, '\0');
      return v;
    }
    case Kind::List: case Kind::Set: {
      Value v;
      v.tag = Value::Tag::List;
      return v;
    }
    case Kind::Map: {
      Value v;
      v.tag = Value::Tag::Map;
      return v;
    }
    case Kind::Struct: return t.st->make();
  }
  return {};
}

/// One node of a value tree with the schema it must fit (`type`, or `plan` for the root).
struct Node {
  Value* value;
  const TypeNode* type;
  const StructPlan* plan;
};

inline void collect(Value& v, const TypeNode* t, const StructPlan* p, std::vector<Node>& out, int depth = 0) {
  out.push_back({&v, t, p});
  if (depth > 64) return;
  if (t && t->kind == Kind::Struct) p = t->st;
  if (p && v.tag == Value::Tag::Struct) {
    for (std::size_t k = 0; k < v.items.size() && k < p->fields.size(); ++k)
      if (v.items[k].tag != Value::Tag::Null) collect(v.items[k], p->fields[k].type, nullptr, out, depth + 1);
  } else if (t && (t->kind == Kind::List || t->kind == Kind::Set) && v.tag == Value::Tag::List) {
    for (Value& x : v.items) collect(x, t->elem, nullptr, out, depth + 1);
  } else if (t && t->kind == Kind::Map && v.tag == Value::Tag::Map) {
    for (std::size_t k = 0; k < v.items.size(); ++k) collect(v.items[k], k % 2 ? t->value : t->elem, nullptr, out, depth + 1);
  }
}

/// Change `root` (a value of `plan`) in one place chosen by `pick(n)` (a number in [0, n)):
/// a wrong tag, an integer at or past a type's range, an unset (possibly required) field, a
/// set field (possibly a second union member), an element added or removed (possibly in
/// the wrong vector), a uuid of the wrong length. Returns what it did, for messages.
template <class Pick>
std::string mutate(Value& root, const StructPlan& plan, Pick&& pick) {
  std::vector<Node> nodes;
  collect(root, nullptr, &plan, nodes);
  Node n = nodes[pick(nodes.size())];
  Value& v = *n.value;
  const StructPlan* sp = n.plan ? n.plan : (n.type && n.type->kind == Kind::Struct ? n.type->st : nullptr);
  static constexpr std::int64_t kEdges[] = {
      0, 1, 2, -1, INT8_MIN, INT8_MAX, INT8_MIN - 1, INT8_MAX + 1, INT16_MIN, INT16_MAX, INT16_MIN - 1,
      INT16_MAX + 1, INT32_MIN, INT32_MAX, std::int64_t{INT32_MIN} - 1, std::int64_t{INT32_MAX} + 1,
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
  auto edge = [&] { return kEdges[pick(std::size(kEdges))]; };
  switch (pick(9)) {
    case 0:
      v.tag = static_cast<Value::Tag>(pick(9));
      return "tag changed";
    case 1:
      v.i = edge();
      return "integer " + std::to_string(v.i);
    case 2:
      if (sp && v.tag == Value::Tag::Struct && !v.items.empty()) {
        v.items[pick(v.items.size())] = Value{};
        return "a field unset";
      }
      v = Value{};
      return "made null";
    case 3:
      if (sp && v.tag == Value::Tag::Struct && v.items.size() == sp->fields.size() && !v.items.empty()) {
        std::size_t k = pick(v.items.size());
        v.items[k] = zero_of(*sp->fields[k].type);
        return "field " + sp->fields[k].name + " set";
      }
      v.items.push_back(v.items.empty() ? Value::integer(1) : v.items[pick(v.items.size())]);
      return "item added";
    case 4:
      if (!v.items.empty()) v.items.pop_back();
      return "item removed";
    case 5:
      v.ints.push_back(edge());
      return "int element " + std::to_string(v.ints.back());
    case 6:
      if (!v.ints.empty()) {
        v.ints[pick(v.ints.size())] = edge();
        return "int element changed";
      }
      v.reals.push_back(1.5);
      return "real element added";
    case 7:
      v.bytes.resize(pick(20));
      return "bytes resized to " + std::to_string(v.bytes.size());
    default:
      v.b = !v.b;
      return "bool flipped";
  }
}

/// What went wrong when encode() and check()/encoded_size()/put() disagree on `v`; empty
/// when they agree: the same verdict and message, nothing written on error, and on success
/// the same bytes from both writers and encoded_size() equal to their length.
inline std::string encoders_disagree(const StructPlan& p, const Value& v) {
  dynamic::Status checked = dynamic::check(p, v);
  BinaryWriter w;
  w.write_i32(7);  // bytes already there must stay
  dynamic::Status encoded = dynamic::encode(w, p, v);
  if (static_cast<bool>(checked) != static_cast<bool>(encoded) || checked.kind != encoded.kind ||
      checked.message != encoded.message)
    return "check(): '" + checked.message + "', encode(): '" + encoded.message + "'";
  const std::size_t size = dynamic::encoded_size(p, v);
  if (checked) {
    if (w.size() != 4) return "encode() failed but left " + std::to_string(w.size() - 4) + " bytes";
    if (size < std::numeric_limits<std::uint32_t>::max()) return "encoded_size() of an invalid value is " + std::to_string(size);
    return {};
  }
  auto written = w.view().subspan(4);
  if (size != written.size())
    return "encoded_size() " + std::to_string(size) + " but encode() wrote " + std::to_string(written.size());
  std::vector<std::byte> out(size);
  std::byte* end = dynamic::put(out.data(), p, v);
  if (end != out.data() + out.size()) return "put() wrote another length than encoded_size()";
  if (!std::equal(out.begin(), out.end(), written.begin())) return "put() and encode() wrote different bytes";
  return {};
}

}  // namespace corothrift::dyn_testing
