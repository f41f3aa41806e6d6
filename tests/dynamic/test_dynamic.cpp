// The runtime (dynamic) codec against the code corothrift-gen generates for the same IDL
// (tests/gen/features.thrift, tests/gen/edge.thrift and the interop shapes IDL): the same
// bytes, the same decode results, the same errors (kind and byte offset), the same limits;
// then the dynamic side's own encode errors and its JSON form.
//
// Generated std::set / std::map sort and dedupe while a dynamic::Value keeps wire order
// and duplicates, so results are compared on canonical bytes: the bytes generated code
// produces after decoding.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <corothrift/dynamic/codec.hpp>
#include <corothrift/dynamic/json.hpp>
#include <corothrift/idl/loader.hpp>
#include <corothrift/protocol.hpp>

#include "edge_thrift.hpp"
#include "features_thrift.hpp"
#include "random_values.hpp"
#include "shapes_thrift.hpp"
#include "test_util.hpp"
#include "value_mutations.hpp"

using namespace corothrift;
namespace dyn = corothrift::dynamic;
using dyn::Json;
using dyn::Value;
using testutil::Rng;
using Bytes = std::vector<std::byte>;

namespace {

// ---- the IDL, loaded at run time -----------------------------------------------------------

struct Loaded {
  idl::Schema schema;
  dyn::DynamicSchema dyn;
  explicit Loaded(const std::string& path) : schema(idl::load_file(path)), dyn(schema) {}
  const dyn::StructPlan& plan(std::string_view name) const { return dyn.struct_plan(name); }
};

const Loaded& features_idl() {
  static const Loaded l(DYN_TEST_GEN_DIR "/features.thrift");
  return l;
}
const Loaded& edge_idl() {
  static const Loaded l(DYN_TEST_GEN_DIR "/edge.thrift");
  return l;
}
const Loaded& shapes_idl() {
  static const Loaded l(DYN_TEST_SHAPES_IDL);
  return l;
}

// ---- encoding helpers ----------------------------------------------------------------------

Bytes copy(std::span<const std::byte> s) { return Bytes(s.begin(), s.end()); }

template <class T>
Bytes gen_encode(const T& v) {
  BinaryWriter w;
  Error e = corothrift::encode(w, v);
  REQUIRE_MESSAGE(!e, describe(e));
  return copy(w.view());
}

Bytes dyn_encode(const dyn::StructPlan& p, const Value& v) {
  BinaryWriter w;
  dyn::Status st = dyn::encode(w, p, v);
  REQUIRE_MESSAGE(!st, st.message);
  return copy(w.view());
}

/// What generated code makes of `bytes`: its own re-encoding (sets and maps sorted and
/// deduplicated), or the error.
template <class T>
std::pair<Error, Bytes> canonical(std::span<const std::byte> bytes, const ReaderOptions& options = {}) {
  T v{};
  Error e = corothrift::decode_into(bytes, v, options);
  if (e) return {e, {}};
  return {e, gen_encode(v)};
}

std::string hex(const Bytes& b) { return testutil::hex(b); }

// ---- random values of the feature IDLs -----------------------------------------------------

double random_double(Rng& g) {
  switch (g.below(10)) {
    case 0: return 0.0;
    case 1: return -0.0;
    case 2: return std::numeric_limits<double>::infinity();
    case 3: return -std::numeric_limits<double>::infinity();
    // (only the canonical quiet NaN: JSON has one NaN, so other NaN bit patterns cannot
    // survive the JSON round trip; the binary codec keeps any pattern)
    case 4: return std::numeric_limits<double>::quiet_NaN();
    case 5: return std::numeric_limits<double>::denorm_min() * static_cast<double>(g.below(1000));
    case 6: return static_cast<double>(static_cast<std::int64_t>(g.next())) / 1024.0;
    default: {
      std::uint64_t bits = g.next();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return std::isnan(d) ? 1.5 : d;
    }
  }
}

/// Raw bytes (mostly not UTF-8), ASCII or UTF-8 text with multi-byte characters.
std::string random_text(Rng& g, std::size_t max_len) {
  switch (g.below(3)) {
    case 0: return g.str(max_len);
    case 1: {
      std::string s(g.below(max_len + 1), 'a');
      for (char& c : s) c = static_cast<char>(' ' + g.below(95));
      return s;
    }
    default: {
      static const char* const pieces[] = {"a", "Z", " ", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\"", "\\", "\n"};
      std::string s;
      for (std::size_t n = g.below(max_len / 2 + 1); n > 0; --n) s += pieces[g.below(std::size(pieces))];
      return s;
    }
  }
}

Uuid random_uuid(Rng& g) {
  Uuid u;
  for (std::byte& b : u.bytes) b = static_cast<std::byte>(g.next());
  return u;
}

template <class E>
E pick_enum(Rng& g, std::initializer_list<int> values) {
  return static_cast<E>(values.begin()[g.below(values.size())]);
}

gen_features::Level random_level(Rng& g) { return pick_enum<gen_features::Level>(g, {0, 5, 6, 0, 5, 6, 42, -1}); }

gen_features::Node random_node(Rng& g, int depth) {
  gen_features::Node n;
  n.value = static_cast<std::int32_t>(g.next());
  if (depth > 0 && g.below(3) == 0) n.next = Ref<gen_features::Node>(random_node(g, depth - 1));
  if (depth > 0)
    for (std::size_t k = g.below(3); k > 0; --k) n.children.push_back(random_node(g, depth - 1));
  return n;
}
gen_features::Node random_node(Rng& g) { return random_node(g, 4); }

gen_features::Keywords random_keywords(Rng& g) {
  gen_features::Keywords k;
  k.int_ = static_cast<std::int32_t>(g.next());
  k.template_ = random_text(g, 20);
  k.operator_ = g.below(2);
  if (g.below(2)) k.auto_ = static_cast<std::int64_t>(g.next());
  return k;
}

gen_features::WithUuid random_with_uuid(Rng& g) {
  gen_features::WithUuid u;
  u.id = random_uuid(g);
  if (g.below(2)) u.other = random_uuid(g);
  for (std::size_t k = g.below(4); k > 0; --k) u.many.push_back(random_uuid(g));
  for (std::size_t k = g.below(4); k > 0; --k) u.levels[random_uuid(g)] = random_level(g);
  return u;
}

gen_features::Either random_either(Rng& g) {
  gen_features::Either e;
  switch (g.below(3)) {
    case 0: break;  // an empty union is valid
    case 1: e.s = random_text(g, 16); break;
    default: e.n = static_cast<std::int64_t>(g.next()); break;
  }
  return e;
}

gen_features::Templated random_templated(Rng& g) {
  gen_features::Templated t;
  for (std::size_t k = g.below(6); k > 0; --k) t.deque.push_back(static_cast<std::int32_t>(g.next()));
  for (std::size_t k = g.below(4); k > 0; --k) t.names.push_back(random_text(g, 8));
  for (std::size_t k = g.below(4); k > 0; --k) t.counts[random_text(g, 6)] = static_cast<std::int32_t>(g.next());
  for (std::size_t k = g.below(4); k > 0; --k) t.ids.insert(static_cast<std::int64_t>(g.next()));
  return t;
}

gen_edge::P random_p(Rng& g) { return gen_edge::P{static_cast<std::int32_t>(g.next())}; }
gen_edge::UsesConsts random_uses_consts(Rng& g) {
  gen_edge::UsesConsts u;
  if (g.below(2)) u.ps.clear();
  for (std::size_t k = g.below(3); k > 0; --k) u.ps.push_back(random_p(g));
  u.one = random_p(g);
  return u;
}
gen_edge::UsesOddEnum random_odd_enum(Rng& g) {
  gen_edge::UsesOddEnum o;
  o.f = pick_enum<gen_edge::from_string_>(g, {1, 0, 9});
  o.m = pick_enum<gen_edge::Macros>(g, {1, 2, 3, 4, 77});
  return o;
}
gen_edge::UsesTypedefs random_uses_typedefs(Rng& g) {
  gen_edge::UsesTypedefs t;
  for (std::size_t k = g.below(5); k > 0; --k) t.e.push_back(static_cast<std::int32_t>(g.next()));
  return t;
}
gen_edge::S_opt_args random_opt_args(Rng& g) {
  return gen_edge::S_opt_args{static_cast<std::int32_t>(g.next()), static_cast<std::int32_t>(g.next())};
}
gen_edge::S_name_result random_name_result(Rng& g) {
  gen_edge::S_name_result r;
  if (g.below(2)) r.success = static_cast<std::int32_t>(g.next());
  return r;
}

shapes::Color random_color(Rng& g) { return pick_enum<shapes::Color>(g, {1, 2, 7, 1, 2, 7, 0, 100}); }
shapes::Inner rand_inner(Rng& g) { return shapes::Inner{static_cast<std::int32_t>(g.next()), random_text(g, 12)}; }
shapes::Small random_small(Rng& g) {
  return shapes::Small{static_cast<std::int32_t>(g.next()), static_cast<std::int64_t>(g.next()), random_double(g),
                       g.below(2) != 0, random_text(g, 20), static_cast<std::int16_t>(g.next())};
}
shapes::Nested random_nested(Rng& g) {
  shapes::Nested n;
  n.name = random_text(g, 10);
  for (std::size_t k = g.below(5); k > 0; --k) n.counts[random_text(g, 5)] = static_cast<std::int32_t>(g.next());
  n.inner = rand_inner(g);
  for (std::size_t k = g.below(4); k > 0; --k) n.items.push_back(rand_inner(g));
  return n;
}
shapes::Everything rand_everything(Rng& g) {
  shapes::Everything e = testutil::random_everything(g);
  e.real = random_double(g);
  e.text = random_text(g, 30);
  e.color = random_color(g);
  for (double& d : e.reals)
    if (g.below(3) == 0) d = random_double(g);
  return e;
}
shapes::Defaults random_defaults(Rng& g) {
  shapes::Defaults d;
  if (g.below(3) == 0) return d;
  d.count = static_cast<std::int32_t>(g.next());
  d.label = random_text(g, 8);
  d.color = random_color(g);
  d.primes.resize(g.below(5));
  for (auto& p : d.primes) p = static_cast<std::int32_t>(g.next());
  if (g.below(2)) d.ratio.reset();
  else d.ratio = random_double(g);
  d.since = static_cast<std::int64_t>(g.next());
  for (std::size_t k = g.below(3); k > 0; --k) d.more.push_back(rand_inner(g));
  if (g.below(2)) d.limits.clear();
  d.tiny = static_cast<std::int8_t>(g.next());
  d.on = g.below(2);
  return d;
}
shapes::Choice random_choice(Rng& g) {
  shapes::Choice c;
  switch (g.below(4)) {
    case 0: break;
    case 1: c.number = static_cast<std::int32_t>(g.next()); break;
    case 2: c.text = random_text(g, 10); break;
    default: c.inner = rand_inner(g); break;
  }
  return c;
}
shapes::Oops random_oops(Rng& g) { return shapes::Oops{static_cast<std::int32_t>(g.next()), random_text(g, 15)}; }
shapes::Calculator_describe_args random_describe_args(Rng& g) { return {random_small(g), random_choice(g)}; }
shapes::Calculator_describe_result random_describe_result(Rng& g) {
  shapes::Calculator_describe_result r;
  if (g.below(2)) r.success = rand_inner(g);
  if (g.below(2)) r.oops = random_oops(g);
  return r;
}
shapes::Calculator_add_args random_add_args(Rng& g) {
  return {static_cast<std::int32_t>(g.next()), static_cast<std::int32_t>(g.next())};
}

/// Every type exercised below: its IDL, its name there and a way to make random values
/// and encode them with generated code. `decode` runs generated decode_into.
struct TypeCase {
  const Loaded* idl;
  std::string name;
  std::function<Bytes(Rng&)> random_bytes;
  std::function<Error(std::span<const std::byte>, const ReaderOptions&, Bytes* canonical)> decode;
};

template <class T>
TypeCase make_case(const Loaded& idl, const char* name, T (*gen)(Rng&)) {
  TypeCase c;
  c.idl = &idl;
  c.name = name;
  c.random_bytes = [gen](Rng& g) { return gen_encode(gen(g)); };
  c.decode = [](std::span<const std::byte> in, const ReaderOptions& o, Bytes* canon) {
    auto [e, b] = canonical<T>(in, o);
    if (canon) *canon = std::move(b);
    return e;
  };
  return c;
}

const std::vector<TypeCase>& cases() {
  static const std::vector<TypeCase> all = [] {
    const Loaded& f = features_idl();
    const Loaded& e = edge_idl();
    const Loaded& s = shapes_idl();
    return std::vector<TypeCase>{
        make_case(f, "Node", +[](Rng& g) { return random_node(g); }),
        make_case(f, "Keywords", &random_keywords),
        make_case(f, "WithUuid", &random_with_uuid),
        make_case(f, "Either", &random_either),
        make_case(f, "Templated", &random_templated),
        make_case(e, "P", &random_p),
        make_case(e, "UsesConsts", &random_uses_consts),
        make_case(e, "UsesOddEnum", &random_odd_enum),
        make_case(e, "UsesTypedefs", &random_uses_typedefs),
        make_case(e, "S_opt_args", &random_opt_args),
        make_case(e, "S_name_result", &random_name_result),
        make_case(s, "Small", &random_small),
        make_case(s, "Nested", &random_nested),
        make_case(s, "Everything", &rand_everything),
        make_case(s, "Defaults", &random_defaults),
        make_case(s, "Choice", &random_choice),
        make_case(s, "Oops", &random_oops),
        make_case(s, "Calculator_add_args", &random_add_args),
        make_case(s, "Calculator_describe_args", &random_describe_args),
        make_case(s, "Calculator_describe_result", &random_describe_result),
    };
  }();
  return all;
}

/// Decode `in` with generated code and with the dynamic codec: the same outcome (kind,
/// offset and value of the error), and when both succeed the dynamic re-encoding means
/// the same to generated code as the input does. Returns false (after a failed check)
/// when they disagree.
bool agree(const TypeCase& c, std::span<const std::byte> in, const ReaderOptions& options = {}) {
  const dyn::StructPlan& p = c.idl->plan(c.name);
  Bytes want;
  Error ge = c.decode(in, options, &want);
  Value v;
  Error de = dyn::decode(in, p, v, options);
  std::ostringstream problem;  // (only written when something disagrees)
  if (ge.kind != de.kind || ge.offset != de.offset || ge.value != de.value) {
    problem << c.name << ": generated " << describe(ge) << ", dynamic " << describe(de) << "\ninput: " << testutil::hex(in);
  } else if (!ge) {
    BinaryWriter w;
    dyn::Status st = dyn::encode(w, p, v);
    Bytes got;
    Error again = st ? Error{} : c.decode(w.view(), {}, &got);
    if (st)
      problem << c.name << ": a decoded value does not encode: " << st.message << "\ninput: " << testutil::hex(in);
    else if (again || got != want)
      problem << c.name << ": the dynamic re-encoding means something else to generated code (" << describe(again)
              << ")\ninput:   " << testutil::hex(in) << "\ndynamic: " << testutil::hex(w.view());
  }
  std::string text = problem.str();
  CHECK_MESSAGE(text.empty(), text);
  return text.empty();
}

Bytes mutate(const Bytes& b, Rng& g) {
  Bytes m = b;
  std::size_t i = g.below(m.size());
  static const unsigned char special[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x08, 0x0a, 0x0b, 0x0c,
                                          0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x7f, 0x80, 0xfe, 0xff};
  switch (g.below(4)) {
    case 0: m[i] = static_cast<std::byte>(g.next()); break;
    case 1: m[i] ^= static_cast<std::byte>(1u << g.below(8)); break;
    case 2: m[i] = static_cast<std::byte>(special[g.below(sizeof special)]); break;
    default: m[i] = static_cast<std::byte>(static_cast<unsigned>(m[i]) + (g.below(2) ? 1u : 255u)); break;
  }
  return m;
}

std::size_t field_index(const dyn::StructPlan& p, const char* name) {
  int k = p.find(std::string_view(name));
  REQUIRE_MESSAGE(k >= 0, p.name << " has no field " << name);
  return static_cast<std::size_t>(k);
}

}  // namespace

