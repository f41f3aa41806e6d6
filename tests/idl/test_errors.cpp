// Broken IDL: each snippet gives exactly the expected compiler-style message(s).
#include <doctest/doctest.h>

#include "idl_test_util.hpp"

using namespace idltest;

TEST_CASE("syntax errors") {
  CHECK(error_of("struct A {\n  1: i32 x\n") ==
        "bad.thrift:3:1: error: expected a field (id ':' type name) or '}' but found end of file");
  CHECK(error_of("struct A {\n  1: i32 x\n  2: i32 y\n  }\n}\n") ==
        "bad.thrift:5:1: error: expected a definition (const, typedef, enum, senum, struct, union, exception, "
        "service) or a header (include, cpp_include, namespace) but found '}'");
  CHECK(error_of("enum E {\n  A = x\n}") == "bad.thrift:2:7: error: expected an integer value for 'A' but found 'x'");
  CHECK(error_of("struct A { 1: list<i32 x }") == "bad.thrift:1:24: error: expected '>' to close 'list<' but found 'x'");
  CHECK(error_of("struct A { 1: map<i32> m }") ==
        "bad.thrift:1:22: error: expected ',' between the key and value types of a map but found '>'");
  CHECK(error_of("service S {\n  void f(\n}") ==
        "bad.thrift:3:1: error: expected a field (id ':' type name) or ')' but found '}'");
  CHECK(error_of("struct A { 1: i32 x = }") ==
        "bad.thrift:1:23: error: expected a constant value (number, string, identifier, [list] or {map}) but found '}'");
  CHECK(error_of("struct A { 1 i32 x }") == "bad.thrift:1:14: error: expected ':' after field id 1 but found keyword 'i32'");
  CHECK(error_of("struct A { 1: void x }") ==
        "bad.thrift:1:15: error: expected a type ('void' is only allowed as a function's return type) but found "
        "keyword 'void'");
  CHECK(error_of("struct struct {}") == "bad.thrift:1:8: error: expected a struct name but found keyword 'struct'");
  CHECK(error_of("typedef i32 a.b") ==
        "bad.thrift:1:13: error: expected a name for the typedef (a name without '.') but found 'a.b'");
  CHECK(error_of("const i32 X 1") == "bad.thrift:1:13: error: expected '=' after the constant name but found '1'");
  CHECK(error_of("include foo.thrift") ==
        "bad.thrift:1:9: error: expected a file name in quotes after 'include' but found 'foo.thrift'");
  CHECK(error_of("service S extends {}") ==
        "bad.thrift:1:19: error: expected the name of a service after 'extends' but found '{'");
  CHECK(error_of("const list<i32> L = " + std::string(300, '[') + std::string(300, ']')) ==
        "bad.thrift:1:221: error: nesting too deep: more than 200 levels of nested types or constant values");
  std::string deep_type;
  for (int i = 0; i < 250; ++i) deep_type += "list<";
  CHECK(error_of("typedef " + deep_type + "i32" + std::string(250, '>') + " T") ==
        "bad.thrift:1:1009: error: nesting too deep: more than 200 levels of nested types or constant values");
  CHECK(error_of("senum S { A }") == "bad.thrift:1:11: error: expected a string literal or '}' in senum S but found 'A'");
}

TEST_CASE("lexical errors") {
  CHECK(error_of("const i32 X = 1 @") == "bad.thrift:1:17: error: unexpected character '@'");
  CHECK(error_of("const string S = \"abc") ==
        "bad.thrift:1:18: error: unterminated string literal: expected closing '\"' before the end of the file");
  CHECK(error_of("struct A {}\n/* no end") ==
        "bad.thrift:2:1: error: unterminated comment: expected '*/' before the end of the file");
  CHECK(error_of("const string S = \"a\\qb\"") ==
        "bad.thrift:1:20: error: unknown escape sequence '\\q' in string literal (expected \\\" \\' \\\\ \\n \\r or \\t)");
  CHECK(error_of("const i64 X = 9223372036854775808") ==
        "bad.thrift:1:15: error: integer constant 9223372036854775808 is out of range for i64");
  CHECK(error_of("const i32 X = 12abc") == "bad.thrift:1:15: error: invalid number '12abc'");
}

