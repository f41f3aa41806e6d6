// tests/gen/edge.thrift: edge cases of corothrift-gen's output.
#include <doctest/doctest.h>

#include <corothrift/protocol.hpp>

#include <cstdint>
#include <map>
#include <vector>

#include "edge_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;

TEST_CASE("defaults that name struct constants, spelt out where the constant is not yet defined") {
  gen_edge::UsesConsts u;
  CHECK(u.ps == gen_edge::PS);
  CHECK(u.one == gen_edge::ONE);
  CHECK(u.ps.size() == 2);
  CHECK(u.one.x == 1);
}

TEST_CASE("defaults naming constants of another type (enum for integer, integer for enum, list<enum>)") {
  gen_edge::UsesOtherTypes u;
  CHECK(u.n == 8);
  CHECK(u.s == gen_edge::Shade::DARK);
  CHECK(u.ns == std::vector<std::int32_t>{3, 8});
  CHECK(u.m == std::map<gen_edge::Shade, std::int64_t>{{gen_edge::Shade::DARK, 8}});
}

TEST_CASE("method table entries renamed where they would clash") {
  using S = gen_edge::S;
  CHECK(S::result_::name == "result");
  CHECK(S::name_::name == "name");
  CHECK(S::base_::name == "base");
  CHECK(S::return_type_::name == "return_type");
  CHECK(S::S_::name == "S");
  CHECK(S::oneway_::name == "oneway");
  static_assert(std::is_same_v<S::name_::return_type, std::int32_t>);
}

TEST_CASE("an optional argument is always sent, as Apache does") {
  gen_edge::S_opt_args a;
  BinaryWriter w;
  REQUIRE(!encode(w, a));
  CHECK(testutil::hex(w.view()) == testutil::canon("08 00 01 00 00 00 00  08 00 02 00 00 00 00  00"));
}

TEST_CASE("macro and reserved names, an enum named from_string, empty enum and union, typedef order") {
  CHECK(static_cast<int>(gen_edge::Macros::INT32_MAX_) == 1);
  CHECK(static_cast<int>(gen_edge::Macros::EOF_) == 2);
  CHECK(static_cast<int>(gen_edge::Macros::__LINE___) == 3);
  CHECK(static_cast<int>(gen_edge::Macros::_Reserved_) == 4);
  gen_edge::UsesOddEnum o;
  o.f = gen_edge::from_string_::X;
  CHECK(to_string(o.f) == "X");
  gen_edge::EmptyUnion eu;
  BinaryWriter w;
  CHECK(!encode(w, eu));
  gen_edge::UsesTypedefs t;
  t.e = {1, 2};
  REQUIRE(!encode(w, t));
  gen_edge::Empty none{};
  CHECK(to_string(none).empty());
}
