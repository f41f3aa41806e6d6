// Every decoding error path: its kind, its byte offset, and limits at exactly the limit
// and one past it. Nothing is allocated for a declared size that fails its checks.
#include <doctest/doctest.h>

#include <algorithm>

#include <corothrift/protocol.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::bytes;

namespace {
ReaderOptions with_limits(std::int32_t str, std::int32_t cont, int depth = 64) {
  ReaderOptions o;
  o.limits.max_string_size = str;
  o.limits.max_container_size = cont;
  o.limits.max_depth = depth;
  return o;
}
}  // namespace

TEST_CASE("unexpected end inside every base type, at the value's offset") {
  struct Case {
    TType t;
    const char* hex;
  };
  const Case cases[] = {{TType::Bool, ""}, {TType::Byte, ""}, {TType::I16, "01"}, {TType::I32, "01 02 03"},
                        {TType::I64, "01 02 03 04 05 06 07"}, {TType::Double, "3f f0"},
                        {TType::Uuid, "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee"}, {TType::String, "00 00"}};
  for (const Case& c : cases) {
    CAPTURE(type_name(c.t));
    auto in = bytes(std::string("aa ") + c.hex);  // one byte of something first
    BinaryReader r(in);
    r.read_byte();
    r.skip(c.t);
    CHECK(r.error().kind == ErrorKind::unexpected_end);
    CHECK(r.error().offset == 1);
  }
}

TEST_CASE("errors are sticky: later reads return zero and nothing advances") {
  auto in = bytes("00 00 00 01 00 00 00 02");
  BinaryReader r{std::span<const std::byte>(in).first(2)};
  CHECK(r.read_i32() == 0);
  CHECK(r.error().kind == ErrorKind::unexpected_end);
  CHECK(r.read_i32() == 0);
  CHECK(r.read_field_begin().type == TType::Stop);
  CHECK(r.read_list_begin().size == 0);
  CHECK(r.read_map_begin().size == 0);
  CHECK(r.error().offset == 0);  // the first error is kept
}

TEST_CASE("negative string length") {
  auto in = bytes("01 ff ff ff ff 61");
  BinaryReader r(in);
  r.read_byte();
  CHECK(r.read_string_view().empty());
  CHECK(r.error().kind == ErrorKind::negative_size);
  CHECK(r.error().offset == 1);
  CHECK(r.error().value == -1);
}

TEST_CASE("string length larger than the bytes that remain") {
  auto in = bytes("00 00 00 05 61 62");
  BinaryReader r(in);
  std::string s = "old";
  r.read_string(s);
  CHECK(r.error().kind == ErrorKind::unexpected_end);
  CHECK(r.error().offset == 0);
  CHECK(r.error().value == 5);
}

TEST_CASE("string size limit: at the limit passes, one past fails") {
  auto in = bytes("00 00 00 03 61 62 63");
  {
    BinaryReader r(in, with_limits(3, 10));
    CHECK(r.read_string_view() == "abc");
    CHECK(r.ok());
  }
  {
    BinaryReader r(in, with_limits(2, 10));
    r.read_string_view();
    CHECK(r.error().kind == ErrorKind::size_limit);
    CHECK(r.error().offset == 0);
    CHECK(r.error().value == 3);
  }
}

TEST_CASE("container size limit for list, set and map: at the limit and one past") {
  auto list3 = bytes("08 00 00 00 03 00 00 00 01 00 00 00 02 00 00 00 03");
  auto set3 = bytes("03 00 00 00 03 01 02 03");
  auto map3 = bytes("03 03 00 00 00 03 01 01 02 02 03 03");
  {
    auto ok = decode<std::vector<std::int32_t>>(list3, with_limits(100, 3));
    REQUIRE(ok);
    CHECK(ok->size() == 3);
    auto bad = decode<std::vector<std::int32_t>>(list3, with_limits(100, 2));
    CHECK(bad.error().kind == ErrorKind::size_limit);
    CHECK(bad.error().offset == 1);
  }
  {
    CHECK(decode<std::set<std::int8_t>>(set3, with_limits(100, 3)));
    auto bad = decode<std::set<std::int8_t>>(set3, with_limits(100, 2));
    CHECK(bad.error().kind == ErrorKind::size_limit);
    CHECK(bad.error().offset == 1);
  }
  {
    auto ok = decode<std::map<std::int8_t, std::int8_t>>(map3, with_limits(100, 3));
    REQUIRE(ok);
    CHECK(ok->at(2) == 2);
    auto bad = decode<std::map<std::int8_t, std::int8_t>>(map3, with_limits(100, 2));
    CHECK(bad.error().kind == ErrorKind::size_limit);
    CHECK(bad.error().offset == 2);
  }
}

