// corothrift/dynamic/codec.hpp — the runtime codec: encode and decode any struct, union,
// exception, argument list or result of a DynamicSchema to and from dynamic::Value, with
// the same wire bytes, limits and errors as the code corothrift-gen generates.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "corothrift/dynamic/schema.hpp"
#include "corothrift/dynamic/value.hpp"
#include "corothrift/protocol/binary_reader.hpp"
#include "corothrift/protocol/binary_writer.hpp"
#include "corothrift/protocol/codec.hpp"

namespace corothrift::dynamic {

/// Why a Value could not be encoded: kind (type_mismatch for a value that does not fit the
/// schema, missing_required_field, invalid_union, value_too_large) and a message naming the
/// place: "Person.tags[2]: expected a string, got an integer".
struct Status {
  ErrorKind kind = ErrorKind::ok;
  std::string message;
  explicit operator bool() const noexcept { return kind != ErrorKind::ok; }
};

// ---- decoding ------------------------------------------------------------------------------

/// Read one struct of plan `p` into `v` (sticky errors in `r`, as generated Codec::read):
/// fields the wire does not carry get their initial value (optional ones become Null),
/// unknown fields and fields of another wire type are skipped, a missing required field is
/// missing_required_field, a union with two fields invalid_union.
void read(BinaryReader& r, const StructPlan& p, Value& v);
/// Read one value of type `t`.
void read(BinaryReader& r, const TypeNode& t, Value& v);

/// Decode a whole buffer holding one struct of plan `p` (bytes left over: trailing_data).
Error decode(std::span<const std::byte> bytes, const StructPlan& p, Value& v, const ReaderOptions& options = {});

// ---- encoding ------------------------------------------------------------------------------

/// Check that `v` fits plan `p` (tags, required fields, unions, sizes the wire can carry).
Status check(const StructPlan& p, const Value& v);
Status check(const TypeNode& t, const Value& v);

/// Append struct `v` of plan `p` to `w` (no message header). Nothing is written on error.
Status encode(BinaryWriter& w, const StructPlan& p, const Value& v);
/// Append one value of type `t`.
Status encode(BinaryWriter& w, const TypeNode& t, const Value& v);

/// Exact encoded size of a value that passed check().
std::size_t encoded_size(const StructPlan& p, const Value& v) noexcept;
std::size_t encoded_size(const TypeNode& t, const Value& v) noexcept;
/// Store a value that passed check() at `p` (encoded_size() bytes must be there).
std::byte* put(std::byte* out, const StructPlan& p, const Value& v) noexcept;
std::byte* put(std::byte* out, const TypeNode& t, const Value& v) noexcept;

/// A struct Value with its plan, so that it can go wherever a generated struct goes
/// (corothrift::encode, the RPC client's call_raw): Codec<Bound> below. Check it first:
/// a value that does not fit the plan makes Codec::size() report more than the wire can
/// carry (encode() then fails with value_too_large) instead of writing wrong bytes.
struct Bound {
  const StructPlan* plan = nullptr;
  Value* value = nullptr;
};

}  // namespace corothrift::dynamic

namespace corothrift {
template <>
struct Codec<dynamic::Bound> {
  static constexpr TType type = TType::Struct;
  static std::size_t size(const dynamic::Bound& b) noexcept { return dynamic::encoded_size(*b.plan, *b.value); }
  static std::byte* put(std::byte* p, const dynamic::Bound& b) noexcept { return dynamic::put(p, *b.plan, *b.value); }
  static void read(BinaryReader& r, dynamic::Bound& b) { dynamic::read(r, *b.plan, *b.value); }
};
}  // namespace corothrift
