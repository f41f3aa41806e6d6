/**
 * Feature test for the corothrift IDL parser:
 * every construct of the grammar at least once.
 */
include "features_inc.thrift"
cpp_include "<unordered_map>"
cpp_include "custom/types.h"

namespace cpp corothrift.test.features
namespace * features.all
namespace py.twisted features.twisted
namespace st Features.St
php_namespace FeaturesPhp
java_package org.example.features
cocoa_prefix FT
csharp_namespace Features.CSharp
smalltalk_category Features.Legacy
xsd_namespace "http://example.com/features"

# a shell-style comment
// a C++-style comment
/* a C-style comment */

/** A typedef doc. */
typedef i64 UserId (units = "id")
typedef features_inc.Color IncColor
typedef list<i32> cpp_type "std::deque<int32_t>" IntDeque
typedef set cpp_type "std::unordered_set<std::string>" <string> StringSet
typedef map cpp_type "std::unordered_map<int, int>" <i32, i32> IntMap;
typedef slist OldString
typedef byte OldByte
typedef UserId UserIdAlias

/** Status doc. */
enum Status {
  /** Nothing yet. */
  UNKNOWN,
  ACTIVE = 5 (note = "five"),
  PAUSED;
  NEGATIVE = -3,
  AFTER_NEGATIVE
  HEX = 0x10
} (enum.flag)

senum Flavor { "vanilla", "chocolate"; 'strawberry' }

/** A point. */
struct Point {
  1: required i32 x
  2: required i32 y = 0,
  3: optional string label = "none";
  /** Tags. */
  4: list<string> (elem.anno = "yes") tags (field.anno = "f"),
  5: map<string, UserId> owners
  6: set<Status> statuses = [Status.ACTIVE]
  7: IncColor color = features_inc.Color.RED
  8: features_inc.Shape shape
  9: OldString old xsd_optional xsd_nillable
  10: i8 i8
  11: string string
  12: list<i32> list
  13: optional Point & next
  14: uuid id
} (cpp.name = "PointType", flag)

struct NoIds {
  i32 first
  optional string second
}

struct XsdStuff xsd_all {
  1: i32 a xsd_attrs { 1: string attr }
}

union Value {
  1: i32 number
  2: string text
}

exception NotFound {
  1: string what = "missing"
  2: i32 code
} (exc.anno)

exception Other { 1: string message }

const i32 ANSWER = 42;
const i8 SMALL = -128,
const i16 HEXED = 0x7fff
const i64 BIG = -9223372036854775808
const double PI = 3.25
const double EXP = -2e10
const double FRACTION = .5
const double FROM_INT = 7
const bool YES = true
const bool NO = 0
const string GREETING = "say \"hi\"\n\t\\ 'x'"
const string SINGLE = 'it\'s'
const binary BYTES = "raw"
const uuid ID = "{00112233-4455-6677-8899-aabbccddeeff}"
const Status DEFAULT_STATUS = Status.ACTIVE
const Status BY_NUMBER = 5
const i32 COPY = ANSWER
const UserIdAlias ALIASED = 7
const list<i32> PRIMES = [2, 3; 5 7]
const set<string> NAMES = ["a", "b"]
const list<i32> EMPTY = {}
const map<string, list<i32>> NESTED = {"one": [1], "two": [1, 2], "none": []}
const map<Status, string> STATUS_NAMES = {Status.ACTIVE: "active", Status.PAUSED: "paused"}
const features_inc.Color FAVOURITE = features_inc.Color.GREEN
const i32 INC_LIMIT = features_inc.LIMIT
const Point ORIGIN = {"x": 0, "y": 0, "label": "origin", "tags": ["a"], "shape": {"name": "dot"}}
const list<Point> PATH = [{"x": 1, "y": 2}, {"x": 3, "y": 4}]
const map<i32, map<i32, string>> DEEP = {1: {2: "x"}}

/** The base service. */
service Base {
  void ping()
}

service Features extends Base {
  /** Finds a point. */
  Point find(1: i32 x, 2: i32 y = 3) throws (1: NotFound nf, 2: Other other),
  oneway void fire(1: string event);
  list<Point> all() (fn.anno = "a")
  i8 byte_fn(1: byte b)
} (svc.anno = "s")

service IncExtends extends features_inc.IncService {}
