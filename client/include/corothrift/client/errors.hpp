// corothrift/client/errors.hpp — what an RPC can fail with: RpcError (transport, timeout,
// cancellation, protocol), ApplicationException (TApplicationException from the peer) and
// DeclaredException<E> (an exception the IDL declares, thrown as E).
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "corothrift/protocol/codec.hpp"
#include "corothrift/protocol/fields.hpp"

namespace corothrift {

/// Why a call or a connection failed (other than a declared or application exception).
enum class RpcErrc {
  connect_failed = 1,  ///< the server could not be reached (refused, unreachable, name not found)
  connect_timeout,     ///< connecting took longer than ClientOptions::connect_timeout
  connection_closed,   ///< the connection ended (peer closed, reset, client closed) before the reply
  timeout,             ///< no reply within the call timeout
  cancelled,           ///< the call was cancelled through its cancellation slot
  protocol_error,      ///< the peer sent bytes that are not a valid reply
  too_many_calls,      ///< more calls in flight than ClientOptions::max_in_flight
  encode_failed,       ///< the request could not be encoded (invalid union, oversized value)
  send_queue_full,     ///< requests not yet written exceed ClientOptions::max_pending_request_bytes
};

/// The std::error_category of RpcErrc ("corothrift.rpc").
inline const std::error_category& rpc_category() noexcept {
  struct Category final : std::error_category {
    const char* name() const noexcept override { return "corothrift.rpc"; }
    std::string message(int c) const override {
      switch (static_cast<RpcErrc>(c)) {
        case RpcErrc::connect_failed: return "connect failed";
        case RpcErrc::connect_timeout: return "connect timed out";
        case RpcErrc::connection_closed: return "connection closed";
        case RpcErrc::timeout: return "call timed out";
        case RpcErrc::cancelled: return "call cancelled";
        case RpcErrc::protocol_error: return "protocol error";
        case RpcErrc::too_many_calls: return "too many calls in flight";
        case RpcErrc::encode_failed: return "request could not be encoded";
        case RpcErrc::send_queue_full: return "too many request bytes waiting to be sent";
      }
      return "unknown rpc error";
    }
  };
  static const Category category;
  return category;
}

inline std::error_code make_error_code(RpcErrc e) noexcept { return {static_cast<int>(e), rpc_category()}; }

}  // namespace corothrift

template <>
struct std::is_error_code_enum<corothrift::RpcErrc> : std::true_type {};

