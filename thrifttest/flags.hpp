// Command-line flags of the ThriftTest programs, in the form Apache Thrift's cross-test
// programs use: --name value or --name=value.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include <corothrift/transport/message_stream.hpp>

namespace thrifttest {

class Flags {
 public:
  /// `valued`: flags that take a value; `boolean`: flags that do not.
  Flags(int argc, char** argv, const std::set<std::string>& valued, const std::set<std::string>& boolean) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "-h" || a == "--help") {
        help_ = true;
        continue;
      }
      if (a.rfind("--", 0) != 0) { fail("unexpected argument '" + a + "'"); return; }
      std::string name = a.substr(2), value;
      bool has_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      if (boolean.count(name)) {
        if (has_value && value != "true" && value != "1") {
          if (value == "false" || value == "0") continue;
          { fail("--" + name + " takes no value"); return; }
        }
        values_[name] = "true";
      } else if (valued.count(name)) {
        if (!has_value) {
          if (i + 1 >= argc) { fail("--" + name + " needs a value"); return; }
          value = argv[++i];
        }
        values_[name] = value;
      } else {
        { fail("unknown flag '--" + name + "'"); return; }
      }
    }
  }
  bool ok() const { return error_.empty(); }
  bool help() const { return help_; }
  const std::string& error() const { return error_; }
  bool has(const std::string& n) const { return values_.count(n) > 0; }
  std::string get(const std::string& n, const std::string& def = {}) const {
    auto it = values_.find(n);
    return it == values_.end() ? def : it->second;
  }
  /// An integer flag in [lo, hi]; sets the error otherwise.
  long number(const std::string& n, long def, long lo, long hi) {
    if (!has(n)) return def;
    std::string v = get(n);
    char* end = nullptr;
    long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || x < lo || x > hi) {
      fail("--" + n + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + v + "'");
      return def;
    }
    return x;
  }
  void fail(const std::string& e) {
    if (error_.empty()) error_ = e;
  }

 private:
  std::map<std::string, std::string> values_;
  std::string error_;
  bool help_ = false;
};

/// The connection flags both programs share: --transport, --protocol / --multiplexed, and
/// the refusal of --ssl / --zlib. Problems go to flags.fail().
struct Connection {
  corothrift::Transport transport = corothrift::Transport::buffered;
  bool multiplexed = false;
};

inline Connection connection_flags(Flags& flags) {
  Connection c;
  std::string transport = flags.get("transport", "buffered");
  std::string protocol = flags.get("protocol", "binary");
  if (transport != "buffered" && transport != "framed") flags.fail("--transport must be buffered or framed, got '" + transport + "'");
  if (protocol != "binary" && protocol != "multi" && protocol != "multiplexed")
    flags.fail("--protocol must be binary or multi, got '" + protocol + "'");
  if (flags.has("ssl") || flags.has("zlib")) flags.fail("--ssl and --zlib are not supported");
  c.transport = transport == "framed" ? corothrift::Transport::framed : corothrift::Transport::buffered;
  c.multiplexed = flags.has("multiplexed") || protocol != "binary";
  return c;
}

}  // namespace thrifttest
