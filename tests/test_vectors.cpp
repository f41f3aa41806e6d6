// Byte-exact vectors for every type and both message header forms, written from the
// Thrift binary protocol specification (doc/specs/thrift-binary-protocol.md).
#include <doctest/doctest.h>

#include <corothrift/protocol.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::bytes;
using testutil::canon;
using testutil::hex;

namespace {
template <class F>
std::string written(F&& f, WriterOptions o = {}) {
  BinaryWriter w(o);
  f(w);
  REQUIRE(w.ok());
  return hex(w.view());
}
}  // namespace

TEST_CASE("base types encode big-endian as the spec says") {
  CHECK(written([](auto& w) { w.write_bool(true); }) == canon("01"));
  CHECK(written([](auto& w) { w.write_bool(false); }) == canon("00"));
  CHECK(written([](auto& w) { w.write_byte(-1); }) == canon("ff"));
  CHECK(written([](auto& w) { w.write_byte(127); }) == canon("7f"));
  CHECK(written([](auto& w) { w.write_i16(0x0102); }) == canon("01 02"));
  CHECK(written([](auto& w) { w.write_i16(-2); }) == canon("ff fe"));
  CHECK(written([](auto& w) { w.write_i32(1); }) == canon("00 00 00 01"));
  CHECK(written([](auto& w) { w.write_i32(-1); }) == canon("ff ff ff ff"));
  CHECK(written([](auto& w) { w.write_i32(0x01020304); }) == canon("01 02 03 04"));
  CHECK(written([](auto& w) { w.write_i64(0x0102030405060708); }) == canon("01 02 03 04 05 06 07 08"));
  CHECK(written([](auto& w) { w.write_i64(INT64_MIN); }) == canon("80 00 00 00 00 00 00 00"));
  CHECK(written([](auto& w) { w.write_double(1.0); }) == canon("3f f0 00 00 00 00 00 00"));
  CHECK(written([](auto& w) { w.write_double(-2.5); }) == canon("c0 04 00 00 00 00 00 00"));
}

TEST_CASE("string, binary and uuid") {
  CHECK(written([](auto& w) { w.write_string("abc"); }) == canon("00 00 00 03 61 62 63"));
  CHECK(written([](auto& w) { w.write_string(""); }) == canon("00 00 00 00"));
  CHECK(written([](auto& w) { w.write_string("h\xc3\xa9"); }) == canon("00 00 00 03 68 c3 a9"));  // UTF-8 as is
  auto bin = bytes("00 ff 10");
  CHECK(written([&](auto& w) { w.write_binary(bin); }) == canon("00 00 00 03 00 ff 10"));
  Uuid u;
  auto ub = bytes("00112233445566778899aabbccddeeff");
  std::copy(ub.begin(), ub.end(), u.bytes.begin());
  CHECK(written([&](auto& w) { w.write_uuid(u); }) == canon("00112233445566778899aabbccddeeff"));

  auto in = bytes("00 00 00 03 61 62 63  00112233445566778899aabbccddeeff");
  BinaryReader r(in);
  CHECK(r.read_string_view() == "abc");
  CHECK(r.read_uuid() == u);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
}

TEST_CASE("base types decode") {
  auto in = bytes("01 00 02 ff 01 02 ff ff ff fe 01 02 03 04 05 06 07 08 3f f0 00 00 00 00 00 00");
  BinaryReader r(in);
  CHECK(r.read_bool() == true);
  CHECK(r.read_bool() == false);
  CHECK(r.read_bool() == true);  // any non-zero byte reads as true
  CHECK(r.read_byte() == -1);
  CHECK(r.read_i16() == 0x0102);
  CHECK(r.read_i32() == -2);
  CHECK(r.read_i64() == 0x0102030405060708);
  CHECK(r.read_double() == 1.0);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
}

TEST_CASE("field headers, stop, list, set and map headers") {
  CHECK(written([](auto& w) { w.write_field_begin(TType::I32, 1); }) == canon("08 00 01"));
  CHECK(written([](auto& w) { w.write_field_begin(TType::Struct, -3); }) == canon("0c ff fd"));
  CHECK(written([](auto& w) { w.write_field_stop(); }) == canon("00"));
  CHECK(written([](auto& w) { w.write_list_begin(TType::I32, 2); }) == canon("08 00 00 00 02"));
  CHECK(written([](auto& w) { w.write_set_begin(TType::String, 1); }) == canon("0b 00 00 00 01"));
  // An empty map still carries its key and value types in the binary protocol.
  CHECK(written([](auto& w) { w.write_map_begin(TType::I32, TType::String, 0); }) == canon("08 0b 00 00 00 00"));
  CHECK(written([](auto& w) { w.write_field_begin(TType::Uuid, 16); }) == canon("10 00 10"));
}

