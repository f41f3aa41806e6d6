// skip() of every type, nested containers, and unknown fields in generated-shape structs.
#include <doctest/doctest.h>

#include <corothrift/protocol.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::bytes;

namespace {
/// Skip one value of type t from `hex` followed by a marker byte; the marker must be next.
void check_skip(TType t, const std::string& hex) {
  CAPTURE(type_name(t));
  CAPTURE(hex);
  auto in = bytes(hex + " 7e");
  BinaryReader r(in);
  r.skip(t);
  CHECK(r.ok());
  CHECK(r.read_byte() == 0x7e);
  CHECK(r.remaining() == 0);
}
}  // namespace

TEST_CASE("skip every base type") {
  check_skip(TType::Bool, "01");
  check_skip(TType::Byte, "80");
  check_skip(TType::I16, "01 02");
  check_skip(TType::I32, "01 02 03 04");
  check_skip(TType::I64, "01 02 03 04 05 06 07 08");
  check_skip(TType::Double, "3f f0 00 00 00 00 00 00");
  check_skip(TType::String, "00 00 00 03 61 62 63");
  check_skip(TType::String, "00 00 00 00");
  check_skip(TType::Uuid, "00112233445566778899aabbccddeeff");
}

TEST_CASE("skip structs and containers, nested") {
  check_skip(TType::Struct, "00");
  check_skip(TType::Struct, "08 00 01 00 00 00 05  0b 00 02 00 00 00 02 68 69  00");
  check_skip(TType::List, "08 00 00 00 02 00 00 00 01 00 00 00 02");
  check_skip(TType::Set, "0b 00 00 00 02 00 00 00 01 61 00 00 00 00");
  check_skip(TType::Map, "0b 08 00 00 00 01 00 00 00 01 61 00 00 00 01");
  check_skip(TType::Map, "08 0b 00 00 00 00");
  check_skip(TType::Map, "08 08 00 00 00 02 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04");
  // list<map<string, set<i16>>>
  check_skip(TType::List, "0d 00 00 00 02  0b 0e 00 00 00 01  00 00 00 01 6b  06 00 00 00 02 00 01 00 02"
                          "  0b 0e 00 00 00 00");
  // list<list<struct>> with a struct holding a uuid and a map
  check_skip(TType::List,
             "0f 00 00 00 01  0c 00 00 00 02  10 00 01 00112233445566778899aabbccddeeff 00"
             "  0d 00 02 03 02 00 00 00 01 05 01 00");
  // struct containing every kind of field
  check_skip(TType::Struct,
             "02 00 01 01  03 00 02 ff  04 00 03 3f f0 00 00 00 00 00 00  06 00 04 00 01  08 00 05 00 00 00 01"
             "  0a 00 06 00 00 00 00 00 00 00 01  0b 00 07 00 00 00 00  0c 00 08 00  0d 00 09 08 08 00 00 00 00"
             "  0e 00 0a 08 00 00 00 00  0f 00 0b 02 00 00 00 01 01  10 00 0c 00112233445566778899aabbccddeeff  00");
}

TEST_CASE("decoding a struct skips unknown fields anywhere") {
  shapes::Inner want{42, "label"};
  // field 9 (list<string>) before, field 7 (struct) between, field 3 (map) after.
  auto in = bytes(
      "0f 00 09 0b 00 00 00 01 00 00 00 01 7a"
      "  08 00 01 00 00 00 2a"
      "  0c 00 07 08 00 01 00 00 00 01 00"
      "  0b 00 02 00 00 00 05 6c 61 62 65 6c"
      "  0d 00 03 08 08 00 00 00 01 00 00 00 01 00 00 00 02"
      "  00");
  auto r = decode<shapes::Inner>(in);
  REQUIRE(r);
  CHECK(*r == want);
}

TEST_CASE("fields out of declared order and with unexpected wire types") {
  // label (2) first, then x (1); then a second "x" with type string, which is skipped.
  auto in = bytes("0b 00 02 00 00 00 01 61  08 00 01 00 00 00 07  0b 00 01 00 00 00 01 62  00");
  auto r = decode<shapes::Inner>(in);
  REQUIRE(r);
  CHECK(r->x == 7);
  CHECK(r->label == "a");
}

TEST_CASE("skip of a huge declared fixed-size list is one bounds check, not a loop") {
  // list<i64> claiming 100,000 elements with 800,000 bytes present
  std::vector<std::byte> in = bytes("0a 00 01 86 a0");
  in.resize(in.size() + 800'000);
  BinaryReader r(in);
  r.skip(TType::List);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
}
