// The corothrift side of tests/interop/interop.thrift, written by hand in exactly the shape
// corothrift-gen is to emit: plain structs (std::optional for optional fields, defaulted
// equality) and one Codec<> specialization per struct with size, write and read.
// read() tries the fields in declared order first (the usual case: one bounds check and one
// 4-byte compare per fixed-size field) and falls back to a generic loop on the first
// surprise; unknown fields are skipped; fields the message did not carry are reset to their
// defaults (so decoding into a reused object equals decoding into a fresh one); required
// fields are checked.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "corothrift/protocol/fields.hpp"

namespace shapes {

enum class Color : std::int32_t {
  RED = 1,
  GREEN = 2,
  BLUE = 7,
};

struct Small {
  std::int32_t id = 0;
  std::int64_t timestamp = 0;
  double score = 0.0;
  bool active = false;
  std::string name;
  std::int16_t flags = 0;
  friend bool operator==(const Small&, const Small&) = default;
};

struct Numbers {
  std::vector<std::int64_t> values;
  friend bool operator==(const Numbers&, const Numbers&) = default;
};

struct Blob {
  std::string data;
  friend bool operator==(const Blob&, const Blob&) = default;
};

struct Inner {
  std::int32_t x = 0;
  std::string label;
  friend bool operator==(const Inner&, const Inner&) = default;
};

struct Nested {
  std::string name;
  std::map<std::string, std::int32_t> counts;
  Inner inner;
  std::vector<Inner> items;
  friend bool operator==(const Nested&, const Nested&) = default;
};

struct Everything {
  bool flag = false;
  std::int8_t tiny = 0;
  std::int16_t small = 0;
  std::int32_t medium = 0;
  std::int64_t large = 0;
  double real = 0.0;
  std::string text;
  std::string raw;
  std::vector<std::int32_t> ints;
  std::set<std::string> tags;
  std::map<std::int32_t, std::string> names;
  std::map<std::string, std::vector<std::int64_t>> series;
  std::vector<std::map<std::string, std::set<std::int16_t>>> deep;
  Color color = static_cast<Color>(0);
  std::optional<std::int32_t> maybe_int;
  std::optional<std::string> maybe_text;
  Inner inner;
  std::vector<Inner> inners;
  std::int64_t must = 0;  // required
  std::vector<bool> bits;
  std::set<Color> colors;
  std::vector<double> reals;
  friend bool operator==(const Everything&, const Everything&) = default;
};

}  // namespace shapes

namespace corothrift {

template <>
struct Codec<shapes::Small> {
  using T = shapes::Small;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0x3f;  // one bit per field, in declared order
  static std::size_t size(const T& v) {
    return field_size(v.id) + field_size(v.timestamp) + field_size(v.score) + field_size(v.active) + field_size(v.name) + field_size(v.flags) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.id);
    p = put_field(p, 2, v.timestamp);
    p = put_field(p, 3, v.score);
    p = put_field(p, 4, v.active);
    p = put_field(p, 5, v.name);
    p = put_field(p, 6, v.flags);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.id));
    mark_seen(seen, 1, read_field_if(r, 2, v.timestamp));
    mark_seen(seen, 2, read_field_if(r, 3, v.score));
    mark_seen(seen, 3, read_field_if(r, 4, v.active));
    mark_seen(seen, 4, read_field_if(r, 5, v.name));
    mark_seen(seen, 5, read_field_if(r, 6, v.flags));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.id));
      case 2: return mark_seen(seen, 1, read_field_as(r, f, v.timestamp));
      case 3: return mark_seen(seen, 2, read_field_as(r, f, v.score));
      case 4: return mark_seen(seen, 3, read_field_as(r, f, v.active));
      case 5: return mark_seen(seen, 4, read_field_as(r, f, v.name));
      case 6: return mark_seen(seen, 5, read_field_as(r, f, v.flags));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.id);
    if (!(seen & (std::uint64_t{1} << 1))) reset_value(v.timestamp);
    if (!(seen & (std::uint64_t{1} << 2))) reset_value(v.score);
    if (!(seen & (std::uint64_t{1} << 3))) reset_value(v.active);
    if (!(seen & (std::uint64_t{1} << 4))) reset_value(v.name);
    if (!(seen & (std::uint64_t{1} << 5))) reset_value(v.flags);
  }
};

template <>
struct Codec<shapes::Numbers> {
  using T = shapes::Numbers;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0x1;  // one bit per field, in declared order
  static std::size_t size(const T& v) {
    return field_size(v.values) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.values);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.values));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.values));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.values);
  }
};

template <>
struct Codec<shapes::Blob> {
  using T = shapes::Blob;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0x1;  // one bit per field, in declared order
  static std::size_t size(const T& v) {
    return field_size(v.data) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.data);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.data));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.data));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.data);
  }
};

