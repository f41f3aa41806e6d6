// The exception-throwing convenience layer (only built with exceptions).
#include <doctest/doctest.h>

#include <corothrift/protocol.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::bytes;

TEST_CASE("decode_or_throw returns the value or throws ProtocolError with the Error") {
  shapes::Inner in{3, "z"};
  BinaryWriter w = encode_or_throw(in);
  CHECK(decode_or_throw<shapes::Inner>(w.view()) == in);
  try {
    (void)decode_or_throw<shapes::Inner>(w.view().first(5));
    FAIL("no exception");
  } catch (const ProtocolError& e) {
    CHECK(e.kind() == ErrorKind::unexpected_end);
    CHECK(e.error().offset == 3);
    CHECK(std::string(e.what()).find("unexpected_end at byte 3") == 0);
  }
}

TEST_CASE("value_or_throw and throw_if_error") {
  CHECK(value_or_throw(decode<std::int32_t>(bytes("00 00 00 05"))) == 5);
  CHECK_THROWS_AS(value_or_throw(decode<std::int32_t>(bytes("00"))), ProtocolError);
  CHECK_NOTHROW(throw_if_error(Error{}));
  CHECK_THROWS_AS(throw_if_error(Error{ErrorKind::size_limit, 1, 2, "x"}), ProtocolError);
}