// ==== generated encode -> dynamic decode -> dynamic encode, and JSON ==========================

TEST_CASE("random values: generated bytes decode dynamically and re-encode to the same bytes, also through JSON") {
  int checked = 0;
  for (const TypeCase& c : cases()) {
    CAPTURE(c.name);
    const dyn::StructPlan& p = c.idl->plan(c.name);
    Rng g(0x5eed0000u + static_cast<std::uint64_t>(checked));
    Value reused;  // decoding into a used Value gives what decoding into a fresh one gives
    int failures = 0;
    for (int i = 0; i < 150 && failures < 3; ++i) {
      Bytes bytes = c.random_bytes(g);
      Value v;
      Error e = dyn::decode(bytes, p, v);
      if (e) {
        FAIL_CHECK(c.name << ": " << describe(e) << "\n" << hex(bytes));
        ++failures;
        continue;
      }
      bool ok = true;
      ok &= !dyn::check(p, v);
      ok &= dyn::encoded_size(p, v) == bytes.size();
      Bytes again = dyn_encode(p, v);
      ok &= again == bytes;
      // the Codec<Bound> adapter: wherever a generated struct goes
      BinaryWriter bw;
      ok &= !corothrift::encode(bw, dyn::Bound{&p, &v});
      ok &= copy(bw.view()) == bytes;
      ok &= !dyn::decode(bytes, p, reused) && dyn_encode(p, reused) == bytes;
      // JSON text and back
      std::string text = dyn::to_json(p, v).dump();
      Bytes from_json;
      try {
        from_json = dyn_encode(p, dyn::from_json(p, Json::parse(text)));
      } catch (const std::exception& x) {
        FAIL_CHECK(c.name << ": from_json: " << x.what() << "\n" << text);
      }
      ok &= from_json == bytes;
      if (!ok) {
        ++failures;
        FAIL_CHECK(c.name << ": mismatch\ngenerated: " << hex(bytes) << "\ndynamic:   " << hex(again)
                          << "\nsize " << dyn::encoded_size(p, v) << "\nvia JSON:  " << hex(from_json) << "\n" << text);
      }
      ++checked;
    }
  }
  MESSAGE(checked << " random values checked");
  CHECK(checked == 150 * static_cast<int>(cases().size()));
}