TEST_CASE("a list claiming 10^9 i32 with 12 bytes left fails before allocating") {
  // 10^9 = 0x3b9aca00
  auto in = bytes("08 3b 9a ca 00 00 00 00 01 00 00 00 02 00 00 00 03");
  ReaderOptions big;
  big.limits.max_container_size = 2'000'000'000;  // the limit would allow it: the bytes do not
  auto r = decode<std::vector<std::int32_t>>(in, big);
  CHECK(r.error().kind == ErrorKind::unexpected_end);
  CHECK(r.error().offset == 1);
  CHECK(r.error().value == 1'000'000'000);
  // with the default limit, it is the limit that says no
  auto d = decode<std::vector<std::int32_t>>(in);
  CHECK(d.error().kind == ErrorKind::size_limit);
}

TEST_CASE("a map of structs claiming more pairs than bytes can hold fails up front") {
  // map<i32, struct>: each pair needs >= 4 + 1 bytes; 3 pairs declared, 10 bytes left
  auto in = bytes("08 0c 00 00 00 03  00 00 00 01 00  00 00 00 02 00");
  BinaryReader r(in);
  MapHeader h = r.read_map_begin();
  CHECK(h.size == 0);
  CHECK(r.error().kind == ErrorKind::unexpected_end);
  CHECK(r.error().offset == 2);
}

TEST_CASE("negative container sizes") {
  auto l = decode<std::vector<std::int32_t>>(bytes("08 ff ff ff fe"));
  CHECK(l.error().kind == ErrorKind::negative_size);
  CHECK(l.error().offset == 1);
  CHECK(l.error().value == -2);
  auto m = decode<std::map<std::int32_t, std::int32_t>>(bytes("08 08 80 00 00 00"));
  CHECK(m.error().kind == ErrorKind::negative_size);
  CHECK(m.error().offset == 2);
}

TEST_CASE("invalid type ids in fields, lists and maps") {
  auto r1_in = bytes("05 00 01 00");
  BinaryReader r1(r1_in);  // 5 is not a type
  CHECK(r1.read_field_begin().type == TType::Stop);
  CHECK(r1.error().kind == ErrorKind::invalid_type);
  CHECK(r1.error().offset == 0);
  CHECK(r1.error().value == 5);

  auto r2_in = bytes("01 00 01");
  BinaryReader r2(r2_in);  // void is not a value type
  r2.read_field_begin();
  CHECK(r2.error().kind == ErrorKind::invalid_type);

  auto r3_in = bytes("0c 00 01  11 00 00 00 01 00");
  BinaryReader r3(r3_in);  // struct { 1: struct { field of type 17 } }
  r3.skip(TType::Struct);
  CHECK(r3.error().kind == ErrorKind::invalid_type);
  CHECK(r3.error().offset == 3);
  CHECK(r3.error().value == 17);
  // struct { 1: list<17> }: the element type is the first byte of the list header
  auto r4_in = bytes("0f 00 01  11 00 00 00 01 00 00");
  BinaryReader r4(r4_in);
  r4.skip(TType::Struct);
  CHECK(r4.error().kind == ErrorKind::invalid_type);
  CHECK(r4.error().offset == 3);
  CHECK(r4.error().value == 17);

  auto r5_in = bytes("0b 63 00 00 00 01");
  BinaryReader r5(r5_in);  // map<string, 99>
  r5.read_map_begin();
  CHECK(r5.error().kind == ErrorKind::invalid_type);
  CHECK(r5.error().offset == 1);

  auto r6_in = bytes("00 00 00 00 00");
  BinaryReader r6(r6_in);  // empty list: its element type is not checked
  CHECK(r6.read_list_begin().size == 0);
  CHECK(r6.ok());
}

TEST_CASE("container element type that differs from the schema is a type_mismatch at the type byte") {
  auto r = decode<std::vector<std::int32_t>>(bytes("0a 00 00 00 01 00 00 00 00 00 00 00 01"));
  CHECK(r.error().kind == ErrorKind::type_mismatch);
  CHECK(r.error().offset == 0);
  CHECK(r.error().value == 10);
  auto m = decode<std::map<std::string, std::int32_t>>(bytes("0b 0a 00 00 00 01  00 00 00 00  00 00 00 00 00 00 00 01"));
  CHECK(m.error().kind == ErrorKind::type_mismatch);
  CHECK(m.error().offset == 1);
  auto k = decode<std::map<std::int32_t, std::int32_t>>(bytes("0b 08 00 00 00 01  00 00 00 00  00 00 00 01"));
  CHECK(k.error().kind == ErrorKind::type_mismatch);
  CHECK(k.error().offset == 0);
  // empty containers may carry any type
  CHECK(decode<std::vector<std::int32_t>>(bytes("0a 00 00 00 00")));
}

TEST_CASE("message header errors") {
  {
    auto r_in = bytes("80 02 00 01 00 00 00 00 00 00 00 00");
  BinaryReader r(r_in);
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::bad_version);
    CHECK(r.error().offset == 0);
    CHECK(r.error().value == 0x80020001);
  }
  {
    auto r_in = bytes("80 01 00 05 00 00 00 00 00 00 00 00");
  BinaryReader r(r_in);
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::invalid_message_type);
    CHECK(r.error().offset == 3);
  }
  {
    auto r_in = bytes("00 00 00 01 61 00 00 00 00 00");
  BinaryReader r(r_in);  // old form, type 0
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::invalid_message_type);
    CHECK(r.error().offset == 5);
  }
  {
    ReaderOptions strict;
    strict.strict_read = true;
    auto r_in = bytes("00 00 00 01 61 01 00 00 00 00");
  BinaryReader r(r_in, strict);
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::bad_version);
    CHECK(r.error().offset == 0);
  }
  {
    auto r_in = bytes("00 00 00 09 61 01 00 00 00 00");
  BinaryReader r(r_in);  // name longer than the input
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::unexpected_end);
  }
  {
    auto r_in = bytes("80 01 00 01 00 00 00 05 61 62 63 64 65 00 00 00 01");
  BinaryReader r(r_in, with_limits(4, 10));
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::size_limit);
    CHECK(r.error().offset == 4);
  }
  {
    auto r_in = bytes("80 01 00 01 00 00 00 01 61 00 00");
  BinaryReader r(r_in);  // truncated seqid
    r.read_message_begin();
    CHECK(r.error().kind == ErrorKind::unexpected_end);
    CHECK(r.error().offset == 9);
  }
}

