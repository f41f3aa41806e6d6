// RPC shapes beyond tests/interop/interop.thrift: a service that extends another, methods
// without arguments, void methods that throw, binary and container results.
namespace cpp extra

exception NotFound {
  1: string key,
}

exception Invalid {
  1: i32 code,
}

service Base {
  string echo(1: string text),
  /** Arguments named like the generated stub's own locals and template parameter. */
  i32 clash(1: i32 corothrift_args, 2: i32 corothrift_result, 3: i32 Core),
  void nothing(),
  i64 counter(),
}

service Store extends Base {
  void put(1: string key, 2: binary value),
  binary get(1: string key) throws (1: NotFound not_found, 2: Invalid invalid),
  void remove(1: string key) throws (1: NotFound not_found),
  list<string> keys(),
  map<string, i64> sizes(1: set<string> which),
  oneway void forget_all(),
}