template <>
struct Codec<shapes::Inner> {
  using T = shapes::Inner;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0x3;  // one bit per field, in declared order
  static std::size_t size(const T& v) {
    return field_size(v.x) + field_size(v.label) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.x);
    p = put_field(p, 2, v.label);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.x));
    mark_seen(seen, 1, read_field_if(r, 2, v.label));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.x));
      case 2: return mark_seen(seen, 1, read_field_as(r, f, v.label));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.x);
    if (!(seen & (std::uint64_t{1} << 1))) reset_value(v.label);
  }
};

template <>
struct Codec<shapes::Nested> {
  using T = shapes::Nested;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0xf;  // one bit per field, in declared order
  static std::size_t size(const T& v) {
    return field_size(v.name) + field_size(v.counts) + field_size(v.inner) + field_size(v.items) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.name);
    p = put_field(p, 2, v.counts);
    p = put_field(p, 3, v.inner);
    p = put_field(p, 4, v.items);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.name));
    mark_seen(seen, 1, read_field_if(r, 2, v.counts));
    mark_seen(seen, 2, read_field_if(r, 3, v.inner));
    mark_seen(seen, 3, read_field_if(r, 4, v.items));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.name));
      case 2: return mark_seen(seen, 1, read_field_as(r, f, v.counts));
      case 3: return mark_seen(seen, 2, read_field_as(r, f, v.inner));
      case 4: return mark_seen(seen, 3, read_field_as(r, f, v.items));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.name);
    if (!(seen & (std::uint64_t{1} << 1))) reset_value(v.counts);
    if (!(seen & (std::uint64_t{1} << 2))) reset_value(v.inner);
    if (!(seen & (std::uint64_t{1} << 3))) reset_value(v.items);
  }
};

template <>
struct Codec<shapes::Everything> {
  using T = shapes::Everything;
  static constexpr TType type = TType::Struct;
  static constexpr std::uint64_t kAllFields = 0x3fffff;  // one bit per field, in declared order
  static constexpr std::uint64_t kRequired = 0x40000;  // must
  static std::size_t size(const T& v) {
    return field_size(v.flag) + field_size(v.tiny) + field_size(v.small) + field_size(v.medium) + field_size(v.large) + field_size(v.real) + field_size(v.text) + field_size(v.raw) + field_size(v.ints) + field_size(v.tags) + field_size(v.names) + field_size(v.series) + field_size(v.deep) + field_size(v.color) + field_size(v.maybe_int) + field_size(v.maybe_text) + field_size(v.inner) + field_size(v.inners) + field_size(v.must) + field_size(v.bits) + field_size(v.colors) + field_size(v.reals) + 1;
  }
  static std::byte* put(std::byte* __restrict p, const T& v) {
    p = put_field(p, 1, v.flag);
    p = put_field(p, 2, v.tiny);
    p = put_field(p, 3, v.small);
    p = put_field(p, 4, v.medium);
    p = put_field(p, 5, v.large);
    p = put_field(p, 6, v.real);
    p = put_field(p, 7, v.text);
    p = put_field(p, 8, v.raw);
    p = put_field(p, 9, v.ints);
    p = put_field(p, 10, v.tags);
    p = put_field(p, 11, v.names);
    p = put_field(p, 12, v.series);
    p = put_field(p, 13, v.deep);
    p = put_field(p, 14, v.color);
    p = put_field(p, 15, v.maybe_int);
    p = put_field(p, 16, v.maybe_text);
    p = put_field(p, 17, v.inner);
    p = put_field(p, 18, v.inners);
    p = put_field(p, 19, v.must);
    p = put_field(p, 20, v.bits);
    p = put_field(p, 21, v.colors);
    p = put_field(p, 22, v.reals);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, T& v) {
    if (!r.enter()) return;
    std::uint64_t seen = 0;
    mark_seen(seen, 0, read_field_if(r, 1, v.flag));
    mark_seen(seen, 1, read_field_if(r, 2, v.tiny));
    mark_seen(seen, 2, read_field_if(r, 3, v.small));
    mark_seen(seen, 3, read_field_if(r, 4, v.medium));
    mark_seen(seen, 4, read_field_if(r, 5, v.large));
    mark_seen(seen, 5, read_field_if(r, 6, v.real));
    mark_seen(seen, 6, read_field_if(r, 7, v.text));
    mark_seen(seen, 7, read_field_if(r, 8, v.raw));
    mark_seen(seen, 8, read_field_if(r, 9, v.ints));
    mark_seen(seen, 9, read_field_if(r, 10, v.tags));
    mark_seen(seen, 10, read_field_if(r, 11, v.names));
    mark_seen(seen, 11, read_field_if(r, 12, v.series));
    mark_seen(seen, 12, read_field_if(r, 13, v.deep));
    mark_seen(seen, 13, read_field_if(r, 14, v.color));
    mark_seen(seen, 14, read_field_if(r, 15, v.maybe_int));
    mark_seen(seen, 15, read_field_if(r, 16, v.maybe_text));
    mark_seen(seen, 16, read_field_if(r, 17, v.inner));
    mark_seen(seen, 17, read_field_if(r, 18, v.inners));
    mark_seen(seen, 18, read_field_if(r, 19, v.must));
    mark_seen(seen, 19, read_field_if(r, 20, v.bits));
    mark_seen(seen, 20, read_field_if(r, 21, v.colors));
    mark_seen(seen, 21, read_field_if(r, 22, v.reals));
    if (!r.try_stop()) read_remaining_fields(r, [&](FieldHeader f) { return read_one(r, v, f, seen); });
    if (seen != kAllFields) reset_unseen(v, seen);
    if ((seen & kRequired) != kRequired) r.fail(ErrorKind::missing_required_field, "Everything.must");
    r.leave();
  }
  static void reset(T& v) { reset_unseen(v, 0); }

