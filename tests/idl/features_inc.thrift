// Included by features.thrift: its names are used there as features_inc.Name.
namespace cpp features.inc

enum Color {
  RED = 1,
  GREEN,
  BLUE
}

const i32 LIMIT = 100

struct Shape {
  1: string name
}

service IncService {
  void base_call()
}