namespace corothrift {

/// A call or connection failure. code() is an RpcErrc; what() says what happened and where,
/// e.g. "add: connection closed by the peer (3 calls were in flight): connection closed" (the
/// method name first). A cancellation that arrives before the call first waits may surface
/// as Asio's std::system_error(operation_aborted) instead.
class RpcError : public std::system_error {
 public:
  RpcError(RpcErrc code, const std::string& what) : std::system_error(make_error_code(code), what) {}
  RpcErrc errc() const noexcept { return static_cast<RpcErrc>(code().value()); }
};

/// TApplicationException type codes (the wire values Apache Thrift uses).
enum class ApplicationErrorType : std::int32_t {
  unknown = 0,
  unknown_method = 1,
  invalid_message_type = 2,
  wrong_method_name = 3,
  bad_sequence_id = 4,
  missing_result = 5,
  internal_error = 6,
  protocol_error = 7,
  invalid_transform = 8,
  invalid_protocol = 9,
  unsupported_client_type = 10,
};

constexpr const char* to_string(ApplicationErrorType t) noexcept {
  switch (t) {
    case ApplicationErrorType::unknown: return "UNKNOWN";
    case ApplicationErrorType::unknown_method: return "UNKNOWN_METHOD";
    case ApplicationErrorType::invalid_message_type: return "INVALID_MESSAGE_TYPE";
    case ApplicationErrorType::wrong_method_name: return "WRONG_METHOD_NAME";
    case ApplicationErrorType::bad_sequence_id: return "BAD_SEQUENCE_ID";
    case ApplicationErrorType::missing_result: return "MISSING_RESULT";
    case ApplicationErrorType::internal_error: return "INTERNAL_ERROR";
    case ApplicationErrorType::protocol_error: return "PROTOCOL_ERROR";
    case ApplicationErrorType::invalid_transform: return "INVALID_TRANSFORM";
    case ApplicationErrorType::invalid_protocol: return "INVALID_PROTOCOL";
    case ApplicationErrorType::unsupported_client_type: return "UNSUPPORTED_CLIENT_TYPE";
  }
  return "UNKNOWN";
}

/// The body of a TApplicationException message: struct { 1: string message, 2: i32 type }.
struct ApplicationError {
  std::string message;
  ApplicationErrorType type = ApplicationErrorType::unknown;
  friend bool operator==(const ApplicationError&, const ApplicationError&) = default;
};

template <>
struct Codec<ApplicationError> {
  using T = ApplicationError;
  static constexpr TType type = TType::Struct;
  static std::size_t size(const T& v) { return field_size(v.message) + field_size(static_cast<std::int32_t>(v.type)) + 1; }
  static std::byte* put(std::byte* p, const T& v) {
    p = put_field(p, 1, v.message);
    p = put_field(p, 2, static_cast<std::int32_t>(v.type));
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    v = T{};
    read_remaining_fields(r, [&](FieldHeader f) {
      if (f.id == 1) return read_field_as(r, f, v.message);
      if (f.id == 2) {
        std::int32_t t = 0;
        bool ok = read_field_as(r, f, t);
        v.type = static_cast<ApplicationErrorType>(t);
        return ok;
      }
      return false;
    });
    r.leave();
  }
};

/// A TApplicationException sent by the peer (unknown method, internal error in a handler,
/// ...) or raised by the client for a reply without a result. A server handler may throw
/// it too: it goes back to the client as it is.
class ApplicationException : public std::exception {
 public:
  ApplicationException(ApplicationErrorType type, std::string message) : error_{std::move(message), type} { compose(); }
  explicit ApplicationException(ApplicationError e) : error_(std::move(e)) { compose(); }
  ApplicationErrorType type() const noexcept { return error_.type; }
  const std::string& message() const noexcept { return error_.message; }
  const ApplicationError& error() const noexcept { return error_; }
  /// "TApplicationException UNKNOWN_METHOD: Invalid method name: 'foo'"
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  void compose() {
    what_ = std::string("TApplicationException ").append(to_string(error_.type)).append(": ").append(error_.message);
  }
  ApplicationError error_;
  std::string what_;
};

/// How a declared exception reaches the caller: thrown as a DeclaredException<E>, which
/// is an E (catch it as `const E&`) and a std::exception (what() names the method and E).
template <class E>
class DeclaredException : public E, public std::exception {
 public:
  DeclaredException(E value, std::string_view method, std::string_view type_name) : E(std::move(value)) {
    what_ = std::string(method).append(" threw ").append(type_name);
  }
  const char* what() const noexcept override { return what_.c_str(); }
  const E& value() const noexcept { return *this; }

 private:
  std::string what_;
};

/// The outcome of a call in the no-throw API (Client::try_call): ok, or the transport /
/// protocol failure, or the peer's TApplicationException. Declared exceptions are not
/// failures here: they are in the result struct's fields.
struct CallStatus {
  std::error_code code;                     ///< RpcErrc, or empty
  std::string message;                      ///< what happened, when code is set
  std::optional<ApplicationError> application;  ///< the peer answered with a TApplicationException
  explicit operator bool() const noexcept { return !code && !application; }
  /// Throw what this status holds (RpcError or ApplicationException); nothing when ok.
  void raise() const {
    if (code) throw RpcError(static_cast<RpcErrc>(code.value()), message);
    if (application) throw ApplicationException(*application);
  }
};

}  // namespace corothrift