 private:
  static bool read_one(BinaryReader& r, T& v, FieldHeader f, std::uint64_t& seen) {
    switch (f.id) {
      case 1: return mark_seen(seen, 0, read_field_as(r, f, v.flag));
      case 2: return mark_seen(seen, 1, read_field_as(r, f, v.tiny));
      case 3: return mark_seen(seen, 2, read_field_as(r, f, v.small));
      case 4: return mark_seen(seen, 3, read_field_as(r, f, v.medium));
      case 5: return mark_seen(seen, 4, read_field_as(r, f, v.large));
      case 6: return mark_seen(seen, 5, read_field_as(r, f, v.real));
      case 7: return mark_seen(seen, 6, read_field_as(r, f, v.text));
      case 8: return mark_seen(seen, 7, read_field_as(r, f, v.raw));
      case 9: return mark_seen(seen, 8, read_field_as(r, f, v.ints));
      case 10: return mark_seen(seen, 9, read_field_as(r, f, v.tags));
      case 11: return mark_seen(seen, 10, read_field_as(r, f, v.names));
      case 12: return mark_seen(seen, 11, read_field_as(r, f, v.series));
      case 13: return mark_seen(seen, 12, read_field_as(r, f, v.deep));
      case 14: return mark_seen(seen, 13, read_field_as(r, f, v.color));
      case 15: return mark_seen(seen, 14, read_field_as(r, f, v.maybe_int));
      case 16: return mark_seen(seen, 15, read_field_as(r, f, v.maybe_text));
      case 17: return mark_seen(seen, 16, read_field_as(r, f, v.inner));
      case 18: return mark_seen(seen, 17, read_field_as(r, f, v.inners));
      case 19: return mark_seen(seen, 18, read_field_as(r, f, v.must));
      case 20: return mark_seen(seen, 19, read_field_as(r, f, v.bits));
      case 21: return mark_seen(seen, 20, read_field_as(r, f, v.colors));
      case 22: return mark_seen(seen, 21, read_field_as(r, f, v.reals));
      default: return false;
    }
  }
  static void reset_unseen(T& v, std::uint64_t seen) {
    if (!(seen & (std::uint64_t{1} << 0))) reset_value(v.flag);
    if (!(seen & (std::uint64_t{1} << 1))) reset_value(v.tiny);
    if (!(seen & (std::uint64_t{1} << 2))) reset_value(v.small);
    if (!(seen & (std::uint64_t{1} << 3))) reset_value(v.medium);
    if (!(seen & (std::uint64_t{1} << 4))) reset_value(v.large);
    if (!(seen & (std::uint64_t{1} << 5))) reset_value(v.real);
    if (!(seen & (std::uint64_t{1} << 6))) reset_value(v.text);
    if (!(seen & (std::uint64_t{1} << 7))) reset_value(v.raw);
    if (!(seen & (std::uint64_t{1} << 8))) reset_value(v.ints);
    if (!(seen & (std::uint64_t{1} << 9))) reset_value(v.tags);
    if (!(seen & (std::uint64_t{1} << 10))) reset_value(v.names);
    if (!(seen & (std::uint64_t{1} << 11))) reset_value(v.series);
    if (!(seen & (std::uint64_t{1} << 12))) reset_value(v.deep);
    if (!(seen & (std::uint64_t{1} << 13))) reset_value(v.color);
    if (!(seen & (std::uint64_t{1} << 14))) reset_value(v.maybe_int);
    if (!(seen & (std::uint64_t{1} << 15))) reset_value(v.maybe_text);
    if (!(seen & (std::uint64_t{1} << 16))) reset_value(v.inner);
    if (!(seen & (std::uint64_t{1} << 17))) reset_value(v.inners);
    if (!(seen & (std::uint64_t{1} << 18))) reset_value(v.must);
    if (!(seen & (std::uint64_t{1} << 19))) reset_value(v.bits);
    if (!(seen & (std::uint64_t{1} << 20))) reset_value(v.colors);
    if (!(seen & (std::uint64_t{1} << 21))) reset_value(v.reals);
  }
};

}  // namespace corothrift
