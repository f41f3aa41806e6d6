// Round trips through the generated-shape structs, including randomized values, and the
// exact-size contract of Codec<T>::size().
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include <corothrift/protocol.hpp>

#include "shapes_thrift.hpp"
#include "random_values.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::Rng;

using testutil::random_everything;

TEST_CASE("randomized round trips of a struct using every type") {
  Rng g(12345);
  BinaryWriter w;
  for (int i = 0; i < 500; ++i) {
    shapes::Everything e = random_everything(g);
    w.clear();
    REQUIRE(!encode(w, e));
    CHECK(encoded_size(e) == w.size());
    auto back = decode<shapes::Everything>(w.view());
    REQUIRE(back);
    CHECK(*back == e);
  }
}

TEST_CASE("every prefix of a valid encoding fails cleanly with unexpected_end") {
  Rng g(7);
  shapes::Everything e = random_everything(g);
  BinaryWriter w;
  REQUIRE(!encode(w, e));
  for (std::size_t n = 0; n < w.size(); ++n) {
    auto r = decode<shapes::Everything>(w.view().first(n));
    REQUIRE(!r);
    CHECK(r.error().kind == ErrorKind::unexpected_end);
    CHECK(r.error().offset <= n);
  }
}

TEST_CASE("extreme values round trip") {
  shapes::Everything e;
  e.tiny = std::numeric_limits<std::int8_t>::min();
  e.small = std::numeric_limits<std::int16_t>::min();
  e.medium = std::numeric_limits<std::int32_t>::min();
  e.large = std::numeric_limits<std::int64_t>::min();
  e.real = -std::numeric_limits<double>::infinity();
  e.must = std::numeric_limits<std::int64_t>::max();
  e.reals = {std::numeric_limits<double>::denorm_min(), -0.0, std::numeric_limits<double>::max()};
  e.text = std::string("\0\xff\x80", 3);
  BinaryWriter w;
  REQUIRE(!encode(w, e));
  auto back = decode<shapes::Everything>(w.view());
  REQUIRE(back);
  CHECK(*back == e);
  CHECK(std::signbit(back->reals[1]));
}

TEST_CASE("NaN keeps its bits") {
  double nan = std::numeric_limits<double>::quiet_NaN();
  BinaryWriter w;
  w.write_double(nan);
  BinaryReader r(w.view());
  double back = r.read_double();
  CHECK(std::isnan(back));
  CHECK(std::bit_cast<std::uint64_t>(back) == std::bit_cast<std::uint64_t>(nan));
}

TEST_CASE("zero-copy string views point into the input") {
  shapes::Small s{1, 2, 3.0, true, "zero-copy", 4};
  BinaryWriter w;
  REQUIRE(!encode(w, s));
  BinaryReader r2(w.view());
  std::string_view name;
  for (;;) {
    FieldHeader f = r2.read_field_begin();
    if (f.type == TType::Stop) break;
    if (f.id == 5) name = r2.read_string_view();
    else r2.skip(f.type);
  }
  CHECK(name == "zero-copy");
  CHECK(reinterpret_cast<const std::byte*>(name.data()) >= w.data());
  CHECK(reinterpret_cast<const std::byte*>(name.data()) < w.data() + w.size());
}

TEST_CASE("a reused writer keeps its capacity") {
  BinaryWriter w;
  shapes::Small s{1, 2, 3.0, true, "name", 4};
  REQUIRE(!encode(w, s));
  const std::byte* p = w.data();
  std::size_t cap = w.capacity();
  for (int i = 0; i < 100; ++i) {
    w.clear();
    REQUIRE(!encode(w, s));
  }
  CHECK(w.data() == p);
  CHECK(w.capacity() == cap);
}

TEST_CASE("message header + struct round trip, both header forms") {
  for (bool strict : {true, false}) {
    CAPTURE(strict);
    BinaryWriter w(WriterOptions{.strict_write = strict});
    shapes::Small s{7, -8, 0.5, false, "x", -1};
    w.write_message_begin("getSmall", MessageType::Reply, 0x7fffffff);
    REQUIRE(!encode(w, s));
    BinaryReader r(w.view());
    MessageHeader h = r.read_message_begin();
    shapes::Small back;
    Codec<shapes::Small>::read(r, back);
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
    CHECK(h.name == "getSmall");
    CHECK(h.type == MessageType::Reply);
    CHECK(h.seqid == 0x7fffffff);
    CHECK(back == s);
  }
}

