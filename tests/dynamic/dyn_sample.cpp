// dyn_sample: write dynamic-codec encodings of every type of an IDL file, for the
// generated self-test (corothrift-gen --selftest) to check against generated code.
//
//   dyn_sample [-I DIR]... [--seed N] FILE.thrift OUT_DIR
//
// For every struct, union and exception of FILE (not of the files it includes) and every
// argument/result struct of its services, under the names the self-test uses (the IDL name,
// Service_method_args, Service_method_result), it writes
//   OUT_DIR/<name>.bin          the encoding of a seeded random valid value
//   OUT_DIR/<name>.default.bin  the encoding of StructPlan::make() (the IDL defaults)
// The random values are shaped so that generated code re-encodes them to the same bytes:
// sets and maps hold at most one element (generated std::set/std::map would sort them),
// unions have one field set, enums take values the enum defines, and nesting is bounded.
// Prints how many types it wrote; exit status 1 on any error.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <corothrift/dynamic/codec.hpp>
#include <corothrift/idl/loader.hpp>

#include "test_util.hpp"

namespace dyn = corothrift::dynamic;
using dyn::Kind;
using dyn::Value;

namespace {

using testutil::Rng;  // the tests' splitmix64, seeded per type

constexpr int kMaxDepth = 3;   // below this, containers get elements and optional fields may be set
constexpr int kHardDepth = 40;  // a required field that recurses without end: give up

struct Sampler {
  Rng g;

  std::string bytes(std::size_t max_len) {
    std::string s(g.below(max_len + 1), '\0');
    for (char& c : s) c = static_cast<char>(g.next());
    return s;
  }

  std::int64_t integer(const dyn::TypeNode& t) {
    switch (t.kind) {
      case Kind::Bool: return static_cast<std::int64_t>(g.below(2));
      case Kind::I8: return static_cast<std::int8_t>(g.next());
      case Kind::I16: return static_cast<std::int16_t>(g.next());
      case Kind::I32: return static_cast<std::int32_t>(g.next());
      case Kind::Enum:
        if (t.en->values.empty()) return 0;
        return t.en->values[g.below(t.en->values.size())].value;
      default: return static_cast<std::int64_t>(g.next());
    }
  }

  double real() {
    switch (g.below(4)) {
      case 0: return static_cast<double>(static_cast<std::int32_t>(g.next())) / 8.0;
      case 1: return 0.0;
      default: {
        std::uint64_t bits = g.next();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return std::isnan(d) ? 0.5 : d;
      }
    }
  }

  Value value(const dyn::TypeNode& t, int depth) {
    Value v;
    switch (t.kind) {
      case Kind::Bool: return Value::boolean(g.below(2) != 0);
      case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum: return Value::integer(integer(t));
      case Kind::Double: return Value::real(real());
      case Kind::String: case Kind::Binary: return Value::string(bytes(12));
      case Kind::Uuid:
        v.tag = Value::Tag::Uuid;
        for (int i = 0; i < 16; ++i) v.bytes += static_cast<char>(g.next());
        return v;
      case Kind::Struct: return structure(*t.st, depth + 1);
      case Kind::List: case Kind::Set: {
        v.tag = Value::Tag::List;
        std::size_t n = depth >= kMaxDepth ? 0 : t.kind == Kind::Set ? g.below(2) : g.below(4);
        for (std::size_t k = 0; k < n; ++k) {
          if (t.int_elements()) v.ints.push_back(integer(*t.elem));
          else if (t.real_elements()) v.reals.push_back(real());
          else v.items.push_back(value(*t.elem, depth + 1));
        }
        return v;
      }
      case Kind::Map: {
        v.tag = Value::Tag::Map;
        if (depth < kMaxDepth && g.below(2)) {
          v.items.push_back(value(*t.elem, depth + 1));
          v.items.push_back(value(*t.value, depth + 1));
        }
        return v;
      }
    }
    return v;
  }

  Value structure(const dyn::StructPlan& p, int depth) {
    Value v = p.make();
    if (depth > kHardDepth) return v;
    if (p.kind == corothrift::idl::Struct::Kind::Union) {
      for (Value& x : v.items) x.clear();
      if (depth < kMaxDepth && !p.fields.empty()) {
        std::size_t k = g.below(p.fields.size());
        v.items[k] = value(*p.fields[k].type, depth);
      }
      return v;
    }
    for (std::size_t k = 0; k < p.fields.size(); ++k) {
      const dyn::FieldPlan& f = p.fields[k];
      bool required = f.req == corothrift::idl::Requiredness::Required;
      if (f.optional && !required) {
        if (depth < kMaxDepth && g.below(2)) v.items[k] = value(*f.type, depth);
        else v.items[k].clear();
      } else if (depth < kMaxDepth || required || f.type->kind == Kind::Struct) {
        // (a field that is always written gets a value at any depth; structs held by value
        // cannot recurse without end, those that could are held by reference: optional)
        v.items[k] = value(*f.type, depth);
      }
      // (else: its initial value, the default)
    }
    return v;
  }
};

bool write(const std::filesystem::path& path, const dyn::StructPlan& p, const Value& v) {
  corothrift::BinaryWriter w;
  dyn::Status st = dyn::encode(w, p, v);
  if (st) {
    std::fprintf(stderr, "dyn_sample: %s: %s\n", path.filename().string().c_str(), st.message.c_str());
    return false;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(w.data()), static_cast<std::streamsize>(w.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "dyn_sample: cannot write %s\n", path.string().c_str());
    return false;
  }
  return true;
}

std::uint64_t hash(const std::string& s, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  corothrift::idl::LoadOptions load;
  std::uint64_t seed = 1;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-I" || a == "--seed") && i + 1 < argc) {
      if (a == "-I") load.include_dirs.emplace_back(argv[++i]);
      else seed = std::stoull(argv[++i]);
    } else if (a.rfind("-I", 0) == 0 && a.size() > 2) {
      load.include_dirs.emplace_back(a.substr(2));
    } else {
      args.push_back(a);
    }
  }
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: dyn_sample [-I DIR]... [--seed N] FILE.thrift OUT_DIR\n");
    return 2;
  }
  try {
    corothrift::idl::Schema schema = corothrift::idl::load_file(args[0], load);
    dyn::DynamicSchema ds(schema);
    std::filesystem::path out = args[1];
    std::filesystem::create_directories(out);
    std::vector<std::string> names;
    for (const corothrift::idl::Struct& s : schema.root->structs) names.push_back(s.name);
    for (const corothrift::idl::Service& sv : schema.root->services)
      for (const corothrift::idl::Function& fn : sv.functions) {
        names.push_back(sv.name + "_" + fn.name + "_args");
        names.push_back(sv.name + "_" + fn.name + "_result");
      }
    int written = 0, bad = 0;
    for (const std::string& name : names) {
      const dyn::StructPlan& p = ds.struct_plan(name);
      Sampler sm{Rng{hash(name, seed)}};
      Value v = sm.structure(p, 1);
      bool ok = write(out / (name + ".bin"), p, v) && write(out / (name + ".default.bin"), p, p.make());
      ok ? ++written : ++bad;
    }
    std::printf("dyn_sample: %d types written\n", written);
    return bad ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dyn_sample: %s\n", e.what());
    return 1;
  }
}
