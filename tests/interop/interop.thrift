// Test IDL for corothrift's interop tests and benchmark. Apache's `thrift --gen cpp`
// compiles it for the Apache side; tests/shapes/interop_types.hpp is the corothrift side,
// written by hand in the shape corothrift-gen is to emit.
// No uuid here: Apache Thrift 0.17 does not know it.

namespace cpp @NAMESPACE@

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 7,
}

// The benchmark's "small struct": a few ints, a double, a bool, a short string.
struct Small {
  1: i32 id,
  2: i64 timestamp,
  3: double score,
  4: bool active,
  5: string name,
  6: i16 flags,
}

struct Numbers {
  1: list<i64> values,
}

struct Blob {
  1: binary data,
}

struct Inner {
  1: i32 x,
  2: string label,
}

struct Nested {
  1: string name,
  2: map<string, i32> counts,
  3: Inner inner,
  4: list<Inner> items,
}

struct Everything {
  1: bool flag,
  2: i8 tiny,
  3: i16 small,
  4: i32 medium,
  5: i64 large,
  6: double real,
  7: string text,
  8: binary raw,
  9: list<i32> ints,
  10: set<string> tags,
  11: map<i32, string> names,
  12: map<string, list<i64>> series,
  13: list<map<string, set<i16>>> deep,
  14: Color color,
  15: optional i32 maybe_int,
  16: optional string maybe_text,
  17: Inner inner,
  18: list<Inner> inners,
  19: required i64 must,
  20: list<bool> bits,
  21: set<Color> colors,
  22: list<double> reals,
}

// ---- more IDL features, for the generator's interop tests ----

typedef i64 Timestamp
typedef list<Inner> InnerList

const i32 MAX_ITEMS = 100
const string GREETING = "hello \"world\"\n"
const list<string> NAMES = ["a", "b"]
const map<string, i32> LIMITS = {"x": 1, "y": 2}
const Color DEFAULT_COLOR = Color.GREEN
const Inner ORIGIN = {"x": 0, "label": "origin"}
const double RATIO = 2.5e-3

/** Defaults from the IDL must give the same bytes on both sides. */
struct Defaults {
  1: i32 count = 42,
  2: string label = "none",
  3: Color color = Color.BLUE,
  4: list<i32> primes = [2, 3, 5],
  5: optional double ratio = 0.5,
  6: Timestamp since = -1,
  7: InnerList more,
  // (a default naming a container constant, `= LIMITS`, is left empty by Apache 0.17 C++)
  8: map<string, i32> limits = {"x": 1, "y": 2},
  9: i8 tiny = -8,
  10: bool on = 1,
}

union Choice {
  1: i32 number,
  2: string text,
  3: Inner inner,
}

exception Oops {
  1: i32 code,
  2: string message,
}

service Calculator {
  i32 add(1: i32 a, 2: i32 b),
  Inner describe(1: Small s, 2: Choice how) throws (1: Oops oops),
  oneway void ping(1: string note),
}
