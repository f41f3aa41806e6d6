// The command line of the code generator: `corothrift-gen ARGS` and `corothrift gen ARGS`.
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "corothrift/idl/loader.hpp"
#include "cpp_generator.hpp"
#include "gen_cli.hpp"

namespace {

constexpr const char* kUsage = R"(usage: @PROG@ [options] FILE.thrift

Generates FILE_thrift.hpp: the C++20 types of FILE.thrift (structs, unions, exceptions,
enums, typedefs, constants), their corothrift codecs, and the argument/result structs and
method tables of its services.

options:
  -o, --out DIR        write headers to DIR (default: the current directory)
  -I, --include DIR    search DIR for included .thrift files (repeatable; after the
                       including file's own directory)
  -r, --recurse        also generate the headers of included files
      --namespace NS   put FILE's types in C++ namespace NS instead of its `namespace cpp`
      --stdout         write FILE's header to standard output instead of a file
      --rpc            also write FILE_rpc.hpp: per service a handler interface of
                       coroutines, the client stub (corothrift::Client<Service>) and the
                       server dispatch, for corothrift's coroutine RPC (needs Asio)
      --selftest       also write FILE_thrift_selftest.cpp: a program that round-trips a
                       default instance of every struct of FILE (for testing the generator)
  -h, --help           show this help

exit status: 0 success, 1 errors in the IDL (printed as file:line:col: error: ...),
2 bad command line, 3 a file could not be written.
)";

std::string g_prog = "corothrift-gen";

int usage_error(const std::string& msg) {
  std::cerr << g_prog << ": " << msg << "\n" << "run '" << g_prog << " --help' for usage\n";
  return 2;
}

}  // namespace

int corothrift::gen::run_cli(int argc, char** argv, const std::string& prog) {
  g_prog = prog;
  std::string out_dir = ".", input;
  bool recurse = false, to_stdout = false, selftest = false, rpc = false;
  corothrift::idl::LoadOptions load;
  corothrift::gen::CppOptions cpp;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)what;
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::string u = kUsage;
      u.replace(u.find("@PROG@"), 6, prog);
      std::cout << u;
      return 0;
    } else if (a == "-o" || a == "--out") {
      const char* v = value("DIR");
      if (!v) return usage_error(a + " needs a directory");
      out_dir = v;
    } else if (a == "-I" || a == "--include") {
      const char* v = value("DIR");
      if (!v) return usage_error(a + " needs a directory");
      load.include_dirs.emplace_back(v);
    } else if (a.rfind("-I", 0) == 0 && a.size() > 2) {
      load.include_dirs.emplace_back(a.substr(2));
    } else if (a == "-r" || a == "--recurse") {
      recurse = true;
    } else if (a == "--namespace") {
      const char* v = value("NS");
      if (!v) return usage_error(a + " needs a namespace");
      cpp.namespace_override = v;
    } else if (a == "--stdout") {
      to_stdout = true;
    } else if (a == "--rpc") {
      rpc = true;
    } else if (a == "--selftest") {
      selftest = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else if (!input.empty()) {
      return usage_error("more than one input file ('" + input + "' and '" + a + "')");
    } else {
      input = a;
    }
  }
  if (input.empty()) return usage_error("no input file");

  corothrift::idl::Schema schema;
  try {
    schema = corothrift::idl::load_file(input, load);
  } catch (const corothrift::idl::IdlError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  for (const auto& w : schema.warnings) std::cerr << w.loc.file << ":" << w.loc.line << ":" << w.loc.column << ": warning: " << w.message << "\n";

  for (const auto& prog : schema.programs) {
    if (prog.get() != schema.root && !recurse) continue;
    std::string text, rpc_text;
    try {
      text = corothrift::gen::generate_cpp(schema, *prog, cpp);
      if (rpc) rpc_text = corothrift::gen::generate_rpc(schema, *prog, cpp);
    } catch (const std::exception& e) {  // what() is "file:line:col: error: ..."
      std::cerr << e.what() << "\n";
      return 1;
    }
    if (to_stdout && prog.get() == schema.root) {
      std::cout << text;
      continue;
    }
    if (to_stdout) continue;
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    auto write = [&](const std::string& name, const std::string& content) {
      std::filesystem::path path = std::filesystem::path(out_dir) / name;
      std::ofstream f(path, std::ios::binary);
      f << content;
      f.close();
      if (!f) {
        std::cerr << g_prog << ": cannot write " << path.string() << ": " << std::strerror(errno) << "\n";
        return false;
      }
      return true;
    };
    if (!write(corothrift::gen::header_name(*prog), text)) return 3;
    if (rpc && !write(corothrift::gen::rpc_header_name(*prog), rpc_text)) return 3;
    if (selftest && prog.get() == schema.root) {
      std::string name = prog->name + "_thrift_selftest.cpp";
      if (!write(name, corothrift::gen::generate_selftest(schema, *prog, cpp))) return 3;
    }
  }
  return 0;
}