TEST_CASE("encode() and check()/encoded_size()/put() agree on broken values: same verdict, message and bytes") {
  // The one-pass writer and the checker state the encode rules separately (for speed);
  // random one-place breakages of valid values of every type must get one answer from both.
  int valid = 0, invalid = 0;
  for (const TypeCase& c : cases()) {
    CAPTURE(c.name);
    const dyn::StructPlan& p = c.idl->plan(c.name);
    Rng g(0xa9ee0000u + static_cast<std::uint64_t>(valid + invalid));
    int failures = 0;
    for (int i = 0; i < 200 && failures < 3; ++i) {
      Value v;
      Error e = dyn::decode(c.random_bytes(g), p, v);
      REQUIRE_MESSAGE(!e, describe(e));
      std::string what;
      for (int m = 1 + static_cast<int>(g.below(3)); m > 0; --m)
        what += dyn_testing::mutate(v, p, [&](std::size_t n) { return static_cast<std::size_t>(g.below(n)); }) + "; ";
      std::string problem = dyn_testing::encoders_disagree(p, v);
      if (!problem.empty()) {
        ++failures;
        FAIL_CHECK(c.name << " after " << what << ": " << problem);
      }
      (dyn::check(p, v) ? invalid : valid) += 1;
    }
  }
  MESSAGE(valid << " still valid, " << invalid << " invalid after the breakage");
  CHECK(invalid > 1000);  // the breakages do break values
  CHECK(valid > 100);     // and some leave them valid (a set field, an in-range integer)
}

// ==== defaults ================================================================================

namespace {
template <class T>
void want_default(std::map<std::string, Bytes>& m, const char* name) {
  m[name] = gen_encode(T{});
}

/// Every struct of `idl` and every args/result struct of its services: make() encodes to
/// the bytes of a default-constructed generated object, and a lone stop byte decodes the
/// same way on both sides.
void check_defaults(const Loaded& idl, const std::map<std::string, Bytes>& want, const std::vector<TypeCase>& decoders) {
  std::vector<const dyn::StructPlan*> plans(idl.dyn.structs().begin(), idl.dyn.structs().end());
  for (const dyn::ServicePlan* s : idl.dyn.services())
    for (const dyn::FunctionPlan& f : s->functions) {
      plans.push_back(f.args);
      plans.push_back(f.result);
    }
  std::size_t seen = 0;
  for (const dyn::StructPlan* p : plans) {
    CAPTURE(p->name);
    auto it = want.find(p->name);
    REQUIRE_MESSAGE(it != want.end(), "no generated type listed for " << p->name);
    ++seen;
    Value v = p->make();
    CHECK(!dyn::check(*p, v));
    CHECK(hex(dyn_encode(*p, v)) == hex(it->second));
    CHECK(dyn::encoded_size(*p, v) == it->second.size());
  }
  CHECK(seen == want.size());
  const Bytes stop = {std::byte{0}};
  for (const TypeCase& c : decoders)
    if (c.idl == &idl) agree(c, stop);
}
}  // namespace

