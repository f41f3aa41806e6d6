// fuzz_dynamic: the runtime codec (dynamic/) against generated code, on the same bytes.
//
// Input: the format of fuzz_generated ([selector byte][payload], fuzz_types.hpp), so its
// corpus seeds this one. The selected generated type has a plan of the same name in the
// same IDL loaded at run time. Checks, besides "no crash, no leak, bounded memory":
//  - generated decode_into and dynamic::decode agree on success; when both fail, on the
//    error kind and offset (except where one side runs out of its allocation budget first:
//    the two representations charge different sizes, see README "Runtime codec");
//  - after a successful decode the dynamic value encodes, and generated code decodes that
//    encoding to the value it decoded from the input (sets and maps: generated code sorts
//    and de-duplicates, the dynamic value keeps wire order, so values are compared, not
//    the input bytes);
//  - dynamic decode of its own encoding encodes to the same bytes again, and so does the
//    value after to_json -> from_json (NaNs aside: JSON has a single NaN);
//  - the value broken in one to three places (chosen by a hash of the input) gets the same
//    answer from encode() and from check()/encoded_size()/put() (tests/dynamic/
//    value_mutations.hpp): the same error and message, or the same bytes.
#include <cmath>
#include <cstddef>
#include <limits>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "corothrift/dynamic/codec.hpp"
#include "corothrift/dynamic/json.hpp"
#include "corothrift/idl/loader.hpp"
#include "fuzz_types.hpp"
#include "../tests/dynamic/value_mutations.hpp"
#include "../tests/test_util.hpp"

#ifndef FUZZ_IDL_DIR
#error "FUZZ_IDL_DIR must name the directory of the copied IDL files"
#endif

