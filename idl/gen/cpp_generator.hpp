// corothrift-gen's C++ back end: one header per IDL file, with the types, their Codec
// specializations (size, put, read in the shape of tests/shapes), constants, and the
// argument/result structs and method tables of each service.
#pragma once

#include <string>

#include "corothrift/idl/ast.hpp"

namespace corothrift::gen {

struct CppOptions {
  /// Use this C++ namespace for the root file instead of its `namespace cpp` (or `*`).
  /// Lets two sets of code from one IDL live in one program (tests, benchmarks).
  std::string namespace_override;
};

/// The header generated for `program`: "<name>_thrift.hpp".
std::string header_name(const idl::Program& program);

/// The RPC header generated for `program` with --rpc: "<name>_rpc.hpp".
std::string rpc_header_name(const idl::Program& program);

/// The RPC header for `program`: per service a handler interface of coroutines, the client
/// stub behind corothrift::Client<S> and the server dispatch corothrift::ServiceTraits<S>.
/// It includes header_name(program) and <corothrift/rpc.hpp> (standalone Asio).
std::string generate_rpc(const idl::Schema& schema, const idl::Program& program, const CppOptions& options);

/// Generate the header text for `program` (one of `schema.programs`). Deterministic: the
/// same schema gives the same bytes.
std::string generate_cpp(const idl::Schema& schema, const idl::Program& program, const CppOptions& options);

/// A C++ program that encodes and decodes a default instance of every struct, union,
/// exception and service argument/result struct of `program` and checks the round trip;
/// it includes header_name(program). Exit status 0 when all round trips hold.
std::string generate_selftest(const idl::Schema& schema, const idl::Program& program, const CppOptions& options);

}  // namespace corothrift::gen
