// make_seeds: writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/seed-*).
//
//     .build-fuzz/fuzz/make_seeds fuzz/corpus .        # OUTDIR, then the source root
//
// Binary seeds are encoded here with BinaryWriter and the generated codecs (the byte
// vectors of tests/test_vectors.cpp and values of the test IDLs); IDL seeds are the
// project's own .thrift files and broken snippets like those of tests/idl/test_errors.cpp.
// Output is deterministic; files not named seed-* (regression inputs) are left alone, and
// old seed-* files are removed first.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <corothrift/transport.hpp>

#include "fuzz_types.hpp"

namespace {

namespace fs = std::filesystem;
using namespace corothrift;
using Bytes = std::vector<std::uint8_t>;

fs::path out_root;

void write(const std::string& target, const std::string& name, const Bytes& b) {
  fs::path dir = out_root / target;
  fs::create_directories(dir);
  std::ofstream f(dir / ("seed-" + name), std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  if (!f) {
    std::fprintf(stderr, "cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
}

Bytes bytes_of(const BinaryWriter& w) {
  auto v = w.view();
  Bytes b(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) b[i] = static_cast<std::uint8_t>(v[i]);
  return b;
}

template <class T>
Bytes encoded(const T& v) {
  BinaryWriter w;
  if (encode(w, v)) std::abort();
  return bytes_of(w);
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes with_prefix(std::initializer_list<std::uint8_t> prefix, const Bytes& b) {
  Bytes out(prefix);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", p.c_str());
    std::exit(1);
  }
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

Uuid uuid_from(std::uint8_t first) {
  Uuid u;
  for (std::size_t i = 0; i < 16; ++i) u.bytes[i] = std::byte(first + i);
  return u;
}

// ---- sample values of the generated types ---------------------------------------------------

template <class T>
T sample() {
  return T{};
}

template <>
shapes::Inner sample<shapes::Inner>() {
  return {7, "inner"};
}
template <>
shapes::Small sample<shapes::Small>() {
  return {1, 1700000000000, 2.5, true, "small", -3};
}
template <>
shapes::Numbers sample<shapes::Numbers>() {
  return {{1, -1, 1LL << 40, std::numeric_limits<std::int64_t>::min()}};
}
template <>
shapes::Blob sample<shapes::Blob>() {
  return {std::string("\x00\x01\xff binary", 10)};
}
template <>
shapes::Nested sample<shapes::Nested>() {
  return {"nested", {{"a", 1}, {"b", 2}}, {1, "one"}, {{2, "two"}, {3, "three"}}};
}
template <>
shapes::Everything sample<shapes::Everything>() {
  shapes::Everything e;
  e.flag = true;
  e.tiny = -1;
  e.small = 300;
  e.medium = -70000;
  e.large = 1LL << 50;
  e.real = -0.5;
  e.text = "text";
  e.raw = std::string("\0raw", 4);
  e.ints = {1, 2, 3};
  e.tags = {"x", "y"};
  e.names = {{1, "one"}, {2, "two"}};
  e.series = {{"s", {1, 2}}, {"t", {}}};
  e.deep = {{{"k", {1, 2}}}, {}};
  e.color = shapes::Color::BLUE;
  e.maybe_int = 5;
  e.maybe_text = "maybe";
  e.inner = {1, "in"};
  e.inners = {{2, "a"}, {3, "b"}};
  e.must = 99;
  e.bits = {true, false, true};
  e.colors = {shapes::Color::RED, shapes::Color::GREEN};
  e.reals = {1.0, -2.25};
  return e;
}
template <>
shapes::Choice sample<shapes::Choice>() {
  shapes::Choice c;
  c.inner = shapes::Inner{4, "choice"};
  return c;
}
template <>
shapes::Oops sample<shapes::Oops>() {
  return {500, "oops"};
}
template <>
shapes::Calculator_add_args sample<shapes::Calculator_add_args>() {
  return {1, 2};
}
template <>
shapes::Calculator_add_result sample<shapes::Calculator_add_result>() {
  shapes::Calculator_add_result r;
  r.success = 3;
  return r;
}
template <>
shapes::Calculator_describe_args sample<shapes::Calculator_describe_args>() {
  shapes::Calculator_describe_args a;
  a.s = sample<shapes::Small>();
  a.how.number = 3;
  return a;
}
template <>
shapes::Calculator_describe_result sample<shapes::Calculator_describe_result>() {
  shapes::Calculator_describe_result r;
  r.oops = sample<shapes::Oops>();
  return r;
}
template <>
shapes::Calculator_ping_args sample<shapes::Calculator_ping_args>() {
  return {"ping"};
}

template <>
gen_features::Node sample<gen_features::Node>() {
  gen_features::Node leaf{3, {}, {}};
  gen_features::Node mid{2, corothrift::Ref<gen_features::Node>(leaf), {leaf, leaf}};
  return {1, corothrift::Ref<gen_features::Node>(mid), {mid}};
}
template <>
gen_features::Keywords sample<gen_features::Keywords>() {
  return {1, "template", true, 64};
}
template <>
gen_features::WithUuid sample<gen_features::WithUuid>() {
  gen_features::WithUuid w;
  w.id = uuid_from(0x10);
  w.other = uuid_from(0x20);
  w.many = {uuid_from(0x30), uuid_from(0x40)};
  w.levels = {{uuid_from(0x50), gen_features::Level::HIGH}, {uuid_from(0x60), gen_features::Level::LOW}};
  return w;
}
template <>
gen_features::Either sample<gen_features::Either>() {
  gen_features::Either e;
  e.s = "either";
  return e;
}
template <>
gen_features::Templated sample<gen_features::Templated>() {
  gen_features::Templated t;
  t.deque = {1, 2, 3};
  t.names = {"a", "bb"};
  t.counts = {{"only", 1}};
  t.ids = {42};
  return t;
}

namespace tf = ::corothrift_::test::features;
template <>
tf::Point sample<tf::Point>() {
  tf::Point p;
  p.x = 1;
  p.y = 2;
  p.tags = {"t1", "t2"};
  p.owners = {{"me", 7}};
  p.statuses = {tf::Status::ACTIVE, tf::Status::NEGATIVE};
  p.color = features::inc::Color::BLUE;
  p.shape.name = "square";
  p.old = "old";
  p.i8 = -8;
  p.string = "string";
  p.list = {5, 6};
  tf::Point next;
  next.x = 3;
  next.y = 4;
  p.next = corothrift::Ref<tf::Point>(next);
  p.id = uuid_from(0x70);
  return p;
}
template <>
tf::NoIds sample<tf::NoIds>() {
  return {1, "second"};
}
template <>
tf::Value sample<tf::Value>() {
  tf::Value v;
  v.text = "value";
  return v;
}
template <>
tf::NotFound sample<tf::NotFound>() {
  return {"gone", 404};
}
template <>
tf::Features_find_result sample<tf::Features_find_result>() {
  tf::Features_find_result r;
  r.success = sample<tf::Point>();
  return r;
}
template <>
tf::Features_all_result sample<tf::Features_all_result>() {
  tf::Features_all_result r;
  r.success = std::vector<tf::Point>{sample<tf::Point>(), tf::Point{}};
  return r;
}
template <>
features::inc::Shape sample<features::inc::Shape>() {
  return {"circle"};
}

// ---- per target -----------------------------------------------------------------------------

void generated_seeds() {
  for (std::size_t i = 0; i < fuzz::AllTypes::size; ++i) {
    fuzz::with_type(fuzz::AllTypes{}, i, [&]<class T>() {
      Bytes body = encoded(sample<T>());
      char name[32];
      std::snprintf(name, sizeof name, "%02zu", i);
      for (const char* target : {"fuzz_generated", "fuzz_roundtrip"}) {
        write(target, name, with_prefix({static_cast<std::uint8_t>(i)}, body));
        if (i == 0 || i == 10 || i == 19)  // Node, Everything, Point again with tight limits
          write(target, std::string(name) + "-tight", with_prefix({static_cast<std::uint8_t>(i | 0x40)}, body));
      }
    });
  }
}

Bytes message(std::string_view name, MessageType type, std::int32_t seqid, const Bytes& body, bool strict = true) {
  BinaryWriter w(WriterOptions{strict});
  w.write_message_begin(name, type, seqid);
  return cat({bytes_of(w), body});
}

Bytes framed(const Bytes& payload) {
  BinaryWriter w;
  std::size_t mark = begin_frame(w);
  w.write_raw(payload.data(), payload.size());
  if (end_frame(w, mark)) std::abort();
  return bytes_of(w);
}

void skip_seeds() {
  // Mode byte: bits 0-1 what (0 struct, 1 message + struct, 2 typed value, 3 messages),
  // bits 2-3 limits (3 = roomy), bit 4 strict_read.
  const std::uint8_t roomy = 0x0c;
  write("fuzz_skip", "struct-everything", with_prefix({roomy | 0}, encoded(sample<shapes::Everything>())));
  write("fuzz_skip", "struct-nested", with_prefix({roomy | 0}, encoded(sample<shapes::Nested>())));
  write("fuzz_skip", "struct-node", with_prefix({roomy | 0}, encoded(sample<gen_features::Node>())));
  write("fuzz_skip", "struct-withuuid", with_prefix({roomy | 0}, encoded(sample<gen_features::WithUuid>())));
  write("fuzz_skip", "struct-point", with_prefix({roomy | 0}, encoded(sample<tf::Point>())));
  write("fuzz_skip", "struct-node-tight", with_prefix({0x00}, encoded(sample<gen_features::Node>())));
  write("fuzz_skip", "struct-everything-medium", with_prefix({0x04}, encoded(sample<shapes::Everything>())));
  write("fuzz_skip", "message-strict",
        with_prefix({roomy | 1}, message("describe", MessageType::Call, 7, encoded(sample<shapes::Calculator_describe_args>()))));
  write("fuzz_skip", "message-old",
        with_prefix({roomy | 1}, message("add", MessageType::Reply, 9, encoded(sample<shapes::Calculator_add_result>()), false)));
  write("fuzz_skip", "message-old-strict-read",
        with_prefix({roomy | 1 | 0x10}, message("add", MessageType::Call, 9, encoded(sample<shapes::Calculator_add_args>()), false)));
  // Typed values (mode 2): the type id, then the value; the vectors of tests/test_vectors.cpp.
  auto typed = [&](const char* name, TType t, const Bytes& value) {
    write("fuzz_skip", std::string("value-") + name, cat({{roomy | 2, static_cast<std::uint8_t>(t)}, value}));
  };
  typed("list-list-i16", TType::List, encoded(std::vector<std::vector<std::int16_t>>{{7}, {}}));
  typed("map-string-i32", TType::Map, encoded(std::map<std::string, std::int32_t>{{"a", 1}}));
  typed("map-empty", TType::Map, encoded(std::map<std::int32_t, std::string>{}));
  typed("set-string", TType::Set, encoded(std::set<std::string>{"a"}));
  typed("list-bool", TType::List, encoded(std::vector<bool>{true, false}));
  typed("list-double", TType::List, encoded(std::vector<double>{1.0}));
  typed("list-uuid", TType::List, encoded(std::vector<Uuid>{Uuid{}}));
  typed("map-uuid-struct", TType::Map,
        encoded(std::map<Uuid, shapes::Inner>{{uuid_from(1), sample<shapes::Inner>()}}));
  typed("string", TType::String, encoded(std::string("abc")));
  typed("i64", TType::I64, encoded(std::int64_t{0x0102030405060708}));
  typed("uuid", TType::Uuid, encoded(uuid_from(0)));
  typed("void", TType::Void, {});
  // Messages back to back (mode 3).
  write("fuzz_skip", "messages",
        with_prefix({roomy | 3}, cat({message("ping", MessageType::Call, 1, encoded(sample<shapes::Calculator_ping_args>())),
                                      message("add", MessageType::Oneway, -1, encoded(sample<shapes::Calculator_add_args>())),
                                      message("x", MessageType::Exception, 2, encoded(sample<shapes::Oops>()), false)})));
}

void frames_seeds() {
  // [options][limits][n][n chunk sizes][stream]; options bits 0-1 frame limit (3 = 1 MiB),
  // bit 2 strict_read; limits bits 0-1 message size (3 = 1 MiB), bits 2-3 depth (3 = 64),
  // bit 4 tight string/container limits.
  const Bytes m1 = message("ping", MessageType::Call, 1, encoded(sample<shapes::Calculator_ping_args>()));
  const Bytes m2 = message("describe", MessageType::Call, 2, encoded(sample<shapes::Calculator_describe_args>()));
  const Bytes m3 = message("all", MessageType::Reply, 3, encoded(sample<tf::Features_all_result>()));
  const Bytes m_old = message("add", MessageType::Call, 4, encoded(sample<shapes::Calculator_add_args>()), false);
  const Bytes m_deep = message("node", MessageType::Reply, 5, encoded(sample<gen_features::Node>()));
  const Bytes frames = cat({framed(m1), framed(m2), framed(m3)});
  const Bytes unframed = cat({m1, m2, m_old, m3});

  auto seed = [&](const char* name, std::uint8_t opt, std::uint8_t lim, Bytes sizes, const Bytes& stream) {
    Bytes b{opt, lim, static_cast<std::uint8_t>(sizes.size())};
    b.insert(b.end(), sizes.begin(), sizes.end());
    b.insert(b.end(), stream.begin(), stream.end());
    write("fuzz_frames", name, b);
  };
  seed("framed-at-once", 3, 0x0f, {}, frames);
  seed("framed-bytewise", 3, 0x0f, {1}, frames);
  seed("framed-mixed", 3, 0x0f, {3, 0, 7, 200}, frames);
  seed("framed-partial", 3, 0x0f, {5}, Bytes(frames.begin(), frames.end() - 3));
  seed("framed-too-large", 1, 0x0f, {2}, frames);
  seed("framed-negative", 3, 0x0f, {1}, cat({framed(m1), {0xff, 0xff, 0xff, 0xf0, 0x00}}));
  seed("framed-empty-frame", 3, 0x0f, {}, cat({{0, 0, 0, 0}, framed(m1)}));
  seed("unframed-at-once", 3, 0x0f, {}, unframed);
  seed("unframed-bytewise", 3, 0x0f, {1}, unframed);
  seed("unframed-mixed", 3, 0x0f, {9, 1, 0, 30}, unframed);
  seed("unframed-strict-read", 7, 0x0f, {4}, cat({m1, m_old}));
  seed("unframed-partial", 3, 0x0f, {2}, Bytes(unframed.begin(), unframed.end() - 5));
  seed("unframed-depth", 3, 0x07, {3}, cat({m_deep, m1}));
  seed("unframed-too-large", 3, 0x01, {16}, cat({m1, m2}));
  seed("unframed-tight-sizes", 3, 0x1f, {}, cat({m1, m2}));
  seed("unframed-bad-version", 3, 0x0f, {1}, cat({m1, {0x80, 0x02, 0x00, 0x01, 0, 0, 0, 0}}));
}

void idl_seeds(const fs::path& src) {
  auto file = [&](const char* name, const std::string& content) { write("fuzz_idl", name, text(content)); };
  // The root file, then "\0<name>\n<text>" for each file it includes.
  file("features", read_text(src / "tests/idl/features.thrift") + std::string(1, '\0') + "features_inc.thrift\n" +
                       read_text(src / "tests/idl/features_inc.thrift"));
  file("gen-features", read_text(src / "tests/gen/features.thrift"));
  file("gen-edge", read_text(src / "tests/gen/edge.thrift"));
  std::string interop = read_text(src / "tests/interop/interop.thrift");
  interop.replace(interop.find("@NAMESPACE@"), 11, "shapes");
  file("interop", interop);
  file("person", read_text(src / "examples/person.thrift"));
  file("phonebook", read_text(src / "examples/phonebook.thrift"));
  file("rpcextra", read_text(src / "tests/rpc/rpcextra.thrift"));
  const std::string nul(1, '\0');
  file("include-cycle", "include \"a.thrift\"\nstruct R { 1: a.A a }\n" + nul + "a.thrift\ninclude \"fuzz.thrift\"\nstruct A { 1: i32 x }\n");
  file("include-diamond", "include \"a.thrift\"\ninclude \"b.thrift\"\nservice S extends b.B { a.E get(1: b.SB sb) }\n" + nul +
                              "a.thrift\nenum E { X, Y = 5 }\nconst E DEF = E.Y\n" + nul +
                              "b.thrift\ninclude \"a.thrift\"\nstruct SB { 1: a.E e = a.DEF, 2: optional list<map<string, a.E>> m }\n"
                              "service B { oneway void f(1: SB sb) }\n");
  file("include-missing", "include \"nowhere.thrift\"\nstruct S { 1: nowhere.T t }\n");
  file("consts", "const map<string, list<i32>> M = {\"a\": [1, 2], \"b\": []}\nconst double D = -1.5e-3\n"
                 "const i64 BIG = 0x7fffffffffffffff\nconst string S = 'it\\'s \"q\"'\nconst uuid U = \"00112233-4455-6677-8899-aabbccddeeff\"\n"
                 "struct P { 1: i32 x = 1, 2: list<P> ps } const P ORIGIN = {\"x\": 0, \"ps\": [{\"x\": 1}]}\n");
  file("recursive", "struct N { 1: N & next, 2: list<N> kids }\nunion U { 1: U & u, 2: i32 leaf }\n"
                    "typedef list<T2> T1\ntypedef T1 T2\n");
  file("errors", "struct A {\n  1: i32 x\n  1: i32 y\n}\nenum E { A = x }\nconst i32 X = 12abc\n"
                 "const string S = \"a\\qb\"\nservice S extends Nope { void f(1: Missing m) throws (1: i32 e) }\n");
  file("unterminated", "struct A {}\n/* no end");
  file("deep", "const list<i32> L = " + std::string(60, '[') + std::string(60, ']') + "\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds OUTDIR SOURCE_ROOT\n");
    return 2;
  }
  out_root = argv[1];
  for (const char* t : {"fuzz_skip", "fuzz_generated", "fuzz_roundtrip", "fuzz_frames", "fuzz_idl"}) {
    fs::path dir = out_root / t;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().rfind("seed-", 0) == 0) fs::remove(e.path());
  }
  generated_seeds();
  skip_seeds();
  frames_seeds();
  idl_seeds(argv[2]);
  return 0;
}
