// Shared pieces of the corothrift command-line tool (common.hpp).
#include "common.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace corothrift::cli {

LoadedIdl load_idl(const std::string& path, const std::vector<std::string>& include_dirs) {
  LoadedIdl out;
  idl::LoadOptions opts;
  opts.include_dirs = include_dirs;
  try {
    out.schema = idl::load_file(path, opts);
  } catch (const idl::IdlError& e) {
    throw Failure(idl_error, std::string("the IDL does not load:\n") + e.what());
  }
  try {
    out.plans = std::make_unique<dynamic::DynamicSchema>(out.schema);
  } catch (const dynamic::SchemaError& e) {
    throw Failure(idl_error, e.what());
  }
  return out;
}

std::string read_input(const std::string& path) {
  if (path.empty() || path == "-") {
    std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) throw Failure(io_error, "cannot read standard input");
    return s;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Failure(io_error, "cannot read " + path + ": it is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Failure(io_error, "cannot read " + path + ": " + std::strerror(errno));
  try {
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) throw Failure(io_error, "cannot read " + path + ": " + std::strerror(errno));
    return s;
  } catch (const std::ios_base::failure& e) {
    throw Failure(io_error, "cannot read " + path + ": " + e.what());
  }
}

void write_output(const std::string& path, const std::string& bytes) {
  if (path.empty() || path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    if (!std::cout) throw Failure(io_error, "cannot write standard output");
    return;
  }
  std::ofstream f(path, std::ios::binary);
  if (f) f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (f) f.close();
  if (!f) throw Failure(io_error, "cannot write " + path + ": " + std::strerror(errno));
}

std::string from_hex(const std::string& text) {
  std::string out;
  int half = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X') && half < 0) {
      ++i;
      continue;
    }
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else throw Failure(bad_data, "hex input: '" + std::string(1, c) + "' at character " + std::to_string(i) + " is not a hex digit");
    if (half < 0) half = v;
    else {
      out += static_cast<char>(half << 4 | v);
      half = -1;
    }
  }
  if (half >= 0) throw Failure(bad_data, "hex input: odd number of hex digits");
  return out;
}

std::string to_hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    out += d[c >> 4];
    out += d[c & 15];
  }
  out += '\n';
  return out;
}

Target parse_target(const std::string& text) {
  Target t;
  if (text.rfind("unix:", 0) == 0) {
    t.local_path = text.substr(5);
    if (t.local_path.empty()) throw Failure(usage, "'" + text + "': unix: needs a socket path");
    return t;
  }
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw Failure(usage, "'" + text + "' is not HOST:PORT (or unix:PATH)");
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (*end || p < 1 || p > 65535) throw Failure(usage, "'" + port + "' in '" + text + "' is not a port number (1-65535)");
  t.host = host;
  t.port = static_cast<std::uint16_t>(p);
  return t;
}

}  // namespace corothrift::cli
