// The subcommands of the corothrift tool; each returns its exit code or throws Failure.
#pragma once

#include <string>
#include <vector>

namespace corothrift::cli {

struct IdlArgs {
  std::string idl;
  std::vector<std::string> include_dirs;
};

struct DecodeArgs : IdlArgs {
  std::string type;
  std::string service;
  bool message = false;
  bool framed = false;
  bool hex = false;
  bool compact = false;
  std::string input;  ///< file, or "-" / "" for standard input
};
int run_decode(const DecodeArgs& a);

struct EncodeArgs : IdlArgs {
  std::string type;
  std::string call;  ///< Service.method: write a whole CALL message with these arguments
  int seqid = 0;
  bool framed = false;
  bool hex = false;
  std::string output;  ///< file, or "" for standard output
  std::string json;    ///< JSON text, or "-" / "" for standard input
};
int run_encode(const EncodeArgs& a);

struct ConnArgs : IdlArgs {
  bool framed = false;
  bool buffered = false;
  std::string multiplexed;
  long timeout_ms = 10000;
  long connect_timeout_ms = 5000;
  std::string target;  ///< HOST:PORT or unix:PATH
  std::string method;  ///< Service.method
  std::string json = "{}";
  bool compact = false;  ///< call: one line of JSON
};
int run_call(const ConnArgs& a);

struct BenchArgs : ConnArgs {
  long long requests = 0;   ///< -n: stop after this many calls (0: use duration)
  double duration = 10;     ///< seconds, when requests == 0
  int connections = 1;
  int concurrency = 1;      ///< calls in flight per connection
  double rps = 0;           ///< target calls per second over all connections (0: as fast as possible)
  double warmup = 0;        ///< seconds of calls not counted, before measuring
  bool quiet = false;       ///< no progress line
  std::string json_out;     ///< write the results as JSON to this file too
};
int run_bench(const BenchArgs& a);

}  // namespace corothrift::cli
