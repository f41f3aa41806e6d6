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

namespace corothrift {

template <>
struct Codec<example::Person> {
  using T = example::Person;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0xf;  // one bit per field, in declared order
  static std::size_t size(const T& v) {
    return field_size(v.name) + field_size(v.id) + field_size(v.email) + field_size(v.phones) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.name);
    p = put_field(p, 2, v.id);
    p = put_field(p, 3, v.email);
    p = put_field(p, 4, v.phones);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.name));
    mark_seen(seen, 1, read_field_if(r, 2, v.id));
    mark_seen(seen, 2, read_field_if(r, 3, v.email));
    mark_seen(seen, 3, read_field_if(r, 4, v.phones));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.name));
      case 2: return mark_seen(seen, 1, read_field_as(r, f, v.id));
      case 3: return mark_seen(seen, 2, read_field_as(r, f, v.email));
      case 4: return mark_seen(seen, 3, read_field_as(r, f, v.phones));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.name);
    if (!(seen & (std::uint64_t{1} << 1))) reset_value(v.id);
    if (!(seen & (std::uint64_t{1} << 2))) reset_value(v.email);
    if (!(seen & (std::uint64_t{1} << 3))) reset_value(v.phones);
  }
};

}  // namespace corothrift