TEST_CASE("field ids and names") {
  CHECK(error_of("struct A {\n  1: i32 x\n  1: i32 y\n}") ==
        "bad.thrift:3:3: error: duplicate field id 1 in struct A (first used by 'x' at line 2)");
  CHECK(error_of("struct A {\n  1: i32 x\n  2: string x\n}") ==
        "bad.thrift:3:13: error: duplicate field name 'x' in struct A (first declared at line 2)");
  CHECK(error_of("service S {\n  void f(1: i32 a, 1: i32 b)\n}") ==
        "bad.thrift:2:20: error: duplicate field id 1 in arguments of function S.f (first used by 'a' at line 2)");
  CHECK(error_of("exception E {}\nservice S {\n  void f() throws (1: E a, 1: E b)\n}") ==
        "bad.thrift:3:28: error: duplicate field id 1 in throws list of function S.f (first used by 'a' at line 3)");
  CHECK(error_of("union U {\n  1: i32 a\n  2: i32 b\n  3: i32 a\n}") ==
        "bad.thrift:4:10: error: duplicate field name 'a' in union U (first declared at line 2)");
  CHECK(error_of("struct A {\n  0: i32 x\n}") == "bad.thrift:2:3: error: field id 0 is out of range (expected 1..32767)");
  CHECK(error_of("struct A { 32768: i32 x }") ==
        "bad.thrift:1:12: error: field id 32768 is out of range (expected 1..32767)");
  CHECK(error_of("struct A { -1: i32 x }") == "bad.thrift:1:12: error: field id -1 is out of range (expected 1..32767)");
}

TEST_CASE("definitions and enums") {
  CHECK(error_of("struct A {}\nenum A { X }") ==
        "bad.thrift:2:6: error: duplicate definition of 'A' (first defined at line 1)");
  CHECK(error_of("const i32 C = 1\nservice C {}") ==
        "bad.thrift:2:9: error: duplicate definition of 'C' (first defined at line 1)");
  CHECK(error_of("enum E {\n  A,\n  B,\n  A = 5\n}") ==
        "bad.thrift:4:3: error: duplicate enum value 'A' in enum E (first declared at line 2)");
  CHECK(error_of("enum E { A = 2147483648 }") ==
        "bad.thrift:1:14: error: enum value 2147483648 for 'A' in enum E is out of range for i32 "
        "(expected -2147483648..2147483647)");
  CHECK(error_of("enum E { A = -2147483649 }") ==
        "bad.thrift:1:14: error: enum value -2147483649 for 'A' in enum E is out of range for i32 "
        "(expected -2147483648..2147483647)");
  CHECK(error_of("enum E {\n  A = 2147483647,\n  B\n}") ==
        "bad.thrift:3:3: error: implicit value 2147483648 for 'B' in enum E (previous value + 1) is out of range "
        "for i32");
  CHECK(error_of("service S {\n  void f()\n  i32 f(1: i32 x)\n}") ==
        "bad.thrift:3:7: error: duplicate function 'f' in service S (first declared at line 2)");
}

TEST_CASE("unknown and misused names") {
  CHECK(error_of("struct A {\n  1: Missing m\n}") ==
        "bad.thrift:2:6: error: unknown type 'Missing' (no struct, union, exception, enum, senum or typedef named "
        "'Missing' in bad.thrift)");
  CHECK(error_of("struct A { 1: list<map<string, Nope>> m }") ==
        "bad.thrift:1:32: error: unknown type 'Nope' (no struct, union, exception, enum, senum or typedef named "
        "'Nope' in bad.thrift)");
  CHECK(error_of("typedef other.T X") ==
        "bad.thrift:1:9: error: unknown type 'other.T' ('other' is not the name of an included file)");
  CHECK(error_of("service S {}\nstruct A { 1: S s }") == "bad.thrift:2:15: error: expected a type but 'S' is a service");
  CHECK(error_of("service S {\n  Nope f()\n}") ==
        "bad.thrift:2:3: error: unknown type 'Nope' (no struct, union, exception, enum, senum or typedef named "
        "'Nope' in bad.thrift)");
  CHECK(error_of("service S extends Base {}") ==
        "bad.thrift:1:19: error: unknown service 'Base' after 'extends' (no service named 'Base' in bad.thrift)");
  CHECK(error_of("struct Base {}\nservice S extends Base {}") ==
        "bad.thrift:2:19: error: service S cannot extend 'Base': expected a service but it is a struct");
  CHECK(error_of("struct E { 1: i32 code }\nservice S {\n  void f() throws (1: E e)\n}") ==
        "bad.thrift:3:23: error: 'E' in the throws list of function S.f is a struct, expected an exception");
  CHECK(error_of("service S {\n  void f() throws (1: i32 e)\n}") ==
        "bad.thrift:2:23: error: 'i32' in the throws list of function S.f is a base type, expected an exception");
  CHECK(error_of("typedef B A\ntypedef A B") == "bad.thrift:1:11: error: typedef 'A' refers to itself (A -> B -> A)");
  CHECK(error_of("service A extends B {}\nservice B extends A {}") ==
        "bad.thrift:1:9: error: service 'A' extends itself (A -> B -> A)");
}