namespace {

namespace dyn = corothrift::dynamic;
using corothrift::Error;
using corothrift::ErrorKind;

// Plan names in the order of fuzz::AllTypes, and which of the three IDL files has them.
struct Name {
  int file;  // 0 features.thrift (gen), 1 idl_features.thrift, 2 fuzzshapes/shapes
  const char* plan;
};
const Name kNames[] = {
    {0, "Node"}, {0, "Keywords"}, {0, "WithUuid"}, {0, "Either"}, {0, "Templated"},
    {2, "Small"}, {2, "Numbers"}, {2, "Blob"}, {2, "Inner"}, {2, "Nested"}, {2, "Everything"},
    {2, "Defaults"}, {2, "Choice"}, {2, "Oops"}, {2, "Calculator_add_args"}, {2, "Calculator_add_result"},
    {2, "Calculator_describe_args"}, {2, "Calculator_describe_result"}, {2, "Calculator_ping_args"},
    {1, "Point"}, {1, "NoIds"}, {1, "XsdStuff"}, {1, "Value"}, {1, "NotFound"}, {1, "Other"},
    {1, "Features_find_args"}, {1, "Features_find_result"}, {1, "Features_fire_args"}, {1, "Features_all_result"},
    {1, "Features_byte_fn_result"}, {1, "Base_ping_args"}, {1, "Shape"}};
static_assert(sizeof kNames / sizeof kNames[0] == fuzz::AllTypes::size, "kNames must follow fuzz::AllTypes");

struct Loaded {
  corothrift::idl::Schema schema;
  std::unique_ptr<dyn::DynamicSchema> plans;
};
Loaded load(const char* file) {
  Loaded l;
  l.schema = corothrift::idl::load_file(std::string(FUZZ_IDL_DIR) + "/" + file);
  l.plans = std::make_unique<dyn::DynamicSchema>(l.schema);
  return l;
}
const dyn::StructPlan& plan_of(std::size_t i) {
  static Loaded files[3] = {load("gen_features.thrift"), load("idl_features.thrift"), load("fuzzshapes.thrift")};
  return files[kNames[i].file].plans->struct_plan(kNames[i].plan);
}

std::vector<std::byte> dyn_bytes(const dyn::StructPlan& p, const dyn::Value& v, const char* what) {
  corothrift::BinaryWriter w;
  if (dyn::Status st = dyn::encode(w, p, v)) {
    std::fprintf(stderr, "%s: %s\n", what, st.message.c_str());
    fuzz::fail("the dynamic value of a successful decode does not encode");
  }
  auto b = w.view();
  return {b.begin(), b.end()};
}

/// JSON has one NaN ("NaN"): payload and sign bits of a NaN do not survive to_json ->
/// from_json (README, "Runtime codec"). Make every NaN the one from_json gives.
void canonical_nans(dyn::Value& v) {
  if (v.tag == dyn::Value::Tag::Double && std::isnan(v.d)) v.d = std::numeric_limits<double>::quiet_NaN();
  for (double& r : v.reals)
    if (std::isnan(r)) r = std::numeric_limits<double>::quiet_NaN();
  for (dyn::Value& x : v.items) canonical_nans(x);
}

template <class T>
void check(std::span<const std::byte> x, const dyn::StructPlan& plan, const corothrift::ReaderOptions& options,
           std::uint64_t seed) {
  T g{};
  Error eg = corothrift::decode_into(x, g, options);
  dyn::Value d;
  Error ed = dyn::decode(x, plan, d, options);
  const bool budget = eg.kind == ErrorKind::allocation_limit || ed.kind == ErrorKind::allocation_limit;
  if (!budget) {
    if (static_cast<bool>(eg) != static_cast<bool>(ed)) {
      std::fprintf(stderr, "generated: %s\ndynamic:   %s\n", corothrift::describe(eg).c_str(), corothrift::describe(ed).c_str());
      fuzz::fail("generated and dynamic decode disagree on success");
    }
    if (eg && (eg.kind != ed.kind || eg.offset != ed.offset)) {
      std::fprintf(stderr, "generated: %s\ndynamic:   %s\n", corothrift::describe(eg).c_str(), corothrift::describe(ed).c_str());
      fuzz::fail("generated and dynamic decode report different errors");
    }
  }
  if (ed) return;
  std::vector<std::byte> b = dyn_bytes(plan, d, "dynamic value");
  if (!eg) {
    T g2{};
    corothrift::ReaderOptions wide;  // (the re-encoding may be larger than the input: defaults filled in)
    if (Error e = corothrift::decode_into(std::span<const std::byte>(b), g2, wide)) {
      std::fprintf(stderr, "%s\n", corothrift::describe(e).c_str());
      fuzz::fail("generated code cannot decode the dynamic encoding");
    }
    if (!fuzz::same_value(g, g2)) fuzz::fail("generated decode of the dynamic encoding gives another value");
  }
  dyn::Value d2;
  corothrift::ReaderOptions wide;
  if (Error e = dyn::decode(b, plan, d2, wide)) {
    std::fprintf(stderr, "%s\n", corothrift::describe(e).c_str());
    fuzz::fail("dynamic decode of its own encoding fails");
  }
  if (dyn_bytes(plan, d2, "re-decoded value") != b) fuzz::fail("dynamic encode -> decode -> encode changes the bytes");
  dyn::Value j;
  canonical_nans(d);
  b = dyn_bytes(plan, d, "dynamic value, NaNs made canonical");
  try {
    j = dyn::from_json(plan, dyn::to_json(plan, d));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::fail("from_json refuses what to_json wrote");
  }
  if (dyn_bytes(plan, j, "value from JSON") != b) fuzz::fail("to_json -> from_json changes the bytes");
  testutil::Rng rng(seed);
  auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng.below(n)); };
  for (std::size_t m = 1 + pick(3); m > 0; --m) corothrift::dyn_testing::mutate(d, plan, pick);
  std::string problem = corothrift::dyn_testing::encoders_disagree(plan, d);
  if (!problem.empty()) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    fuzz::fail("encode() and check() disagree on a broken value");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  fuzz::Selection sel = fuzz::select(data[0]);
  std::span<const std::byte> x(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  const dyn::StructPlan& plan = plan_of(sel.type_index);
  std::uint64_t seed = 0xcbf29ce484222325ull;  // FNV-1a of the input
  for (std::size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 0x100000001b3ull;
  fuzz::with_type(fuzz::AllTypes{}, sel.type_index, [&]<class T>() { check<T>(x, plan, sel.options, seed); });
  return 0;
}
