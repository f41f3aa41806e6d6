// What corothrift-gen emits for this IDL (written by hand until the generator lands):
//
//   struct Person {
//     1: string name,
//     2: i32 id,
//     3: optional string email,
//     4: list<string> phones,
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <corothrift/protocol/fields.hpp>

namespace example {

struct Person {
  std::string name;
  std::int32_t id = 0;
  std::optional<std::string> email;
  std::vector<std::string> phones;
  friend bool operator==(const Person&, const Person&) = default;
};

}  // namespace example

template <>
struct corothrift::Codec<example::Person> {
  using T = example::Person;
  static constexpr TType type = TType::Struct;
  static std::size_t size(const T& v) {
    return field_size(v.name) + field_size(v.id) + field_size(v.email) + field_size(v.phones) + 1;
  }
  static std::byte* put(std::byte* p, const T& v) {
    p = put_field(p, 1, v.name);
    p = put_field(p, 2, v.id);
    p = put_field(p, 3, v.email);
    p = put_field(p, 4, v.phones);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    read_field_if(r, 1, v.name);
    read_field_if(r, 2, v.id);
    read_field_if(r, 3, v.email);
    read_field_if(r, 4, v.phones);
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f); });
    r.leave();
  }
  static bool read_one(BinaryReader& r, T& v, FieldHeader f) {
    switch (f.id) {
      case 1: return read_field_as(r, f, v.name);
      case 2: return read_field_as(r, f, v.id);
      case 3: return read_field_as(r, f, v.email);
      case 4: return read_field_as(r, f, v.phones);
      default: return false;
    }
  }
};
