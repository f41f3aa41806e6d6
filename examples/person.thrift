// The examples' IDL: examples/meson.build turns it into person_thrift.hpp with corothrift-gen.
namespace cpp example

struct Person {
  1: string name,
  2: i32 id,
  3: optional string email,
  4: list<string> phones,
}
