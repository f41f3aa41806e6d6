// Command-line options shared by the Apache Thrift ThriftTest peers (server and client).
//
// Both programs accept the flags of Apache's cross-test programs that the interop tests use:
//   --host H (client only)  --port N  --transport buffered|framed  --protocol binary
//   --domain-socket PATH    --multiplexed
// Each flag taking a value may be written "--flag value" or "--flag=value". A bad command
// line is reported on stderr and ends the program with status 2.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace peers {

struct Options {
  std::string host = "localhost";
  int port = 9090;
  std::string transport = "buffered";
  std::string protocol = "binary";
  std::string domain_socket;  // empty: TCP
  bool multiplexed = false;
  /// Server only: "threaded" (TThreadedServer) or "nonblocking" (TNonblockingServer, framed
  /// only, when built with libthriftnb), with `workers` worker threads (0: handlers run on
  /// the I/O thread).
  std::string server = "threaded";
  int workers = 4;
};

[[noreturn]] inline void usage_error(const char* program, const std::string& why, bool client) {
  std::fprintf(stderr, "%s: %s\nusage: %s%s [--port N] [--transport buffered|framed] "
               "[--protocol binary] [--domain-socket PATH] [--multiplexed]\n",
               program, why.c_str(), program, client ? " [--host H]" : "");
  std::exit(2);
}

inline Options parse_options(int argc, char** argv, bool client) {
  Options opts;
  const char* program = argc > 0 ? argv[0] : "peer";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string value;
    bool has_inline_value = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = std::string(arg.substr(eq + 1));
      arg = arg.substr(0, eq);
      has_inline_value = true;
    }
    auto take_value = [&]() -> std::string {
      if (has_inline_value) {
        return value;
      }
      if (i + 1 >= argc) {
        usage_error(program, "missing value for " + std::string(arg), client);
      }
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::printf("usage: %s%s [--port N] [--transport buffered|framed] [--protocol binary] "
                  "[--domain-socket PATH] [--multiplexed]\n",
                  program, client ? " [--host H]" : "");
      std::exit(0);
    } else if (arg == "--host" && client) {
      opts.host = take_value();
    } else if (arg == "--port") {
      std::string text = take_value();
      char* end = nullptr;
      long port = std::strtol(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || port < 0 || port > 65535) {
        usage_error(program, "bad port: " + text, client);
      }
      opts.port = static_cast<int>(port);
    } else if (arg == "--transport") {
      opts.transport = take_value();
      if (opts.transport != "buffered" && opts.transport != "framed") {
        usage_error(program, "unsupported transport: " + opts.transport, client);
      }
    } else if (arg == "--protocol") {
      opts.protocol = take_value();
      if (opts.protocol != "binary") {
        usage_error(program, "unsupported protocol: " + opts.protocol, client);
      }
    } else if (arg == "--domain-socket") {
      opts.domain_socket = take_value();
      if (opts.domain_socket.empty()) {
        usage_error(program, "empty --domain-socket path", client);
      }
    } else if (arg == "--server" && !client) {
      opts.server = take_value();
      if (opts.server != "threaded" && opts.server != "nonblocking") {
        usage_error(program, "unsupported server: " + opts.server + " (threaded or nonblocking)", client);
      }
    } else if (arg == "--workers" && !client) {
      std::string text = take_value();
      char* end = nullptr;
      long n = std::strtol(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || n < 0 || n > 256) usage_error(program, "bad worker count: " + text, client);
      opts.workers = static_cast<int>(n);
    } else if (arg == "--multiplexed" && !has_inline_value) {
      opts.multiplexed = true;
    } else {
      usage_error(program, "unknown argument: " + std::string(argv[i]), client);
    }
  }
  return opts;
}

}  // namespace peers
