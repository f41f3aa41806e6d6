// The generator's own feature test IDL: what the Apache-interop IDL cannot hold
// (uuid, recursive types, C++ keywords as names, implicit enum values).
namespace cpp gen_features

/** Levels, with implicit and explicit values. */
enum Level {
  LOW,
  MEDIUM = 5,
  HIGH,
}

typedef uuid Id

/** A recursive type: a reference field and a list of itself. */
struct Node {
  1: i32 value,
  2: Node & next,
  3: list<Node> children,
}

/** Field names that are C++ keywords (not Thrift ones). */
struct Keywords {
  1: i32 int,
  2: string template,
  3: bool operator,
  4: optional i64 auto,
}

struct WithUuid {
  1: Id id,
  2: optional uuid other,
  3: list<uuid> many,
  4: map<uuid, Level> levels,
}

union Either {
  1: string s,
  2: i64 n,
}

const Id ZERO_ID = "00000000-0000-0000-0000-000000000000"
const Level DEFAULT_LEVEL = Level.HIGH
const i64 BIG = 0x7fffffffffffffff
const double TINY = -1.5e-300

/** Containers chosen with cpp.template. */
typedef list<i32> (cpp.template = "std::deque") IntDeque
struct Templated {
  1: IntDeque deque,
  2: list<string> (cpp.template = "std::list") names,
  3: map<string, i32> (cpp.template = "std::unordered_map") counts,
  4: set<i64> (cpp.template = "std::unordered_set") ids,
}
