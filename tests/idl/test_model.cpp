// Model queries both the generator and the runtime codec rely on: identifiers in constant
// values resolved by the loader, and StructLayout (definition order, fields by reference).
#include <doctest/doctest.h>

#include <algorithm>

#include "corothrift/idl/struct_layout.hpp"
#include "idl_test_util.hpp"

using namespace idltest;

namespace {

const std::map<std::string, std::string> kInc{
    {"common.thrift",
     "enum Color { RED = 1, GREEN = 5 }\n"
     "const i32 LIMIT = 7\n"
     "const list<Color> FAVOURITES = [Color.GREEN]\n"},
};

}  // namespace

TEST_CASE("loader resolves every identifier in constant values: enum values and constants, here and included") {
  Schema s = load_memory(
      "include \"common.thrift\"\n"
      "enum Mode { SLOW, FAST = 9 }\n"
      "const i32 LOCAL = common.LIMIT\n"
      "const i64 AS_INT = Mode.FAST\n"
      "const map<Mode, list<common.Color>> TABLE = { Mode.SLOW: [common.Color.RED, common.Color.GREEN] }\n"
      "struct P { 1: i32 x = LOCAL; 2: common.Color c = common.Color.GREEN; 3: list<common.Color> f = common.FAVOURITES }\n"
      "const P ORIGIN = { \"x\": common.LIMIT, \"c\": common.Color.RED }\n",
      "root.thrift", kInc);
  const Program& root = *s.root;
  const Program& common = program_named(s, "common");
  const Enum& color = named(common.enums, "Color");
  const Enum& mode = named(root.enums, "Mode");

  const ConstValue& local = named(root.consts, "LOCAL").value;
  CHECK(local.kind == ConstValue::Kind::Identifier);
  CHECK(local.constant == &named(common.consts, "LIMIT"));
  CHECK(local.constant_program == &common);
  CHECK(local.enum_value == nullptr);

  const ConstValue& as_int = named(root.consts, "AS_INT").value;
  CHECK(as_int.enum_value == &named(mode.values, "FAST"));
  CHECK(as_int.enum_value->value == 9);
  CHECK(as_int.constant == nullptr);

  const ConstValue& table = named(root.consts, "TABLE").value;
  REQUIRE(table.map.size() == 1);
  CHECK(table.map[0].first.enum_value == &named(mode.values, "SLOW"));
  REQUIRE(table.map[0].second.list.size() == 2);
  CHECK(table.map[0].second.list[0].enum_value == &named(color.values, "RED"));
  CHECK(table.map[0].second.list[1].enum_value == &named(color.values, "GREEN"));

  const Struct& p = named(root.structs, "P");
  CHECK(field(p, "x").default_value->constant == &named(root.consts, "LOCAL"));
  CHECK(field(p, "x").default_value->constant_program == &root);
  CHECK(field(p, "c").default_value->enum_value == &named(color.values, "GREEN"));
  CHECK(field(p, "f").default_value->constant == &named(common.consts, "FAVOURITES"));
  // inside the included file too
  CHECK(named(common.consts, "FAVOURITES").value.list.at(0).enum_value == &named(color.values, "GREEN"));

  const ConstValue& origin = named(root.consts, "ORIGIN").value;
  REQUIRE(origin.map.size() == 2);
  CHECK(origin.map[0].second.constant == &named(common.consts, "LIMIT"));
  CHECK(origin.map[1].second.enum_value == &named(color.values, "RED"));
  // literals resolve to nothing
  CHECK(origin.map[0].first.kind == ConstValue::Kind::String);
  CHECK(origin.map[0].first.constant == nullptr);
  CHECK(origin.map[0].first.enum_value == nullptr);
}

TEST_CASE("StructLayout: dependencies first, a by-value cycle broken by reference, declared references") {
  Schema s = load_memory(
      "struct A { 1: B b; 2: i32 n }\n"           // A holds B holds A: the field closing it is a reference
      "struct B { 1: A a; 2: list<C> cs }\n"      // containers do not order (C may come later)
      "struct C { 1: string s }\n"
      "struct D { 1: D & next; 2: C c }\n"        // declared reference to itself
      "struct E { 1: C c (cpp.ref = \"true\"); 2: C d (cpp.ref = \"false\") }\n",
      "root.thrift", {});
  const Program& root = *s.root;
  const Struct& a = named(root.structs, "A");
  const Struct& b = named(root.structs, "B");
  const Struct& c = named(root.structs, "C");
  const Struct& d = named(root.structs, "D");
  const Struct& e = named(root.structs, "E");
  StructLayout layout(root);

  const auto& order = layout.order();
  REQUIRE(order.size() == 5);
  auto pos = [&](const Struct& x) { return std::find(order.begin(), order.end(), &x) - order.begin(); };
  CHECK(pos(b) < pos(a));  // A holds B by value; B's field back to A is the one made a reference
  CHECK(pos(c) < pos(d));
  CHECK(pos(c) < pos(e));

  CHECK(layout.by_reference(b, field(b, "a")));
  CHECK_FALSE(layout.by_reference(a, field(a, "b")));
  CHECK_FALSE(layout.by_reference(b, field(b, "cs")));
  CHECK(layout.by_reference(d, field(d, "next")));
  CHECK_FALSE(layout.by_reference(d, field(d, "c")));
  CHECK(layout.by_reference(e, field(e, "c")));
  CHECK_FALSE(layout.by_reference(e, field(e, "d")));  // cpp.ref = "false" asks for a value
  CHECK(declares_reference(field(d, "next")));
  CHECK_FALSE(declares_reference(field(b, "a")));  // a reference by layout, not by declaration

  // a cpp.ref field is held by pointer already: it closes no cycle, so nothing else changes
  Schema annotated = load_memory("struct F { 1: G g (cpp.ref = \"true\") }\nstruct G { 1: F f }\n", "ann.thrift", {});
  StructLayout ann(*annotated.root);
  const Struct& f = named(annotated.root->structs, "F");
  const Struct& g = named(annotated.root->structs, "G");
  CHECK(ann.by_reference(f, field(f, "g")));
  CHECK_FALSE(ann.by_reference(g, field(g, "f")));

  CHECK(layout.defines(a));
  Schema other = load_memory("struct A { 1: i32 n }\n", "other.thrift", {});
  CHECK_FALSE(layout.defines(other.root->structs.at(0)));
}

TEST_CASE("a default value on a throws field is dropped with a warning (it would make every result an exception)") {
  Schema s = load_memory(
      "enum Code { BAD = 1 }\n"
      "exception Err { 1: Code code }\n"
      "const Err DEFAULT_ERR = {\"code\": Code.BAD}\n"
      "service S { void f(1: i32 x = 3) throws (1: Err e = {\"code\": Code.BAD}, 2: Err g = DEFAULT_ERR) }\n",
      "root.thrift", {});
  const Function& fn = s.root->services.at(0).functions.at(0);
  CHECK_FALSE(fn.throws.at(0).default_value.has_value());
  CHECK_FALSE(fn.throws.at(1).default_value.has_value());
  CHECK(fn.args.at(0).default_value.has_value());  // argument defaults stay
  REQUIRE(s.warnings.size() == 2);
  CHECK(s.warnings[0].to_string() ==
        "root.thrift:4:53: default value of 'e' in the throws list of function S.f is ignored: an exception is set only "
        "when thrown");
}