TEST_CASE("depth limit: at the limit passes, one past fails") {
  // struct { 1: struct { 1: struct {} } }: depth 3
  auto in = bytes("0c 00 01  0c 00 01  00  00  00");
  {
    BinaryReader r(in, with_limits(100, 100, 3));
    r.skip(TType::Struct);
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
  }
  {
    BinaryReader r(in, with_limits(100, 100, 2));
    r.skip(TType::Struct);
    CHECK(r.error().kind == ErrorKind::depth_limit);
    CHECK(r.error().offset == 6);
    CHECK(r.error().value == 3);
  }
}

TEST_CASE("depth counts containers too, so lists nested 10,000 deep are refused without deep recursion") {
  std::vector<std::byte> in;
  for (int i = 0; i < 10000; ++i) {
    for (auto b : bytes("0f 00 00 00 01")) in.push_back(b);
  }
  BinaryReader r(in);
  r.skip(TType::List);
  CHECK(r.error().kind == ErrorKind::depth_limit);
  CHECK(r.error().offset == 64 * 5);
}

TEST_CASE("default depth limit is 64 (outermost struct counts as 1)") {
  std::vector<std::byte> in;
  auto nested = [&](int depth) {
    in.clear();
    for (int i = 1; i < depth; ++i) for (auto b : bytes("0c 00 01")) in.push_back(b);
    for (int i = 0; i < depth; ++i) in.push_back(std::byte{0});
  };
  nested(64);
  {
    BinaryReader r(in);
    r.skip(TType::Struct);
    CHECK(r.ok());
  }
  nested(65);
  {
    BinaryReader r(in);
    r.skip(TType::Struct);
    CHECK(r.error().kind == ErrorKind::depth_limit);
  }
}

