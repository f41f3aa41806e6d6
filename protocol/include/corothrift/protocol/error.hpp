// corothrift/protocol/error.hpp — the error value shared by every layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace corothrift {

/// What went wrong. Every failure of the codec and the transports is one of these.
enum class ErrorKind : std::uint8_t {
  ok = 0,
  unexpected_end,          ///< the input ended inside a value (or a declared size exceeds what remains)
  negative_size,           ///< a string, container or frame length below zero
  size_limit,              ///< a declared string or container size above the configured limit
  depth_limit,             ///< structs/containers nested deeper than the configured limit
  bad_version,             ///< message header with a wrong version, or no version under strict_read
  invalid_type,            ///< a type id that is not a Thrift value type
  invalid_message_type,    ///< a message type outside call/reply/exception/oneway
  type_mismatch,           ///< a container's element type differs from the one the schema expects
  missing_required_field,  ///< a required field was absent from a struct
  invalid_union,           ///< a union with no field or with more than one field set
  message_too_large,       ///< a message larger than the configured maximum message size
  frame_too_large,         ///< a frame length above the configured maximum frame size
  trailing_data,           ///< bytes left over after a complete value
  value_too_large,         ///< a value too large for the wire format (writer side, e.g. a 3 GiB string)
  allocation_limit,        ///< decoding would allocate more than the configured max_decoded_size
};

/// Stable lower-case name of an error kind ("size_limit", ...).
constexpr const char* to_string(ErrorKind k) noexcept {
  switch (k) {
    case ErrorKind::ok: return "ok";
    case ErrorKind::unexpected_end: return "unexpected_end";
    case ErrorKind::negative_size: return "negative_size";
    case ErrorKind::size_limit: return "size_limit";
    case ErrorKind::depth_limit: return "depth_limit";
    case ErrorKind::bad_version: return "bad_version";
    case ErrorKind::invalid_type: return "invalid_type";
    case ErrorKind::invalid_message_type: return "invalid_message_type";
    case ErrorKind::type_mismatch: return "type_mismatch";
    case ErrorKind::missing_required_field: return "missing_required_field";
    case ErrorKind::invalid_union: return "invalid_union";
    case ErrorKind::message_too_large: return "message_too_large";
    case ErrorKind::frame_too_large: return "frame_too_large";
    case ErrorKind::trailing_data: return "trailing_data";
    case ErrorKind::value_too_large: return "value_too_large";
    case ErrorKind::allocation_limit: return "allocation_limit";
  }
  return "unknown";
}

/// An error: its kind, the byte offset where it was detected, a number (the declared size,
/// type id or version word at fault; for a read that ran past the end, the bytes that
/// remained; 0 when there is none) and a static text saying what was being read
/// ("string length", "Person.name", ...).
/// Small and trivially copyable: returning it never allocates.
struct Error {
  ErrorKind kind = ErrorKind::ok;
  std::size_t offset = 0;
  std::int64_t value = 0;
  const char* what = "";

  /// True when this holds an error.
  constexpr explicit operator bool() const noexcept { return kind != ErrorKind::ok; }
  friend constexpr bool operator==(const Error& a, const Error& b) noexcept {
    return a.kind == b.kind && a.offset == b.offset && a.value == b.value;
  }
};

/// One line for humans: "size_limit at byte 12: string length (value 100)".
inline std::string describe(const Error& e) {
  if (!e) return "ok";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s at byte %zu: %s (value %lld)", to_string(e.kind), e.offset,
                e.what, static_cast<long long>(e.value));
  return buf;
}

}  // namespace corothrift
