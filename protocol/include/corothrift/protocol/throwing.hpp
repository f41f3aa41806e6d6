// corothrift/protocol/throwing.hpp — an exception-throwing convenience layer over the
// error-value API, for code built with exceptions.
#pragma once

#if !defined(__cpp_exceptions)
#error "corothrift/protocol/throwing.hpp needs exceptions; use the Error/Result API with -fno-exceptions"
#endif

#include <span>
#include <stdexcept>
#include <utility>

#include "corothrift/protocol/codec.hpp"

namespace corothrift {

/// Thrown by the *_or_throw functions; carries the Error it describes.
class ProtocolError : public std::runtime_error {
 public:
  explicit ProtocolError(const Error& e) : std::runtime_error(describe(e)), error_(e) {}
  const Error& error() const noexcept { return error_; }
  ErrorKind kind() const noexcept { return error_.kind; }

 private:
  Error error_;
};

/// Throw ProtocolError if `e` holds an error.
inline void throw_if_error(const Error& e) {
  if (e) throw ProtocolError(e);
}

/// The value of `r`, or throw its error.
template <class T>
T value_or_throw(Result<T> r) {
  if (!r) throw ProtocolError(r.error());
  return std::move(r).value();
}

/// Decode all of `input` as one T, or throw ProtocolError.
template <Encodable T>
T decode_or_throw(std::span<const std::byte> input, const ReaderOptions& options = {}) {
  return value_or_throw(decode<T>(input, options));
}

/// Encode `value` into a fresh writer, or throw ProtocolError.
template <Encodable T>
BinaryWriter encode_or_throw(const T& value, WriterOptions options = {}) {
  BinaryWriter w(options);
  throw_if_error(encode(w, value));
  return w;
}

}  // namespace corothrift