TEST_CASE("decoding into a reused map or set: same result as a fresh one, repeated keys keep the last value") {
  std::map<std::string, std::int32_t> m{{"zzz", 1}, {"a", 2}, {"b", 3}, {"c", 4}};
  std::set<std::string> s{"x", "y", "z", "w"};
  BinaryWriter w;
  // map {"a": 1, "a": 5, "k": 7}: three pairs on the wire, "a" twice
  w.write_map_begin(TType::String, TType::I32, 3);
  w.write_string("a");
  w.write_i32(1);
  w.write_string("a");
  w.write_i32(5);
  w.write_string("k");
  w.write_i32(7);
  REQUIRE(!decode_into(w.view(), m));
  CHECK(m == std::map<std::string, std::int32_t>{{"a", 5}, {"k", 7}});
  w.clear();
  REQUIRE(!encode(w, std::set<std::string>{"b", "q"}));
  REQUIRE(!decode_into(w.view(), s));
  CHECK(s == std::set<std::string>{"b", "q"});
  // more elements than the reused container had
  w.clear();
  std::map<std::string, std::int32_t> big;
  for (int i = 0; i < 50; ++i) big[std::string("k").append(std::to_string(i))] = i;
  REQUIRE(!encode(w, big));
  REQUIRE(!decode_into(w.view(), m));
  CHECK(m == big);
  // unordered containers too
  std::unordered_map<std::string, std::int32_t> um{{"old", 1}};
  REQUIRE(!decode_into(w.view(), um));
  CHECK(um.size() == 50);
  CHECK(um.at("k49") == 49);
}

TEST_CASE("the 4K-aliasing dodge: detection and the backward copy") {
  alignas(4096) static unsigned char buf[3 * 4096];
  CHECK(detail::short_4k_distance(buf + 4096 + 8, buf));
  CHECK(detail::short_4k_distance(buf + 2 * 4096 + 255, buf));
  CHECK_FALSE(detail::short_4k_distance(buf + 4096, buf));
  CHECK_FALSE(detail::short_4k_distance(buf + 4096 + 256, buf));
  CHECK_FALSE(detail::short_4k_distance(buf, buf + 8));  // dst behind src: forward copy is fine
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 1000u, 4096u}) {
    CAPTURE(n);
    for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<unsigned char>(i * 7 + 1);
    std::memset(buf + 4096 + 16, 0, n + 1);
    detail::copy_backward(buf + 4096 + 16, buf, n);
    CHECK(std::memcmp(buf + 4096 + 16, buf, n) == 0);
    CHECK(buf[4096 + 16 + n] == 0);
  }
  // assign_bytes gives the same string whichever path it takes
  std::string src(10000, '\0');
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<char>(i * 13);
  std::string out = "old";
  detail::assign_bytes(out, src.data(), src.size());
  CHECK(out == src);
  std::string reused(20000, 'x');
  detail::assign_bytes(reused, src.data() + 5, 5000);
  CHECK(reused == src.substr(5, 5000));
}

TEST_CASE("decoding into a reused object gives exactly what a fresh decode gives") {
  // Inner{x=2} alone on the wire: label absent
  auto only_x = testutil::bytes("08 00 01 00 00 00 02 00");
  {
    std::vector<shapes::Inner> v{{1, "secret"}, {9, "more"}};
    auto in = testutil::bytes("0c 00 00 00 01  08 00 01 00 00 00 02 00");
    REQUIRE(!decode_into(in, v));
    REQUIRE(v.size() == 1);
    CHECK(v[0] == shapes::Inner{2, ""});
  }
  {
    std::map<std::string, shapes::Inner> m{{"alice", {7, "alice-private"}}};
    auto in = testutil::bytes("0b 0c 00 00 00 01  00 00 00 03 62 6f 62  08 00 01 00 00 00 05 00");
    REQUIRE(!decode_into(in, m));
    CHECK(m == std::map<std::string, shapes::Inner>{{"bob", {5, ""}}});
  }
  {
    shapes::Inner top{3, "stale"};
    REQUIRE(!decode_into(only_x, top));
    CHECK(top == shapes::Inner{2, ""});
  }
  {
    shapes::Everything e;
    e.must = 1;
    e.maybe_int = 5;
    e.maybe_text = "x";
    e.inners = {{1, "a"}};
    e.tags = {"t"};
    BinaryWriter w;
    shapes::Everything fresh;
    fresh.must = 2;
    REQUIRE(!encode(w, fresh));
    REQUIRE(!decode_into(w.view(), e));
    CHECK(e == fresh);
  }
  {
    // a field sent with the wrong wire type is skipped, so it is absent: default, not stale
    shapes::Inner top{3, "stale"};
    auto in = testutil::bytes("08 00 01 00 00 00 04  08 00 02 00 00 00 09  00");  // label as i32
    REQUIRE(!decode_into(in, top));
    CHECK(top == shapes::Inner{4, ""});
  }
}