TEST_CASE("containers through Codec") {
  BinaryWriter w;
  CHECK(!encode(w, std::vector<std::int32_t>{1, 2}));
  CHECK(hex(w.view()) == canon("08 00 00 00 02 00 00 00 01 00 00 00 02"));
  w.clear();
  CHECK(!encode(w, std::set<std::string>{"a"}));
  CHECK(hex(w.view()) == canon("0b 00 00 00 01 00 00 00 01 61"));
  w.clear();
  CHECK(!encode(w, std::map<std::string, std::int32_t>{{"a", 1}}));
  CHECK(hex(w.view()) == canon("0b 08 00 00 00 01 00 00 00 01 61 00 00 00 01"));
  w.clear();
  CHECK(!encode(w, std::map<std::int32_t, std::string>{}));
  CHECK(hex(w.view()) == canon("08 0b 00 00 00 00"));
  w.clear();
  CHECK(!encode(w, std::vector<bool>{true, false}));
  CHECK(hex(w.view()) == canon("02 00 00 00 02 01 00"));
  w.clear();
  CHECK(!encode(w, std::vector<std::vector<std::int16_t>>{{7}, {}}));
  CHECK(hex(w.view()) == canon("0f 00 00 00 02  06 00 00 00 01 00 07  06 00 00 00 00"));
  w.clear();
  CHECK(!encode(w, std::vector<double>{1.0}));
  CHECK(hex(w.view()) == canon("04 00 00 00 01 3f f0 00 00 00 00 00 00"));
  w.clear();
  CHECK(!encode(w, std::vector<Uuid>{Uuid{}}));
  CHECK(hex(w.view()) == canon("10 00 00 00 01 00000000000000000000000000000000"));
}

TEST_CASE("struct: field header, value, stop") {
  shapes::Inner in{5, "hi"};
  BinaryWriter w;
  CHECK(!encode(w, in));
  CHECK(hex(w.view()) == canon("08 00 01 00 00 00 05  0b 00 02 00 00 00 02 68 69  00"));
  CHECK(encoded_size(in) == w.size());
  auto back = decode<shapes::Inner>(w.view());
  REQUIRE(back);
  CHECK(*back == in);
}

TEST_CASE("message header: strict form (default, like Apache's strict_write)") {
  BinaryWriter w;
  w.write_message_begin("ping", MessageType::Call, 7);
  CHECK(hex(w.view()) == canon("80 01 00 01  00 00 00 04 70 69 6e 67  00 00 00 07"));
  w.clear();
  w.write_message_begin("ab", MessageType::Oneway, -1);
  CHECK(hex(w.view()) == canon("80 01 00 04  00 00 00 02 61 62  ff ff ff ff"));

  auto in = bytes("80 01 00 02  00 00 00 04 70 69 6e 67  00 00 00 07");
  BinaryReader r(in);
  MessageHeader h = r.read_message_begin();
  CHECK(r.ok());
  CHECK(h.name == "ping");
  CHECK(h.type == MessageType::Reply);
  CHECK(h.seqid == 7);
}

TEST_CASE("message header: old non-strict form") {
  BinaryWriter w(WriterOptions{.strict_write = false});
  w.write_message_begin("ping", MessageType::Exception, 7);
  CHECK(hex(w.view()) == canon("00 00 00 04 70 69 6e 67  03  00 00 00 07"));

  auto in = bytes("00 00 00 04 70 69 6e 67  01  00 00 00 09");
  BinaryReader r(in);  // strict_read is off by default, like Apache
  MessageHeader h = r.read_message_begin();
  CHECK(r.ok());
  CHECK(h.name == "ping");
  CHECK(h.type == MessageType::Call);
  CHECK(h.seqid == 9);
}

TEST_CASE("message header: the unused version byte is ignored on read") {
  auto in = bytes("80 01 5a 01  00 00 00 01 78  00 00 00 01");
  BinaryReader r(in);
  MessageHeader h = r.read_message_begin();
  CHECK(r.ok());
  CHECK(h.name == "x");
  CHECK(h.type == MessageType::Call);
}
