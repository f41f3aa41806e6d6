// corothrift/protocol/types.hpp — wire type ids, message types and the uuid value type.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace corothrift {

/// Type id of a value on the wire (field, element, key and value types).
/// The numbers are fixed by the Thrift binary protocol specification.
enum class TType : std::uint8_t {
  Stop = 0,
  Void = 1,
  Bool = 2,
  Byte = 3,  ///< i8 / byte
  Double = 4,
  I16 = 6,
  I32 = 8,
  I64 = 10,
  String = 11,  ///< string and binary
  Struct = 12,  ///< struct, union and exception
  Map = 13,
  Set = 14,
  List = 15,
  Uuid = 16,  ///< added to Thrift after 0.17
};

/// True when `id` names a type that can carry a value (everything but Stop and Void).
constexpr bool is_value_type(std::uint8_t id) noexcept {
  switch (id) {
    case 2: case 3: case 4: case 6: case 8: case 10: case 11:
    case 12: case 13: case 14: case 15: case 16:
      return true;
    default:
      return false;
  }
}

/// Encoded size of a fixed-size type, or 0 for variable-size types.
constexpr std::size_t fixed_wire_size(TType t) noexcept {
  switch (t) {
    case TType::Bool: case TType::Byte: return 1;
    case TType::I16: return 2;
    case TType::I32: return 4;
    case TType::Double: case TType::I64: return 8;
    case TType::Uuid: return 16;
    default: return 0;
  }
}

/// Fewest bytes any value of type `t` occupies on the wire (struct: its stop byte;
/// string: its length; list/set: 5-byte header; map: 6-byte header).
/// Used to reject declared sizes that the remaining input cannot possibly hold.
constexpr std::size_t min_wire_size(TType t) noexcept {
  switch (t) {
    case TType::String: return 4;
    case TType::Struct: return 1;
    case TType::Map: return 6;
    case TType::Set: case TType::List: return 5;
    default: return fixed_wire_size(t);
  }
}

/// Readable name of a type id ("i32", "string", ...); "invalid" for unknown ids.
constexpr const char* type_name(TType t) noexcept {
  switch (t) {
    case TType::Stop: return "stop";
    case TType::Void: return "void";
    case TType::Bool: return "bool";
    case TType::Byte: return "byte";
    case TType::Double: return "double";
    case TType::I16: return "i16";
    case TType::I32: return "i32";
    case TType::I64: return "i64";
    case TType::String: return "string";
    case TType::Struct: return "struct";
    case TType::Map: return "map";
    case TType::Set: return "set";
    case TType::List: return "list";
    case TType::Uuid: return "uuid";
  }
  return "invalid";
}

/// Kind of an RPC message.
enum class MessageType : std::uint8_t { Call = 1, Reply = 2, Exception = 3, Oneway = 4 };

constexpr bool is_valid_message_type(std::uint8_t v) noexcept { return v >= 1 && v <= 4; }

/// A 128-bit UUID, stored as its 16 bytes in wire (big-endian) order.
struct Uuid {
  std::array<std::byte, 16> bytes{};
  friend constexpr bool operator==(const Uuid&, const Uuid&) = default;
  friend constexpr auto operator<=>(const Uuid&, const Uuid&) = default;
};

/// Field header as read from the wire. `type == TType::Stop` ends a struct.
struct FieldHeader {
  TType type = TType::Stop;
  std::int16_t id = 0;
};

/// List or set header: element type and element count.
struct ListHeader {
  TType elem = TType::Stop;
  std::int32_t size = 0;
};

/// Map header: key type, value type and number of pairs.
struct MapHeader {
  TType key = TType::Stop;
  TType value = TType::Stop;
  std::int32_t size = 0;
};

/// Message header: method name, message type and sequence id. `name` views the input.
struct MessageHeader {
  std::string_view name;
  MessageType type = MessageType::Call;
  std::int32_t seqid = 0;
};

}  // namespace corothrift
