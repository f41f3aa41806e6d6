// Edge cases corothrift-gen once got wrong (found by a user-style bug hunt); each must
// generate a header that compiles with -Werror and behaves.
namespace cpp gen_edge

struct P { 1: i32 x }
const list<P> PS = [{"x": 1}, {"x": 2}]
const P ONE = {"x": 1}
/** Defaults naming constants that hold structs (defined after the structs). */
struct UsesConsts {
  1: list<P> ps = PS,
  2: P one = ONE,
}

/** Functions named like the members of the generated method table, or like the service. */
service S {
  void result(),
  i32 name(1: i32 x),
  void base(),
  void return_type(),
  void S(),
  void oneway(),
  /** An optional argument is sent anyway, as Apache does. */
  void opt(1: optional i32 z, 2: i32 w),
}

/** Names that are macros or reserved in C++. */
enum Macros {
  INT32_MAX = 1,
  EOF = 2,
  __LINE__ = 3,
  _Reserved = 4,
}
enum from_string { X = 1 }
struct UsesOddEnum { 1: from_string f, 2: Macros m }

enum Empty {}
union EmptyUnion {}

/** A typedef naming a later typedef. */
typedef list<Later> Earlier
typedef i32 Later
struct UsesTypedefs { 1: Earlier e }

/** Constants used as another type: an enum constant where an integer is wanted, an
    integer constant for an enum, a list of enums for a list of integers. */
enum Shade { DARK = 3, LIGHT = 8 }
const Shade FAVOURITE = Shade.LIGHT
const i32 DARK_AS_INT = 3
const list<Shade> SHADES = [Shade.DARK, Shade.LIGHT]
struct UsesOtherTypes {
  1: i32 n = FAVOURITE,
  2: Shade s = DARK_AS_INT,
  3: list<i32> ns = SHADES,
  4: map<Shade, i64> m = {DARK_AS_INT: FAVOURITE},
}