TEST_CASE("StructPlan::make() encodes like a default-constructed generated object (IDL defaults)") {
  std::map<std::string, Bytes> f;
  want_default<gen_features::Node>(f, "Node");
  want_default<gen_features::Keywords>(f, "Keywords");
  want_default<gen_features::WithUuid>(f, "WithUuid");
  want_default<gen_features::Either>(f, "Either");
  want_default<gen_features::Templated>(f, "Templated");
  check_defaults(features_idl(), f, cases());

  std::map<std::string, Bytes> e;
  want_default<gen_edge::P>(e, "P");
  want_default<gen_edge::UsesConsts>(e, "UsesConsts");
  want_default<gen_edge::UsesOddEnum>(e, "UsesOddEnum");
  want_default<gen_edge::EmptyUnion>(e, "EmptyUnion");
  want_default<gen_edge::UsesTypedefs>(e, "UsesTypedefs");
  want_default<gen_edge::UsesOtherTypes>(e, "UsesOtherTypes");
  want_default<gen_edge::S_result_args>(e, "S_result_args");
  want_default<gen_edge::S_result_result>(e, "S_result_result");
  want_default<gen_edge::S_name_args>(e, "S_name_args");
  want_default<gen_edge::S_name_result>(e, "S_name_result");
  want_default<gen_edge::S_base_args>(e, "S_base_args");
  want_default<gen_edge::S_base_result>(e, "S_base_result");
  want_default<gen_edge::S_return_type_args>(e, "S_return_type_args");
  want_default<gen_edge::S_return_type_result>(e, "S_return_type_result");
  want_default<gen_edge::S_S_args>(e, "S_S_args");
  want_default<gen_edge::S_S_result>(e, "S_S_result");
  want_default<gen_edge::S_oneway_args>(e, "S_oneway_args");
  want_default<gen_edge::S_oneway_result>(e, "S_oneway_result");
  want_default<gen_edge::S_opt_args>(e, "S_opt_args");
  want_default<gen_edge::S_opt_result>(e, "S_opt_result");
  check_defaults(edge_idl(), e, cases());

  std::map<std::string, Bytes> s;
  want_default<shapes::Small>(s, "Small");
  want_default<shapes::Numbers>(s, "Numbers");
  want_default<shapes::Blob>(s, "Blob");
  want_default<shapes::Inner>(s, "Inner");
  want_default<shapes::Nested>(s, "Nested");
  want_default<shapes::Everything>(s, "Everything");
  want_default<shapes::Defaults>(s, "Defaults");
  want_default<shapes::Choice>(s, "Choice");
  want_default<shapes::Oops>(s, "Oops");
  want_default<shapes::Calculator_add_args>(s, "Calculator_add_args");
  want_default<shapes::Calculator_add_result>(s, "Calculator_add_result");
  want_default<shapes::Calculator_describe_args>(s, "Calculator_describe_args");
  want_default<shapes::Calculator_describe_result>(s, "Calculator_describe_result");
  want_default<shapes::Calculator_ping_args>(s, "Calculator_ping_args");
  want_default<shapes::Calculator_ping_result>(s, "Calculator_ping_result");
  check_defaults(shapes_idl(), s, cases());

  // the service tables: names, oneway, and args/result plans by their generated names
  const dyn::FunctionPlan& ping = shapes_idl().dyn.function("Calculator.ping");
  CHECK(ping.oneway);
  CHECK(ping.args == &shapes_idl().plan("Calculator_ping_args"));
  CHECK(ping.result == &shapes_idl().plan("Calculator_ping_result"));
  const dyn::FunctionPlan& describe_fn = shapes_idl().dyn.function("Calculator:describe");
  CHECK_FALSE(describe_fn.oneway);
  REQUIRE(describe_fn.result->fields.size() == 2);
  CHECK(describe_fn.result->fields[0].id == 0);
  CHECK(describe_fn.result->fields[0].name == "success");
  CHECK(describe_fn.result->fields[1].name == "oops");
  CHECK_THROWS_AS(shapes_idl().dyn.function("Calculator.nope"), dyn::SchemaError);
  CHECK_THROWS_AS(shapes_idl().dyn.struct_plan("Nope"), dyn::SchemaError);
}

// ==== errors: truncations and mutations =======================================================

TEST_CASE("truncated encodings fail the same way (kind, offset, value) on both sides") {
  std::size_t inputs = 0;
  for (const TypeCase& c : cases()) {
    CAPTURE(c.name);
    Rng g(0x7a11u);
    int failures = 0;
    for (int i = 0; i < 12 && failures < 3; ++i) {
      Bytes b = c.random_bytes(g);
      for (std::size_t n = 0; n < b.size() && failures < 3; ++n, ++inputs)
        if (!agree(c, std::span<const std::byte>(b).first(n))) ++failures;
      // and with one byte too many: trailing_data
      Bytes longer = b;
      longer.push_back(std::byte{0});
      if (!agree(c, longer)) ++failures;
      ++inputs;
    }
  }
  MESSAGE(inputs << " truncated inputs compared");
}

TEST_CASE("single-byte mutations of valid encodings: same error or same meaning on both sides") {
  // (With the default ReaderLimits no input here comes near max_decoded_size, where the two
  // sides' allocation accounting differs: see the limits test below.)
  std::size_t inputs = 0, failed_decodes = 0;
  for (const TypeCase& c : cases()) {
    CAPTURE(c.name);
    Rng g(0xb17f11b5u + inputs);
    std::vector<Bytes> samples;
    for (int i = 0; i < 10; ++i) samples.push_back(c.random_bytes(g));
    int failures = 0;
    for (int i = 0; i < 400 && failures < 3; ++i, ++inputs) {
      const Bytes& b = samples[g.below(samples.size())];
      Bytes m = mutate(b, g);
      if (g.below(8) == 0) m = mutate(m, g);  // now and then two bytes
      if (!agree(c, m)) ++failures;
      failed_decodes += static_cast<bool>(c.decode(m, {}, nullptr));
    }
  }
  MESSAGE(inputs << " mutated inputs compared, " << failed_decodes << " of them errors");
  CHECK(failed_decodes > inputs / 10);  // the mutations do reach the error paths
}

TEST_CASE("hand-made malformed inputs") {
  const TypeCase* choice = nullptr;
  const TypeCase* everything = nullptr;
  const TypeCase* nested = nullptr;
  const TypeCase* node = nullptr;
  for (const TypeCase& c : cases()) {
    if (c.name == "Choice") choice = &c;
    if (c.name == "Everything") everything = &c;
    if (c.name == "Nested") nested = &c;
    if (c.name == "Node") node = &c;
  }
  REQUIRE(choice);
  REQUIRE(everything);
  REQUIRE(nested);
  REQUIRE(node);
  auto run = [](const TypeCase& c, const char* hex_text, ErrorKind want) {
    CAPTURE(hex_text);
    Bytes b = testutil::bytes(hex_text);
    agree(c, b);
    Value v;
    CHECK(dyn::decode(b, c.idl->plan(c.name), v).kind == want);
  };
  // union with two fields
  run(*choice, "08 00 01 00 00 00 01  0b 00 02 00 00 00 01 79  00", ErrorKind::invalid_union);
  // the same field twice is one field
  run(*choice, "08 00 01 00 00 00 01  08 00 01 00 00 00 02  00", ErrorKind::ok);
  // a field with another wire type is skipped; an unknown id too
  run(*choice, "0b 00 01 00 00 00 01 79  08 00 09 00 00 00 01  00", ErrorKind::ok);
  // missing required field (Everything.must)
  run(*everything, "00", ErrorKind::missing_required_field);
  run(*everything, "0a 00 13 00 00 00 00 00 00 00 05  00", ErrorKind::ok);
  // container element type mismatch: Everything.ints (list<i32>) with i64 elements
  run(*everything, "0f 00 09 0a 00 00 00 01 00 00 00 00 00 00 00 01  0a 00 13 00 00 00 00 00 00 00 05  00",
      ErrorKind::type_mismatch);
  // an empty list may carry any element type
  run(*everything, "0f 00 09 0a 00 00 00 00  0a 00 13 00 00 00 00 00 00 00 05  00", ErrorKind::ok);
  // map value type mismatch: Nested.counts map<string,i32> with i64 values
  run(*nested, "0d 00 02 0b 0a 00 00 00 01 00 00 00 01 61 00 00 00 00 00 00 00 01  00", ErrorKind::type_mismatch);
  // map key type mismatch
  run(*nested, "0d 00 02 08 08 00 00 00 01 00 00 00 01 00 00 00 01  00", ErrorKind::type_mismatch);
  // duplicate map keys and set elements (generated code keeps one; the dynamic Value
  // keeps both, which re-encodes to the same meaning)
  run(*nested, "0d 00 02 0b 08 00 00 00 02 00 00 00 01 61 00 00 00 01 00 00 00 01 61 00 00 00 02  00", ErrorKind::ok);
  run(*everything, "0e 00 0a 0b 00 00 00 02 00 00 00 01 61 00 00 00 01 61  0a 00 13 00 00 00 00 00 00 00 05  00",
      ErrorKind::ok);
  // negative sizes, invalid type ids
  run(*nested, "0b 00 01 ff ff ff ff  00", ErrorKind::negative_size);
  run(*nested, "0f 00 04 0c ff ff ff fe  00", ErrorKind::negative_size);
  run(*nested, "0f 00 04 63 00 00 00 01 00  00", ErrorKind::invalid_type);
  run(*nested, "63 00 04  00", ErrorKind::invalid_type);
  // skipping an unknown field of a nested type: Node field 9 as a list of structs
  run(*node, "0f 00 09 0c 00 00 00 02 00 00  00", ErrorKind::ok);
  run(*node, "0f 00 09 0c 00 00 00 02 00", ErrorKind::unexpected_end);
}