TEST_CASE("typedef chains longer than the checker follows are errors, not unchecked types") {
  // Found while fuzzing: past 256 typedefs the value checks gave up silently, so
  // `const T300 X = "not a number"` was accepted (and generated as 0).
  auto chain = [](int n) {
    std::string text = "typedef i32 T0\n";
    for (int i = 1; i <= n; ++i) text += "typedef T" + std::to_string(i - 1) + " T" + std::to_string(i) + "\n";
    return text;
  };
  CHECK(error_of(chain(254) + "const T254 X = 1\nstruct S { 1: T254 f = 2 }\n") == "<no error>");
  CHECK(error_of(chain(254) + "const T254 X = \"not a number\"\n") ==
        "bad.thrift:256:16: error: type mismatch in const 'X': expected T254 (i32) but found string \"not a number\"");
  CHECK(error_of(chain(300) + "const T300 X = \"not a number\"\nstruct S { 1: T300 f = \"also not\" }\n") ==
        "bad.thrift:256:14: error: typedef 'T255' goes through more than 255 typedefs before reaching a type");
}

TEST_CASE("oneway functions") {
  CHECK(error_of("service S {\n  oneway i32 f()\n}") ==
        "bad.thrift:2:10: error: oneway function 'f' must return void but returns i32");
  CHECK(error_of("exception X {}\nservice S {\n  oneway void f() throws (1: X x)\n}") ==
        "bad.thrift:3:19: error: oneway function 'f' cannot throw exceptions (remove 'throws' or 'oneway')");
}

