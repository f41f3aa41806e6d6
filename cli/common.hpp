// Shared pieces of the corothrift command-line tool: exit codes, input/output, IDL loading.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "corothrift/dynamic/schema.hpp"
#include "corothrift/idl/loader.hpp"

namespace corothrift::cli {

/// Exit codes (documented in `corothrift --help` and README).
enum Exit : int {
  ok = 0,
  bad_data = 1,       ///< input bytes or JSON that do not decode/encode (byte offset or JSON path given)
  usage = 2,          ///< bad command line, or a type/method the IDL does not have
  idl_error = 3,      ///< the IDL does not load (file:line:col given)
  io_error = 4,       ///< a file cannot be read or written
  rpc_error = 5,      ///< connect/timeout/connection/protocol failure, TApplicationException
  declared_exception = 6,  ///< `call`: the method raised one of its declared exceptions
};

/// Thrown by the subcommands: printed as "corothrift <cmd>: error: <what>", exit `code`.
struct Failure : std::runtime_error {
  Failure(int c, const std::string& what) : std::runtime_error(what), code(c) {}
  int code;
};

/// A loaded IDL and its runtime plans.
struct LoadedIdl {
  idl::Schema schema;
  std::unique_ptr<dynamic::DynamicSchema> plans;
};
/// Load an IDL file (Failure idl_error with every diagnostic on error).
LoadedIdl load_idl(const std::string& path, const std::vector<std::string>& include_dirs);

/// The bytes of FILE, or of standard input for "-" or "".
std::string read_input(const std::string& path);
/// Write to FILE, or to standard output for "-" or "".
void write_output(const std::string& path, const std::string& bytes);
/// Hex text (whitespace and "0x" ignored) to bytes; Failure bad_data on anything else.
std::string from_hex(const std::string& text);
std::string to_hex(const std::string& bytes);

/// HOST:PORT, [IPv6]:PORT or unix:PATH.
struct Target {
  std::string host;
  std::uint16_t port = 0;
  std::string local_path;
};
Target parse_target(const std::string& text);

}  // namespace corothrift::cli
