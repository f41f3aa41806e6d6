// corothrift: decode, encode and call any Thrift service from an IDL file, with no code
// generation; `corothrift gen` is the code generator (corothrift-gen).
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "gen_cli.hpp"

using namespace corothrift::cli;

namespace {

constexpr const char* kExitCodes = R"(exit status:
  0  success
  1  bad data: input bytes that do not decode, JSON that does not fit the IDL (the message
     gives the byte offset or the JSON path)
  2  bad command line, or a type, service or method the IDL does not have
  3  the IDL does not load: missing or unreadable, or errors (file:line:col: error: ...)
  4  an input or output file cannot be read or written
  5  RPC failure: connect, timeout, connection closed, protocol error,
     TApplicationException (bench: any call failed)
  6  call: the method raised one of its declared exceptions (printed as JSON on stdout)
)";

void idl_options(CLI::App* app, IdlArgs& a, bool required) {
  auto* o = app->add_option("--idl", a.idl, "the Thrift IDL file");
  if (required) o->required();
  app->add_option("-I,--include", a.include_dirs, "directory searched for included .thrift files (repeatable)");
}

void conn_options(CLI::App* app, ConnArgs& a) {
  idl_options(app, a, true);
  app->add_flag("--framed", a.framed, "framed transport (the default)");
  app->add_flag("--buffered", a.buffered, "buffered transport: no frames (TBufferedTransport)");
  app->add_option("--multiplexed", a.multiplexed, "multiplexed protocol: send method names as NAME:method");
  app->add_option("--timeout", a.timeout_ms, "milliseconds to wait for each reply (0: forever; default 10000)");
  app->add_option("--connect-timeout", a.connect_timeout_ms, "milliseconds to connect (default 5000)");
  app->add_option("target", a.target, "HOST:PORT, [IPv6]:PORT or unix:PATH")->required();
  app->add_option("method", a.method, "Service.method")->required();
}

}  // namespace

int main(int argc, char** argv) {
  // `corothrift gen ...` is corothrift-gen with the same arguments.
  if (argc >= 2 && std::string(argv[1]) == "gen")
    return corothrift::gen::run_cli(argc - 1, argv + 1, "corothrift gen");

  CLI::App app{"corothrift: Thrift (binary protocol) from the command line, driven by an IDL file.\n"
               "Decode and encode wire bytes as JSON, call a live service, load-test it.",
               "corothrift"};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.set_version_flag("--version", "corothrift 0.1.0");

  app.add_subcommand("gen", "generate C++ from an IDL (the same as corothrift-gen; `corothrift gen --help`)");

  DecodeArgs dec;
  auto* d = app.add_subcommand("decode", "binary-protocol bytes -> JSON");
  idl_options(d, dec, false);
  d->add_option("--type", dec.type, "struct, union or exception to decode (Name, file.Name, Service_method_args)");
  d->add_flag("--message", dec.message, "the input is messages (call/reply/exception/oneway), back to back or framed");
  d->add_option("--service", dec.service, "with --message and --idl: the service whose methods these are");
  d->add_flag("--framed", dec.framed, "the input is frames (4-byte big-endian length before each)");
  d->add_flag("--hex", dec.hex, "the input is hex text, not bytes");
  d->add_flag("--compact", dec.compact, "one line of JSON per value");
  d->add_option("input", dec.input, "input file (default: standard input)");
  d->footer(std::string("Decode binary-protocol bytes to JSON. With --idl and --type, one struct of that type; with\n"
      "--message, whole messages (method, type, seqid and, with --idl, arguments/result by name);\n"
      "with neither, the raw structure of one struct (field ids, wire types, values).") + "\n\n" + kExitCodes);

  EncodeArgs enc;
  auto* e = app.add_subcommand("encode", "JSON -> binary-protocol bytes");
  idl_options(e, enc, true);
  e->add_option("--type", enc.type, "struct, union or exception to encode");
  e->add_option("--call", enc.call, "Service.method: write a CALL message with these arguments");
  e->add_option("--seqid", enc.seqid, "with --call: the message's seqid (default 0)");
  e->add_flag("--framed", enc.framed, "put a 4-byte frame length before the bytes");
  e->add_flag("--hex", enc.hex, "write hex text instead of bytes");
  e->add_option("-o,--output", enc.output, "output file (default: standard output)");
  e->add_option("json", enc.json, "the JSON value, or - for standard input (the default)");
  e->footer(std::string("Encode a JSON value of an IDL type (or the arguments of a call, as a whole CALL message).") + "\n\n" + kExitCodes);

  ConnArgs call;
  auto* c = app.add_subcommand("call", "call a method of a live server, print the result as JSON");
  conn_options(c, call);
  c->add_option("json", call.json, "the arguments as a JSON object (default {})");
  c->add_flag("--compact", call.compact, "one line of JSON");
  c->footer(std::string("Call Service.method on a live server with arguments given as a JSON object of the\n"
      "argument names. Prints the result (or the declared exception) as JSON.") + "\n\n" + kExitCodes);

  BenchArgs bench;
  auto* b = app.add_subcommand("bench", "load-test a live server with one method");
  conn_options(b, bench);
  bench.timeout_ms = 10000;
  b->add_option("json", bench.json, "the arguments as a JSON object (default {})");
  b->add_option("-n,--requests", bench.requests, "stop after N calls");
  b->add_option("-d,--duration", bench.duration, "seconds to run (default 10; ignored with -n)");
  b->add_option("-c,--connections", bench.connections, "connections (default 1)");
  b->add_option("-k,--concurrency", bench.concurrency, "calls in flight per connection (default 1)");
  b->add_option("--rps", bench.rps, "target calls per second over all connections (default: as fast as possible)");
  b->add_option("--warmup", bench.warmup, "seconds of calls before measuring (default 0)");
  b->add_flag("-q,--quiet", bench.quiet, "no progress line");
  b->add_option("--json-out", bench.json_out, "also write the results as JSON to this file");
  b->footer(std::string("Call Service.method over and over: a progress line while it runs, then throughput, errors\n"
      "by kind and a latency histogram (p50/p90/p99/p99.9). With --rps, calls are paced (open\n"
      "loop) and each latency counts from when the call was due.") + "\n\n" + kExitCodes);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& err) {
    int code = app.exit(err);  // prints help/version (code 0) or the error
    return code == 0 ? ok : usage;
  }
  CLI::App* sub = app.get_subcommands().front();
  std::string name = sub->get_name();
  try {
    if (sub == b && b->count("--requests") && bench.requests < 1) throw Failure(usage, "-n must be at least 1");
    if (sub == e && e->count("--seqid") && enc.call.empty()) throw Failure(usage, "--seqid goes with --call");
    if (sub == d) return run_decode(dec);
    if (sub == e) return run_encode(enc);
    if (sub == c) return run_call(call);
    if (sub == b) return run_bench(bench);
    std::cerr << "corothrift: use `corothrift gen ARGS` (see corothrift gen --help)\n";
    return usage;
  } catch (const Failure& f) {
    std::cerr << "corothrift " << name << ": error: " << f.what() << "\n";
    return f.code;
  } catch (const std::exception& x) {
    std::cerr << "corothrift " << name << ": error: " << x.what() << "\n";
    return bad_data;
  }
}
