// The IDL of the corothrift CLI's golden tests (tests/cli/cli_test.py): one struct with
// nested containers, enums, binary, optional fields and a union, on top of the generator's
// feature IDL (found with -I tests/gen).
include "features.thrift"

struct Inner {
  1: string name,
  2: optional i32 count,
}

struct Golden {
  1: i32 id,
  2: features.Level level,
  3: binary blob,
  4: optional string note,
  5: list<map<string, list<i16>>> nested,
  6: map<features.Level, Inner> by_level,
  7: optional set<i64> ids,
  8: features.Either choice,
  9: optional double ratio,
}

/** Keys that are not strings in JSON: integers, bools and (as [key, value] pairs) lists and structs. */
struct Keys {
  1: map<i32, string> by_i32,
  2: map<i64, bool> by_i64,
  3: map<bool, i8> by_bool,
  4: map<list<i32>, string> by_list,
  5: map<Inner, double> by_struct,
  6: map<double, string> by_double,
}

/** Scalars at their extremes. */
struct Scalars {
  1: bool b,
  2: byte i8v,
  3: i16 i16v,
  4: i32 i32v,
  5: i64 i64v,
  6: double d,
  7: string s,
  8: binary bin,
  9: list<double> ds,
  10: list<i64> ls,
  11: features.Id uid,
}

struct Required {
  1: required i32 must,
  2: list<Inner> items,
}