TEST_CASE("max message size") {
  std::vector<std::byte> in(101);
  ReaderOptions o;
  o.limits.max_message_size = 100;
  BinaryReader r(in, o);
  CHECK(r.error().kind == ErrorKind::message_too_large);
  CHECK(r.error().value == 101);
  CHECK(r.read_byte() == 0);
  ReaderOptions o2;
  o2.limits.max_message_size = 101;
  BinaryReader r2(in, o2);
  CHECK(r2.ok());
}

TEST_CASE("missing required field names the struct and the field") {
  shapes::Everything e;
  e.must = 1;
  BinaryWriter w;
  CHECK(!encode(w, e));
  // Drop field 19 (i64 must): header 0a 00 13 and 8 bytes.
  auto all = std::vector<std::byte>(w.view().begin(), w.view().end());
  auto pat = bytes("0a 00 13 00 00 00 00 00 00 00 01");
  auto it = std::search(all.begin(), all.end(), pat.begin(), pat.end());
  REQUIRE(it != all.end());
  all.erase(it, it + static_cast<std::ptrdiff_t>(pat.size()));
  auto r = decode<shapes::Everything>(all);
  CHECK(r.error().kind == ErrorKind::missing_required_field);
  CHECK(std::string(r.error().what) == "Everything.must");
  CHECK(r.error().offset == all.size());
}

TEST_CASE("trailing bytes after a whole value") {
  auto r = decode<std::int32_t>(bytes("00 00 00 01 ff"));
  CHECK(r.error().kind == ErrorKind::trailing_data);
  CHECK(r.error().offset == 4);
}

TEST_CASE("describe() says what and where") {
  auto r = decode<std::vector<std::int32_t>>(bytes("08 ff ff ff fe"));
  CHECK(describe(r.error()) == "negative_size at byte 1: list size (value -2)");
}

TEST_CASE("writer refuses values the wire cannot carry") {
  BinaryWriter w;
  w.write_list_begin(TType::I32, std::size_t{1} << 31);
  CHECK(w.error().kind == ErrorKind::value_too_large);
  CHECK(w.size() == 0);
}

TEST_CASE("the allocation budget bounds what small wire values may expand to") {
  // list<Everything> of 200,000 empty structs: 200 KB on the wire, ~80 MB as objects
  std::vector<std::byte> in = bytes("0c 00 03 0d 40");
  in.resize(in.size() + 200'000, std::byte{0});
  ReaderOptions o;
  o.limits.max_decoded_size = 10 * 1024 * 1024;
  std::vector<shapes::Everything> v;
  Error e = decode_into(in, v, o);
  CHECK(e.kind == ErrorKind::allocation_limit);
  CHECK(e.offset == 5);
  CHECK(v.empty());  // refused before the vector was sized
  // the same input within a sufficient budget decodes (required field missing aside)
  std::vector<shapes::Inner> small;
  CHECK(!decode_into(in, small, o));
  CHECK(small.size() == 200'000);
  // strings count too
  std::vector<std::byte> s = bytes("00 00 00 20");
  s.resize(s.size() + 32, std::byte{'a'});
  ReaderOptions tiny;
  tiny.limits.max_decoded_size = 31;
  CHECK(decode<std::string>(s, tiny).error().kind == ErrorKind::allocation_limit);
  tiny.limits.max_decoded_size = 32;
  CHECK(decode<std::string>(s, tiny));
}