// ==== limits ==================================================================================

TEST_CASE("reader limits: depth, string size, container size give the same errors") {
  const Loaded& f = features_idl();
  const Loaded& s = shapes_idl();
  auto find = [](const char* name) -> const TypeCase& {
    for (const TypeCase& c : cases())
      if (c.name == name) return c;
    FAIL("no case " << name);
    return cases().front();
  };
  const TypeCase& node = find("Node");
  const TypeCase& everything = find("Everything");
  const TypeCase& small = find("Small");
  const TypeCase& nested = find("Nested");
  (void)f;
  (void)s;

  SUBCASE("depth") {
    // a chain of 10 through the reference field, and children two levels down
    gen_features::Node n;
    gen_features::Node* at = &n;
    for (int i = 0; i < 10; ++i) {
      at->next = Ref<gen_features::Node>(gen_features::Node{i, {}, {gen_features::Node{}, gen_features::Node{-i, {}, {gen_features::Node{}}}}});
      at = at->next.get();
    }
    Bytes b = gen_encode(n);
    std::size_t limited = 0;
    for (int depth = 1; depth <= 40; ++depth) {
      CAPTURE(depth);
      ReaderOptions o;
      o.limits.max_depth = depth;
      agree(node, b, o);
      Value v;
      Error e = dyn::decode(b, f.plan("Node"), v, o);
      CHECK((e.kind == ErrorKind::ok || e.kind == ErrorKind::depth_limit));
      limited += e.kind == ErrorKind::depth_limit;
    }
    CHECK(limited > 10);
    // containers count as levels too: Everything.deep is list<map<string, set<i16>>>
    Rng g(3);
    shapes::Everything e = testutil::random_everything(g);
    e.deep = {{{"k", {1, 2}}}};
    Bytes eb = gen_encode(e);
    for (int depth = 1; depth <= 6; ++depth) {
      CAPTURE(depth);
      ReaderOptions o;
      o.limits.max_depth = depth;
      agree(everything, eb, o);
    }
    ReaderOptions o;
    o.limits.max_depth = 3;
    Value v;
    CHECK(dyn::decode(eb, s.plan("Everything"), v, o).kind == ErrorKind::depth_limit);
  }
  SUBCASE("string size") {
    shapes::Small sm;
    sm.name = std::string(100, 'x');
    Bytes b = gen_encode(sm);
    for (std::int32_t limit : {0, 1, 15, 16, 50, 99, 100, 1000}) {
      CAPTURE(limit);
      ReaderOptions o;
      o.limits.max_string_size = limit;
      agree(small, b, o);
      Value v;
      CHECK(dyn::decode(b, s.plan("Small"), v, o).kind == (limit < 100 ? ErrorKind::size_limit : ErrorKind::ok));
    }
  }
  SUBCASE("container size") {
    shapes::Nested ne;
    for (int i = 0; i < 5; ++i) ne.counts[std::to_string(i)] = i;
    for (int i = 0; i < 7; ++i) ne.items.push_back(shapes::Inner{i, "i"});
    Bytes b = gen_encode(ne);
    for (std::int32_t limit : {0, 1, 4, 5, 6, 7, 100}) {
      CAPTURE(limit);
      ReaderOptions o;
      o.limits.max_container_size = limit;
      agree(nested, b, o);
      Value v;
      CHECK(dyn::decode(b, s.plan("Nested"), v, o).kind == (limit < 7 ? ErrorKind::size_limit : ErrorKind::ok));
    }
    Rng g(11);
    for (int i = 0; i < 20; ++i) {
      Bytes eb = everything.random_bytes(g);
      for (std::int32_t limit : {0, 1, 2, 3, 5, 8, 16}) {
        ReaderOptions o;
        o.limits.max_container_size = limit;
        agree(everything, eb, o);
      }
    }
  }
  SUBCASE("message size") {
    Bytes b = gen_encode(shapes::Small{});
    ReaderOptions o;
    o.limits.max_message_size = b.size() - 1;
    agree(small, b, o);
  }
  SUBCASE("allocation budget (max_decoded_size): the same where both sides charge the same") {
    // Both sides charge a container's element count times the in-memory size of an
    // element before they allocate, and a copied string (over 15 bytes) its length. The
    // element sizes differ where the memory layouts do: generated code charges sizeof(T)
    // for a std::vector<T> and a node size for sets and maps, the dynamic codec 8 bytes per
    // integer element (Value::ints is int64) and sizeof(Value) per struct, string or
    // container element. So the same limit trips at the same byte only for list<i64>,
    // list<double> and strings; elsewhere only the direction is checked: the dynamic side
    // charges at least as much for vectors of integers.
    shapes::Numbers nums;
    for (int i = 0; i < 20; ++i) nums.values.push_back(i);
    Bytes nb = gen_encode(nums);
    const TypeCase& numbers_case = make_case(s, "Numbers", +[](Rng&) { return shapes::Numbers{}; });
    for (std::size_t limit : {0, 1, 100, 159, 160, 161, 1000}) {
      CAPTURE(limit);
      ReaderOptions o;
      o.limits.max_decoded_size = limit;
      agree(numbers_case, nb, o);
    }
    shapes::Blob blob;
    blob.data = std::string(40, 'b');
    Bytes bb = gen_encode(blob);
    const TypeCase& blob_case = make_case(s, "Blob", +[](Rng&) { return shapes::Blob{}; });
    for (std::size_t limit : {0, 39, 40, 41}) {
      CAPTURE(limit);
      ReaderOptions o;
      o.limits.max_decoded_size = limit;
      agree(blob_case, bb, o);
    }
    shapes::Everything ev;
    for (int i = 0; i < 10; ++i) ev.ints.push_back(i);  // list<i32>: 40 bytes generated, 80 dynamic
    Bytes evb = gen_encode(ev);
    for (std::size_t limit : {0, 39, 40, 60, 79, 80, 1000}) {
      CAPTURE(limit);
      ReaderOptions o;
      o.limits.max_decoded_size = limit;
      Error ge = everything.decode(evb, o, nullptr);
      Value v;
      Error de = dyn::decode(evb, s.plan("Everything"), v, o);
      if (!de) CHECK(!ge);
      if (ge) CHECK(de.kind == ErrorKind::allocation_limit);
      CHECK((de.kind == ErrorKind::ok || de.kind == ErrorKind::allocation_limit));
      CHECK((ge.kind == ErrorKind::ok || ge.kind == ErrorKind::allocation_limit));
    }
  }
}