TEST_CASE("constant values that do not match their type") {
  CHECK(error_of("const i32 X = \"abc\"") ==
        "bad.thrift:1:15: error: type mismatch in const 'X': expected i32 but found string \"abc\"");
  CHECK(error_of("const i8 X = 300") ==
        "bad.thrift:1:14: error: integer 300 in const 'X' is out of range for i8 (expected -128..127)");
  CHECK(error_of("const i16 X = -32769") ==
        "bad.thrift:1:15: error: integer -32769 in const 'X' is out of range for i16 (expected -32768..32767)");
  CHECK(error_of("typedef i32 Int\nconst Int X = 2147483648") ==
        "bad.thrift:2:15: error: integer 2147483648 in const 'X' is out of range for Int (i32) (expected "
        "-2147483648..2147483647)");
  CHECK(error_of("const string S = 5") ==
        "bad.thrift:1:18: error: type mismatch in const 'S': expected string but found integer 5");
  CHECK(error_of("const double D = \"x\"") ==
        "bad.thrift:1:18: error: type mismatch in const 'D': expected double but found string \"x\"");
  CHECK(error_of("const bool B = 2") ==
        "bad.thrift:1:16: error: integer 2 in const 'B' is not a bool (expected true, false, 0 or 1)");
  CHECK(error_of("const uuid U = \"1234\"") ==
        "bad.thrift:1:16: error: invalid uuid string \"1234\" in const 'U' (expected 8-4-4-4-12 hex digits, "
        "optionally in braces)");
  CHECK(error_of("const list<i32> L = [1, \"two\", 3]") ==
        "bad.thrift:1:25: error: type mismatch in const 'L': expected i32 but found string \"two\"");
  CHECK(error_of("const map<string, i8> M = {\"a\": 1, \"b\": 1000}") ==
        "bad.thrift:1:41: error: integer 1000 in const 'M' is out of range for i8 (expected -128..127)");
  CHECK(error_of("const list<i32> L = {1: 2}") ==
        "bad.thrift:1:21: error: type mismatch in const 'L': expected list<i32> but found a map");
  CHECK(error_of("enum E { A, B }\nconst E X = E.C") ==
        "bad.thrift:2:13: error: unknown enum value 'E.C' in const 'X' (enum E has no value named 'C')");
  CHECK(error_of("enum E { A, B }\nconst E X = A") ==
        "bad.thrift:2:13: error: unknown identifier 'A' in const 'X' (write it as E.A)");
  CHECK(error_of("enum E { A = 1 }\nconst E X = 7") == "bad.thrift:2:13: error: integer 7 in const 'X' is not a value of enum E");
  CHECK(error_of("enum E { A }\nenum F { B }\nconst E X = F.B") ==
        "bad.thrift:3:13: error: type mismatch in const 'X': expected E but found 'F.B', a value of enum F");
  CHECK(error_of("const i32 X = NOPE") ==
        "bad.thrift:1:15: error: unknown identifier 'NOPE' in const 'X' (expected a constant, or an enum value "
        "written as Enum.VALUE)");
  CHECK(error_of("const i32 X = other.NOPE") ==
        "bad.thrift:1:15: error: unknown identifier 'other.NOPE' in const 'X' ('other' is neither an enum nor an "
        "included file; expected a constant, or an enum value written as Enum.VALUE)");
  CHECK(error_of("const string S = \"s\"\nconst i32 X = S") ==
        "bad.thrift:2:15: error: type mismatch in const 'X': expected i32 but constant 'S' has type string and a "
        "value that does not fit");
  CHECK(error_of("const i32 A = B\nconst i32 B = A") ==
        "bad.thrift:1:15: error: constant 'B' in const 'A' is defined in terms of itself\n"
        "bad.thrift:2:15: error: constant 'A' in const 'B' is defined in terms of itself");
  CHECK(error_of("struct P { 1: i32 x }\nconst P ORIGIN = {\"x\": 0, \"z\": 1}") ==
        "bad.thrift:2:27: error: unknown field 'z' for struct P in const 'ORIGIN'");
  CHECK(error_of("struct P { 1: i32 x }\nconst P ORIGIN = {1: 0}") ==
        "bad.thrift:2:19: error: expected a field name in quotes as key for struct P in const 'ORIGIN' but found "
        "integer 1");
  CHECK(error_of("struct P {\n  1: i32 x = \"zero\"\n}") ==
        "bad.thrift:2:14: error: type mismatch in default value of field 'x' in struct P: expected i32 but found "
        "string \"zero\"");
  CHECK(error_of("service S {\n  void f(1: i8 x = 128)\n}") ==
        "bad.thrift:2:20: error: integer 128 in default value of argument 'x' of function S.f is out of range for "
        "i8 (expected -128..127)");
}

TEST_CASE("several errors in one file are all reported, in source order") {
  const std::string text =
      "struct A {\n"
      "  1: i32 x\n"
      "  1: i32 y\n"        // duplicate id
      "  2: Unknown z\n"    // unknown type
      "}\n"
      "const i8 C = 999\n"  // out of range
      "service S {\n"
      "  oneway i32 f()\n"  // oneway returning a value
      "}\n";
  try {
    load_string(text, "bad.thrift");
    FAIL("expected an IdlError");
  } catch (const IdlError& e) {
    REQUIRE(e.errors().size() == 4);
    CHECK(e.errors()[0].loc.line == 3);
    CHECK(e.errors()[1].loc.line == 4);
    CHECK(e.errors()[2].loc.line == 6);
    CHECK(e.errors()[3].loc.line == 8);
    CHECK(e.errors()[3].message == "oneway function 'f' must return void but returns i32");  // bare message
    CHECK(e.errors()[3].loc.file == "bad.thrift");
    CHECK(e.errors()[3].loc.column == 10);
    CHECK(std::string(e.what()) ==
          "bad.thrift:3:3: error: duplicate field id 1 in struct A (first used by 'x' at line 2)\n"
          "bad.thrift:4:6: error: unknown type 'Unknown' (no struct, union, exception, enum, senum or typedef named "
          "'Unknown' in bad.thrift)\n"
          "bad.thrift:6:14: error: integer 999 in const 'C' is out of range for i8 (expected -128..127)\n"
          "bad.thrift:8:10: error: oneway function 'f' must return void but returns i32");
  }
  // Syntax errors: parsing resumes at the next definition that starts a line.
  CHECK(error_of("struct A {\n  1: i32 x =\n}\nstruct B { 1: i32 }\nstruct C { 1: i32 c }\nenum E { X = }\n") ==
        "bad.thrift:3:1: error: expected a constant value (number, string, identifier, [list] or {map}) but found '}'\n"
        "bad.thrift:4:19: error: expected a field name but found '}'\n"
        "bad.thrift:6:14: error: expected an integer value for 'X' but found '}'");
}

TEST_CASE("includes: not found, cycles, unreadable root, errors inside included files") {
  TempDir dir("errors");
  const std::string d = dir.path();
  CHECK(error_of("struct A {}\ninclude \"missing.thrift\"\n", LoadOptions{{"/nonexistent-dir"}}) ==
        "bad.thrift:2:9: error: included file 'missing.thrift' not found (looked for missing.thrift, "
        "/nonexistent-dir/missing.thrift)");

  std::string a = dir.write("a.thrift", "include \"b.thrift\"\nstruct A { 1: b.B b }\n");
  dir.write("b.thrift", "include \"c.thrift\"\nstruct B {}\n");
  dir.write("c.thrift", "\n  include \"a.thrift\"\n");
  CHECK_THROWS_WITH_AS(load_file(a),
                       (d + "/c.thrift:2:11: error: include cycle: " + d + "/a.thrift -> " + d + "/b.thrift -> " + d +
                        "/c.thrift -> " + d + "/a.thrift")
                           .c_str(),
                       IdlError);
  std::string self = dir.write("self.thrift", "include \"self.thrift\"\n");
  CHECK_THROWS_WITH_AS(load_file(self),
                       (self + ":1:9: error: include cycle: " + self + " -> " + self).c_str(), IdlError);

  CHECK_THROWS_WITH_AS(load_file(d + "/none.thrift"),
                       (d + "/none.thrift:1:1: error: cannot open file '" + d + "/none.thrift': no such file").c_str(),
                       IdlError);

  // An error in an included file names that file; a name from it needs the prefix.
  std::string lib = dir.write("lib.thrift", "struct L {\n  1: i32 x\n  2: Bad y\n}\n");
  std::string user = dir.write("user.thrift", "include \"lib.thrift\"\nstruct U { 1: lib.L l }\n");
  CHECK_THROWS_WITH_AS(load_file(user),
                       (lib + ":3:6: error: unknown type 'Bad' (no struct, union, exception, enum, senum or typedef "
                              "named 'Bad' in " + lib + ")")
                           .c_str(),
                       IdlError);
  dir.write("lib2.thrift", "struct L {}\nconst i32 K = 1\n");
  std::string user2 = dir.write("user2.thrift", "include \"lib2.thrift\"\nstruct U {\n  1: L l\n  2: lib2.M m\n"
                                                "  3: i32 k = lib2.K\n  4: i32 j = lib2.J\n}\n");
  try {
    load_file(user2);
    FAIL("expected an IdlError");
  } catch (const IdlError& e) {
    CHECK(std::string(e.what()) ==
          user2 + ":3:6: error: unknown type 'L' (no struct, union, exception, enum, senum or typedef named 'L' in " +
              user2 + ")\n" + user2 +
              ":4:6: error: unknown type 'lib2.M' (no struct, union, exception, enum, senum or typedef named 'M' in " +
              d + "/lib2.thrift)\n" + user2 + ":6:14: error: unknown identifier 'lib2.J' in default value of field 'j' in struct U (no constant named 'J' in " +
              d + "/lib2.thrift)");
  }
}