// ==== encode errors of the dynamic side =======================================================

namespace {
/// A valid Value of `name` (decoded from a generated encoding).
template <class T>
Value value_of(const Loaded& idl, const char* name, const T& v) {
  Value out;
  Error e = dyn::decode(gen_encode(v), idl.plan(name), out);
  REQUIRE_MESSAGE(!e, describe(e));
  return out;
}

void expect_encode_error(const dyn::StructPlan& p, const Value& v, ErrorKind kind, const std::string& message) {
  CAPTURE(message);
  dyn::Status st = dyn::check(p, v);
  CHECK(st.kind == kind);
  CHECK(st.message == message);
  BinaryWriter w;
  w.write_i32(7);  // something already there stays, nothing is added
  dyn::Status st2 = dyn::encode(w, p, v);
  CHECK(st2.kind == kind);
  CHECK(st2.message == message);
  CHECK(w.size() == 4);
  // the Codec<Bound> adapter cannot report a Status: the size says "too large"
  BinaryWriter bw;
  Value copy_v = v;
  CHECK(corothrift::encode(bw, dyn::Bound{&p, &copy_v}).kind == ErrorKind::value_too_large);
  CHECK(bw.size() == 0);
}
}  // namespace

TEST_CASE("dynamic encode errors: wrong tags, integers out of range, unions, required fields; paths named") {
  const Loaded& s = shapes_idl();
  const dyn::StructPlan& ev = s.plan("Everything");
  Rng g(99);
  shapes::Everything base = testutil::random_everything(g);
  base.ints = {1, 2, 3};
  base.bits = {true, false};
  base.deep = {{{"k", {1, 2}}}};
  base.inners = {shapes::Inner{1, "a"}, shapes::Inner{2, "b"}};
  base.names = {{1, "one"}};
  const Value good = value_of(s, "Everything", base);
  REQUIRE(!dyn::check(ev, good));
  auto with = [&](const char* field, auto&& change) {
    Value v = good;
    change(v.items[field_index(ev, field)]);
    return v;
  };

  SUBCASE("wrong tag in a field") {
    expect_encode_error(ev, with("text", [](Value& x) { x = Value::integer(1); }), ErrorKind::type_mismatch,
                        "Everything.text: expected a string (string), got an integer");
    expect_encode_error(ev, with("flag", [](Value& x) { x = Value::string("yes"); }), ErrorKind::type_mismatch,
                        "Everything.flag: expected a bool (bool), got a string");
    expect_encode_error(ev, with("real", [](Value& x) { x = Value::integer(1); }), ErrorKind::type_mismatch,
                        "Everything.real: expected a double (double), got an integer");
    expect_encode_error(ev, with("inners", [](Value& x) { x.items[1].items[1] = Value::boolean(true); }),
                        ErrorKind::type_mismatch, "Everything.inners[1].label: expected a string (string), got a bool");
    expect_encode_error(ev, with("names", [](Value& x) { x.items[0] = Value::string("1"); }), ErrorKind::type_mismatch,
                        "Everything.names{key 0}: expected an integer (i32), got a string");
    expect_encode_error(ev, with("names", [](Value& x) { x.items[1] = Value::integer(1); }), ErrorKind::type_mismatch,
                        "Everything.names{value 0}: expected a string (string), got an integer");
    expect_encode_error(ev, with("inner", [](Value& x) { x.items.pop_back(); }), ErrorKind::type_mismatch,
                        "Everything.inner: a Inner Value has 2 fields (StructPlan::make()), this one 1");
    expect_encode_error(ev, with("ints", [](Value& x) { x.items.push_back(Value::integer(1)); }), ErrorKind::type_mismatch,
                        "Everything.ints: elements of list<i32> belong in Value::ints");
    expect_encode_error(ev, with("names", [](Value& x) { x.items.pop_back(); }), ErrorKind::type_mismatch,
                        "Everything.names: a map Value holds key, value pairs (odd item count)");
    BinaryWriter w;
    dyn::Status st = dyn::encode(w, ev, Value::integer(3));
    CHECK(st.kind == ErrorKind::type_mismatch);
    CHECK(st.message == "Everything: expected a struct, got an integer");
    const dyn::StructPlan& wu = features_idl().plan("WithUuid");
    Value u = wu.make();
    u.items[field_index(wu, "id")].bytes = "abc";
    expect_encode_error(wu, u, ErrorKind::type_mismatch, "WithUuid.id: a uuid is 16 bytes, got 3");
  }
  SUBCASE("integers out of range for i8, i16, i32, enum, bool") {
    expect_encode_error(ev, with("tiny", [](Value& x) { x.i = 200; }), ErrorKind::type_mismatch,
                        "Everything.tiny: 200 does not fit in byte");
    expect_encode_error(ev, with("tiny", [](Value& x) { x.i = -129; }), ErrorKind::type_mismatch,
                        "Everything.tiny: -129 does not fit in byte");
    expect_encode_error(ev, with("small", [](Value& x) { x.i = 40000; }), ErrorKind::type_mismatch,
                        "Everything.small: 40000 does not fit in i16");
    expect_encode_error(ev, with("medium", [](Value& x) { x.i = std::int64_t{1} << 40; }), ErrorKind::type_mismatch,
                        "Everything.medium: 1099511627776 does not fit in i32");
    expect_encode_error(ev, with("color", [](Value& x) { x.i = -(std::int64_t{1} << 33); }), ErrorKind::type_mismatch,
                        "Everything.color: -8589934592 does not fit in Color");
    expect_encode_error(ev, with("ints", [](Value& x) { x.ints[2] = std::int64_t{1} << 40; }), ErrorKind::type_mismatch,
                        "Everything.ints[2]: 1099511627776 does not fit in i32");
    expect_encode_error(ev, with("bits", [](Value& x) { x.ints[1] = 2; }), ErrorKind::type_mismatch,
                        "Everything.bits[1]: 2 does not fit in bool");
    expect_encode_error(ev, with("deep", [](Value& x) { x.items[0].items[1].ints[1] = 70000; }), ErrorKind::type_mismatch,
                        "Everything.deep[0]{value 0}[1]: 70000 does not fit in i16");
    // the edges themselves fit
    for (std::int64_t i : {-128, 127}) CHECK(!dyn::check(ev, with("tiny", [i](Value& x) { x.i = i; })));
    for (std::int64_t i : {-32768, 32767}) CHECK(!dyn::check(ev, with("small", [i](Value& x) { x.i = i; })));
    for (std::int64_t i : {INT32_MIN, INT32_MAX}) CHECK(!dyn::check(ev, with("medium", [i](Value& x) { x.i = i; })));
    // and encode as generated code does
    Value edge = with("tiny", [](Value& x) { x.i = -128; });
    base.tiny = -128;
    CHECK(hex(dyn_encode(ev, edge)) == hex(gen_encode(base)));
  }
  SUBCASE("unions with two fields") {
    const dyn::StructPlan& ch = s.plan("Choice");
    Value c = ch.make();
    c.items[0] = Value::integer(1);
    CHECK(!dyn::check(ch, c));
    c.items[1] = Value::string("x");
    expect_encode_error(ch, c, ErrorKind::invalid_union, "Choice: union Choice has 2 fields set (one at most)");
    const dyn::StructPlan& args = s.plan("Calculator_describe_args");
    Value a = args.make();
    a.items[field_index(args, "how")] = c;
    expect_encode_error(args, a, ErrorKind::invalid_union,
                        "Calculator_describe_args.how: union Choice has 2 fields set (one at most)");
    const dyn::StructPlan& ei = features_idl().plan("Either");
    Value e = ei.make();
    e.items[0] = Value::string("s");
    e.items[1] = Value::integer(2);
    expect_encode_error(ei, e, ErrorKind::invalid_union, "Either: union Either has 2 fields set (one at most)");
  }
  SUBCASE("required field unset") {
    expect_encode_error(ev, with("must", [](Value& x) { x.clear(); }), ErrorKind::missing_required_field,
                        "Everything.must: required field not set");
    // an optional field unset is fine and is not written
    Value v = with("maybe_int", [](Value& x) { x.clear(); });
    CHECK(!dyn::check(ev, v));
    base.maybe_int.reset();
    CHECK(hex(dyn_encode(ev, v)) == hex(gen_encode(base)));
  }
  SUBCASE("one value of a type") {
    const dyn::TypeNode* color = s.dyn.find_type("Color");
    REQUIRE(color);
    BinaryWriter w;
    CHECK(!dyn::encode(w, *color, Value::integer(7)));
    CHECK(hex(copy(w.view())) == testutil::canon("00 00 00 07"));
    dyn::Status st = dyn::encode(w, *color, Value::integer(INT64_MAX));
    CHECK(st.kind == ErrorKind::type_mismatch);
    CHECK(st.message == "value: 9223372036854775807 does not fit in Color");
    const dyn::TypeNode* inner_list = s.dyn.find_type("InnerList");
    REQUIRE(inner_list);
    Value l;
    l.tag = Value::Tag::List;
    l.items.push_back(s.plan("Inner").make());
    l.items.push_back(Value::integer(1));
    st = dyn::check(*inner_list, l);
    CHECK(st.kind == ErrorKind::type_mismatch);
    CHECK(st.message == "value[1]: expected a struct (Inner), got an integer");
    // a typed value (not a struct) against generated containers: read, encode, size, put
    std::vector<shapes::Inner> list = {shapes::Inner{1, "a"}, shapes::Inner{-2, "bb"}};
    Bytes lb = gen_encode(list);
    BinaryReader r(lb);
    Value lv;
    dyn::read(r, *inner_list, lv);
    REQUIRE(r.ok());
    CHECK(r.remaining() == 0);
    BinaryWriter lw;
    REQUIRE(!dyn::encode(lw, *inner_list, lv));
    CHECK(hex(copy(lw.view())) == hex(lb));
    REQUIRE(dyn::encoded_size(*inner_list, lv) == lb.size());
    Bytes out(lb.size());
    CHECK(dyn::put(out.data(), *inner_list, lv) == out.data() + out.size());
    CHECK(out == lb);
    // Codec<Bound> reads too
    Value bv;
    dyn::Bound bound{&s.plan("Small"), &bv};
    shapes::Small sm{1, 2, 3.5, true, "s", 6};
    REQUIRE(!corothrift::decode_into(gen_encode(sm), bound));
    CHECK(hex(dyn_encode(s.plan("Small"), bv)) == hex(gen_encode(sm)));
  }
}

// ==== JSON ====================================================================================

namespace {
std::string json_error(const dyn::StructPlan& p, const char* text) {
  try {
    dyn::from_json(p, Json::parse(text));
  } catch (const dyn::JsonError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("JSON: from_json errors name the path") {
  const Loaded& s = shapes_idl();
  const dyn::StructPlan& ev = s.plan("Everything");
  const dyn::StructPlan& nested = s.plan("Nested");
  CHECK(json_error(ev, R"({"must": 1, "medium": "x"})") == R"($.medium: expected an integer (i32), got a string ("x"))");
  CHECK(json_error(ev, R"({"must": 1, "small": 40000})") == "$.small: 40000 does not fit in i16");
  CHECK(json_error(ev, R"({"must": 1, "flag": 1})") == "$.flag: expected true or false (bool), got an integer (1)");
  CHECK(json_error(ev, R"({"must": 1, "inners": [{"x": 1}, {"x": 2, "bogus": 3}]})") ==
        "$.inners[1]: Inner has no field 'bogus' (fields: x, label)");
  CHECK(json_error(ev, R"({"must": 1, "inners": [{"x": 1}, {"x": 2.5}]})") ==
        "$.inners[1].x: expected an integer (i32), got a number with a fraction (2.5)");
  CHECK(json_error(ev, R"({"must": 1, "color": "PURPLE"})") ==
        "$.color: 'PURPLE' is not a value of enum Color (RED, GREEN, BLUE)");
  CHECK(json_error(ev, R"({"must": 1, "colors": ["RED", "NOPE"]})") ==
        "$.colors[1]: 'NOPE' is not a value of enum Color (RED, GREEN, BLUE)");
  CHECK(json_error(ev, R"({"must": 1, "raw": "!!!"})") == "$.raw: invalid base64 in a binary value");
  CHECK(json_error(ev, R"({"must": 1, "text": {"base64": "a*"}})") == "$.text: invalid base64");
  CHECK(json_error(ev, R"({"must": 1, "deep": [{"a": [1, 2]}, {"b": [3, "x"]}]})") ==
        R"($.deep[1]["b"][1]: expected an integer (i16), got a string ("x"))");
  CHECK(json_error(ev, R"({"must": 1, "names": {"1": "a", "two": "b"}})") ==
        R"($.names["two"]: map key 'two' is not an integer (i32))");
  CHECK(json_error(ev, R"({"must": 1, "series": [["a", [1]], ["b"]]})") ==
        "$.series[1]: expected a [key, value] pair, got an array of 1");
  CHECK(json_error(ev, R"({"tiny": 1})") == "$: missing required field 'must' of Everything");
  CHECK(json_error(ev, R"({"must": null})") == "$: missing required field 'must' of Everything");
  CHECK(json_error(ev, R"([1])") == "$: expected an object (Everything), got an array");
  CHECK(json_error(nested, R"({"counts": [1]})") == "$.counts[0]: expected a [key, value] pair, got an integer");
  CHECK(json_error(nested, R"({"items": {"x": 1}})") == R"($.items: expected an array (list<Inner>), got an object)");
  CHECK(json_error(s.plan("Calculator_describe_args"), R"({"how": {"number": 1, "text": "x"}})") ==
        "$.how: union Choice sets 2 fields; it holds one");
  CHECK(json_error(features_idl().plan("WithUuid"), R"({"id": "00112233-4455-6677-8899-aabbccddeefX"})") ==
        "$.id: '00112233-4455-6677-8899-aabbccddeefX' is not a uuid (32 hex digits, dashes optional)");
  CHECK(json_error(features_idl().plan("WithUuid"), R"({"levels": [["00112233-4455-6677-8899-aabbccddeeff", "LOUD"]]})") ==
        "$.levels[0][1]: 'LOUD' is not a value of enum Level (LOW, MEDIUM, HIGH)");
}

TEST_CASE("JSON: to_json shows enums by name, binary as base64, string-keyed maps as objects") {
  const Loaded& s = shapes_idl();
  const dyn::StructPlan& ev = s.plan("Everything");
  shapes::Everything e;
  e.color = shapes::Color::BLUE;
  e.colors = {shapes::Color::RED, static_cast<shapes::Color>(3)};
  e.raw = "hi!?";
  e.text = "caf\xc3\xa9";
  e.tags = {"x"};
  e.names = {{-1, "minus"}, {2, "two"}};
  e.series = {{"a", {1, 2}}};
  e.deep = {{{"k", {5}}}};
  e.maybe_text = std::string("\xff\xfe", 2);
  e.real = std::numeric_limits<double>::quiet_NaN();
  e.reals = {1.5, -std::numeric_limits<double>::infinity()};
  e.must = 9;
  e.large = INT64_MIN;
  e.bits = {true, false};
  Value v = value_of(s, "Everything", e);
  Json j = dyn::to_json(ev, v);
  CHECK(j["color"] == "BLUE");
  CHECK(j["colors"] == Json::parse(R"(["RED", 3])"));
  CHECK(j["raw"] == "aGkhPw==");
  CHECK(j["text"] == "caf\xc3\xa9");
  CHECK(j["maybe_text"] == Json::parse(R"({"base64": "//4="})"));
  CHECK(j["names"] == Json::parse(R"({"-1": "minus", "2": "two"})"));
  CHECK(j["series"] == Json::parse(R"({"a": [1, 2]})"));
  CHECK(j["deep"] == Json::parse(R"([{"k": [5]}])"));
  CHECK(j["real"] == "NaN");
  CHECK(j["reals"] == Json::parse(R"([1.5, "-Infinity"])"));
  CHECK(j["large"] == INT64_MIN);
  CHECK(j["bits"] == Json::parse("[true, false]"));
  CHECK(j["inner"] == Json::parse(R"({"x": 0, "label": ""})"));
  CHECK_FALSE(j.contains("maybe_int"));  // unset optional fields are left out
  // keys in field order
  CHECK(j.begin().key() == "flag");
  // from_json accepts what to_json gives, and numbers for enums, strings of digits for i64
  Value back = dyn::from_json(ev, j);
  CHECK(hex(dyn_encode(ev, back)) == hex(gen_encode(e)));
  Json k = j;
  k["color"] = 7;
  k["large"] = "-9223372036854775808";
  k["colors"] = Json::parse(R"(["Color.RED", 3])");
  CHECK(hex(dyn_encode(ev, dyn::from_json(ev, k))) == hex(gen_encode(e)));
  // null unsets a field; a field left out keeps its default
  const dyn::StructPlan& d = s.plan("Defaults");
  Value dv = dyn::from_json(d, Json::parse(R"({"count": null, "label": "x"})"));
  shapes::Defaults want;
  want.label = "x";
  BinaryWriter w;
  REQUIRE(!dyn::encode(w, d, dv));
  auto [err, canon] = canonical<shapes::Defaults>(w.view());
  REQUIRE(!err);
  // (count, unset, was not sent: a reader gives it its default, 42; ratio, optional with a
  // default, starts set to 0.5 as in a fresh generated object)
  CHECK(hex(canon) == hex(gen_encode(want)));
  // an optional field with a default (ratio = 0.5), unset: null in JSON, else from_json
  // would give it its default
  shapes::Defaults unset;
  unset.ratio.reset();
  Value uv = value_of(s, "Defaults", unset);
  Json uj0 = dyn::to_json(d, uv);
  CHECK(uj0["ratio"].is_null());
  CHECK(hex(dyn_encode(d, dyn::from_json(d, uj0))) == hex(gen_encode(unset)));
  CHECK(hex(dyn_encode(d, dyn::from_json(d, Json::parse("{}")))) == hex(gen_encode(shapes::Defaults{})));
  // a uuid, and a map with uuid keys (no string form: an array of pairs)
  gen_features::WithUuid u;
  for (int i = 0; i < 16; ++i) u.id.bytes[static_cast<std::size_t>(i)] = static_cast<std::byte>(i * 17);
  u.levels[u.id] = gen_features::Level::MEDIUM;
  const dyn::StructPlan& wu = features_idl().plan("WithUuid");
  Json uj = dyn::to_json(wu, value_of(features_idl(), "WithUuid", u));
  CHECK(uj["id"] == "00112233-4455-6677-8899-aabbccddeeff");
  CHECK(uj["levels"] == Json::parse(R"([["00112233-4455-6677-8899-aabbccddeeff", "MEDIUM"]])"));
  // string keys that are not UTF-8, or repeat, make an array of pairs too
  shapes::Nested n;
  n.counts = {{std::string("\xff", 1), 1}, {"ok", 2}};
  Json nj = dyn::to_json(s.plan("Nested"), value_of(s, "Nested", n));
  CHECK(nj["counts"] == Json::parse(R"([["ok", 2], [{"base64": "/w=="}, 1]])"));  // (std::map order)
  CHECK(hex(dyn_encode(s.plan("Nested"), dyn::from_json(s.plan("Nested"), nj))) == hex(gen_encode(n)));
}

TEST_CASE("JSON: raw_struct shows a generated encoding without a schema") {
  shapes::Nested n;
  n.name = "n";
  n.counts = {{"a", 1}};
  n.inner = shapes::Inner{5, "in"};
  n.items = {shapes::Inner{6, "x"}};
  Bytes b = gen_encode(n);
  BinaryReader r(b);
  Json j = dyn::raw_struct(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  CHECK(j == Json::parse(R"([
    {"id": 1, "type": "string", "value": "n"},
    {"id": 2, "type": "map", "value": {"key": "string", "value": "i32", "entries": [["a", 1]]}},
    {"id": 3, "type": "struct", "value": [{"id": 1, "type": "i32", "value": 5}, {"id": 2, "type": "string", "value": "in"}]},
    {"id": 4, "type": "list", "value": {"elem": "struct", "values": [[{"id": 1, "type": "i32", "value": 6},
                                                                     {"id": 2, "type": "string", "value": "x"}]]}}
  ])"));
  shapes::Small sm{7, -2, 0.25, true, std::string("\x01\xff", 2), 3};
  Bytes sb = gen_encode(sm);
  BinaryReader rs(sb);
  Json js = dyn::raw_struct(rs);
  CHECK(js == Json::parse(R"([
    {"id": 1, "type": "i32", "value": 7}, {"id": 2, "type": "i64", "value": -2},
    {"id": 3, "type": "double", "value": 0.25}, {"id": 4, "type": "bool", "value": true},
    {"id": 5, "type": "string", "value": {"base64": "Af8="}}, {"id": 6, "type": "i16", "value": 3}
  ])"));
  // an error stays in the reader; what was read is returned
  BinaryReader bad(std::span<const std::byte>(sb).first(10));
  Json partial = dyn::raw_struct(bad);
  CHECK(bad.error().kind == ErrorKind::unexpected_end);
  CHECK(partial.size() >= 1);
}

TEST_CASE("base64 and uuid helpers") {
  std::string out;
  CHECK(dyn::base64_encode("") == "");
  CHECK(dyn::base64_encode("f") == "Zg==");
  CHECK(dyn::base64_encode("fo") == "Zm8=");
  CHECK(dyn::base64_encode("foo") == "Zm9v");
  CHECK(dyn::base64_decode("Zm8", out));
  CHECK(out == "fo");
  CHECK(dyn::base64_decode("-_8=", out));
  CHECK(out == "\xfb\xff");
  CHECK_FALSE(dyn::base64_decode("Z", out));
  CHECK_FALSE(dyn::base64_decode("Zg=a", out));
  CHECK_FALSE(dyn::base64_decode("Zg===", out));
  Rng g(5);
  for (int i = 0; i < 200; ++i) {
    std::string s = g.str(40);
    REQUIRE(dyn::base64_decode(dyn::base64_encode(s), out));
    CHECK(out == s);
  }
  CHECK(dyn::is_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK_FALSE(dyn::is_utf8("\xc0\x80"));        // overlong
  CHECK_FALSE(dyn::is_utf8("\xed\xa0\x80"));    // surrogate
  CHECK_FALSE(dyn::is_utf8("\xe2\x82"));        // cut short
}
