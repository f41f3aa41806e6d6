// The runtime codec (codec.hpp): plans walked at run time, bytes identical to generated code.
#include "corothrift/dynamic/codec.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <memory>

#include "corothrift/protocol/raw_writer.hpp"

namespace corothrift::dynamic {

using Tag = Value::Tag;

namespace {

// ---- decoding ------------------------------------------------------------------------------

void read_value(BinaryReader& r, const TypeNode& t, Value& v);

void read_struct(BinaryReader& r, const StructPlan& p, Value& v) {
  if (!r.enter()) return;
  v.tag = Tag::Struct;
  const std::size_t n = p.fields.size();
  if (v.items.size() != n) v.items.resize(n);
  std::uint64_t small = 0;
  std::unique_ptr<std::uint64_t[]> big;
  std::uint64_t* seen = &small;
  if (n > 64) {
    big = std::make_unique<std::uint64_t[]>((n + 63) / 64);
    seen = big.get();
  }
  std::size_t count = 0;
  // Fields in declared order first (what every encoder writes), as generated code does:
  // each one is a single header compare; anything else goes through the general loop.
  const StructPlan::Op* ops = p.ops.data();
  Value* items = v.items.data();
  for (std::size_t i = 0; i < n; ++i) {
    const StructPlan::Op& f = ops[i];
    Value& x = items[i];
    bool got;
    switch (f.kind) {  // fixed-size values: one bounds check for header and value
      case Kind::Bool:
        got = r.try_fixed_field<1>(f.wire, f.id, [&](const std::byte* q) { x.tag = Tag::Bool, x.b = *q != std::byte{0}; });
        break;
      case Kind::I8:
        got = r.try_fixed_field<1>(f.wire, f.id, [&](const std::byte* q) { x.tag = Tag::Int, x.i = static_cast<std::int8_t>(*q); });
        break;
      case Kind::I16:
        got = r.try_fixed_field<2>(f.wire, f.id, [&](const std::byte* q) { x.tag = Tag::Int, x.i = detail::load_be<std::int16_t>(q); });
        break;
      case Kind::I32: case Kind::Enum:
        got = r.try_fixed_field<4>(f.wire, f.id, [&](const std::byte* q) { x.tag = Tag::Int, x.i = detail::load_be<std::int32_t>(q); });
        break;
      case Kind::I64:
        got = r.try_fixed_field<8>(f.wire, f.id, [&](const std::byte* q) { x.tag = Tag::Int, x.i = detail::load_be<std::int64_t>(q); });
        break;
      case Kind::Double:
        got = r.try_fixed_field<8>(f.wire, f.id, [&](const std::byte* q) { x.tag = Tag::Double, x.d = detail::load_be<double>(q); });
        break;
      case Kind::String: case Kind::Binary:
        got = r.try_field(f.wire, f.id);
        if (got) {
          x.tag = Tag::Bytes;
          r.read_string(x.bytes);
        }
        break;
      default:
        got = r.try_field(f.wire, f.id);
        if (got) read_value(r, *f.type, x);
        break;
    }
    if (!got) continue;
    std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (!(seen[i / 64] & bit)) {
      seen[i / 64] |= bit;
      ++count;
    }
  }
  if (!r.try_stop()) for (;;) {
    FieldHeader h = r.read_field_begin();
    if (h.type == TType::Stop) break;
    int k = p.find(h.id);
    if (k < 0 || p.fields[static_cast<std::size_t>(k)].type->wire != h.type) {
      r.skip(h.type);
      continue;
    }
    std::size_t i = static_cast<std::size_t>(k);
    read_value(r, *p.fields[i].type, v.items[i]);
    std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (!(seen[i / 64] & bit)) {
      seen[i / 64] |= bit;
      ++count;
    }
  }
  if (count != n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (seen[i / 64] >> (i % 64) & 1) continue;
      const FieldPlan& f = p.fields[i];
      if (f.optional) v.items[i].clear();
      else v.items[i] = f.initial;
      if (f.req == idl::Requiredness::Required) r.fail(ErrorKind::missing_required_field, f.qualified.c_str());
    }
  }
  if (p.kind == idl::Struct::Kind::Union && count > 1) r.fail(ErrorKind::invalid_union, p.too_many.c_str());
  r.leave();
}

template <class T>
void read_ints(BinaryReader& r, std::int64_t* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = r.read_scalar<T>();
}

void read_seq(BinaryReader& r, const TypeNode& t, Value& v) {
  if (!r.enter()) return;
  const bool is_set = t.kind == Kind::Set;
  const std::size_t at = r.offset();
  ListHeader h = is_set ? r.read_set_begin() : r.read_list_begin();
  const TypeNode& e = *t.elem;
  const std::size_t each = t.int_elements() ? sizeof(std::int64_t) : t.real_elements() ? sizeof(double) : sizeof(Value);
  if (!r.expect_type(h.elem, e.wire, h.size, is_set ? "set element type" : "list element type", at) ||
      !r.charge(static_cast<std::size_t>(h.size) * each, is_set ? "set elements" : "list elements")) {
    v.tag = Tag::List;
    r.leave();
    return;
  }
  v.tag = Tag::List;
  const std::size_t n = static_cast<std::size_t>(h.size);
  if (t.int_elements()) {
    v.ints.resize(n);
    switch (e.kind) {
      case Kind::Bool:
        for (std::size_t k = 0; k < n; ++k) v.ints[k] = r.read_bool();
        break;
      case Kind::I8: read_ints<std::int8_t>(r, v.ints.data(), n); break;
      case Kind::I16: read_ints<std::int16_t>(r, v.ints.data(), n); break;
      case Kind::I64: r.read_array(v.ints.data(), n); break;
      default: read_ints<std::int32_t>(r, v.ints.data(), n); break;  // i32, enum
    }
  } else if (t.real_elements()) {
    v.reals.resize(n);
    r.read_array(v.reals.data(), n);
  } else {
    if (v.items.size() != n) v.items.resize(n);
    for (std::size_t k = 0; k < n && r.ok(); ++k) read_value(r, e, v.items[k]);
  }
  r.leave();
}

void read_map(BinaryReader& r, const TypeNode& t, Value& v) {
  if (!r.enter()) return;
  const std::size_t at = r.offset();
  MapHeader h = r.read_map_begin();
  v.tag = Tag::Map;
  if (!r.expect_type(h.key, t.elem->wire, h.size, "map key type", at) ||
      !r.expect_type(h.value, t.value->wire, h.size, "map value type", at + 1) ||
      !r.charge(static_cast<std::size_t>(h.size) * 2 * sizeof(Value), "map entries")) {
    r.leave();
    return;
  }
  const std::size_t n = static_cast<std::size_t>(h.size) * 2;
  if (v.items.size() != n) v.items.resize(n);
  for (std::size_t k = 0; k < n && r.ok(); k += 2) {
    read_value(r, *t.elem, v.items[k]);
    read_value(r, *t.value, v.items[k + 1]);
  }
  r.leave();
}

void read_value(BinaryReader& r, const TypeNode& t, Value& v) {
  switch (t.kind) {
    case Kind::Bool: v.tag = Tag::Bool; v.b = r.read_bool(); return;
    case Kind::I8: v.tag = Tag::Int; v.i = r.read_byte(); return;
    case Kind::I16: v.tag = Tag::Int; v.i = r.read_i16(); return;
    case Kind::I32: case Kind::Enum: v.tag = Tag::Int; v.i = r.read_i32(); return;
    case Kind::I64: v.tag = Tag::Int; v.i = r.read_i64(); return;
    case Kind::Double: v.tag = Tag::Double; v.d = r.read_double(); return;
    case Kind::String: case Kind::Binary: v.tag = Tag::Bytes; r.read_string(v.bytes); return;
    case Kind::Uuid: {
      v.tag = Tag::Uuid;
      Uuid u = r.read_uuid();
      v.bytes.assign(reinterpret_cast<const char*>(u.bytes.data()), 16);
      return;
    }
    case Kind::Struct: read_struct(r, *t.st, v); return;
    case Kind::List: case Kind::Set: read_seq(r, t, v); return;
    case Kind::Map: read_map(r, t, v); return;
  }
}

// ---- sizing and checking -------------------------------------------------------------------

constexpr std::size_t kBad = std::size_t{1} << 60;  // "does not fit the schema"
constexpr std::size_t kWireMax = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

const char* article(Tag t) {
  switch (t) {
    case Tag::Null: return "no value";
    case Tag::Bool: return "a bool";
    case Tag::Int: return "an integer";
    case Tag::Double: return "a double";
    case Tag::Bytes: return "a string";
    case Tag::Uuid: return "a uuid";
    case Tag::List: return "a list";
    case Tag::Map: return "a map";
    case Tag::Struct: return "a struct";
  }
  return "?";
}

Tag expected_tag(const TypeNode& t) {
  switch (t.kind) {
    case Kind::Bool: return Tag::Bool;
    case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum: return Tag::Int;
    case Kind::Double: return Tag::Double;
    case Kind::String: case Kind::Binary: return Tag::Bytes;
    case Kind::Uuid: return Tag::Uuid;
    case Kind::List: case Kind::Set: return Tag::List;
    case Kind::Map: return Tag::Map;
    case Kind::Struct: return Tag::Struct;
  }
  return Tag::Null;
}

bool int_fits(Kind k, std::int64_t i) {
  switch (k) {
    case Kind::Bool: return i == 0 || i == 1;
    case Kind::I8: return i >= INT8_MIN && i <= INT8_MAX;
    case Kind::I16: return i >= INT16_MIN && i <= INT16_MAX;
    case Kind::I32: case Kind::Enum: return i >= INT32_MIN && i <= INT32_MAX;
    default: return true;
  }
}

// The checker: with `st`, the first problem is reported there (its path is built while
// the recursion unwinds); without, a problem just makes the size kBad.
struct Sizer {
  Status* st;

  std::size_t fail(ErrorKind kind, std::string msg) {
    if (st && !*st) {
      st->kind = kind;
      st->message = std::move(msg);
    }
    return kBad;
  }
  void prefix(const std::string& seg) {
    if (st && *st) st->message.insert(0, seg);
  }

  std::size_t value(const TypeNode& t, const Value& v) {
    Tag want = expected_tag(t);
    if (v.tag != want)
      return fail(ErrorKind::type_mismatch, ": expected " + std::string(article(want)) + " (" + t.name + "), got " + article(v.tag));
    switch (t.kind) {
      case Kind::Bool: return 1;
      case Kind::I8: return v.i >= INT8_MIN && v.i <= INT8_MAX ? 1 : range(t, v.i);
      case Kind::I16: return v.i >= INT16_MIN && v.i <= INT16_MAX ? 2 : range(t, v.i);
      case Kind::I32: case Kind::Enum: return v.i >= INT32_MIN && v.i <= INT32_MAX ? 4 : range(t, v.i);
      case Kind::I64: case Kind::Double: return 8;
      case Kind::String: case Kind::Binary:
        if (v.bytes.size() > kWireMax) return fail(ErrorKind::value_too_large, ": string longer than 2^31-1 bytes");
        return 4 + v.bytes.size();
      case Kind::Uuid:
        if (v.bytes.size() != 16) return fail(ErrorKind::type_mismatch, ": a uuid is 16 bytes, got " + std::to_string(v.bytes.size()));
        return 16;
      case Kind::Struct: return structure(*t.st, v);
      case Kind::List: case Kind::Set: return seq(t, v);
      case Kind::Map: return map(t, v);
    }
    return kBad;
  }
  std::size_t range(const TypeNode& t, std::int64_t i) {
    return fail(ErrorKind::type_mismatch, ": " + std::to_string(i) + " does not fit in " + t.name);
  }
  std::size_t seq(const TypeNode& t, const Value& v) {
    const TypeNode& e = *t.elem;
    if (t.int_elements()) {
      if (v.ints.size() > kWireMax) return fail(ErrorKind::value_too_large, ": more than 2^31-1 elements");
      if (!v.items.empty() || !v.reals.empty()) return fail(ErrorKind::type_mismatch, ": elements of " + t.name + " belong in Value::ints");
      if (e.kind != Kind::I64)
        for (std::size_t k = 0; k < v.ints.size(); ++k)
          if (!int_fits(e.kind, v.ints[k])) {
            fail(ErrorKind::type_mismatch, ": " + std::to_string(v.ints[k]) + " does not fit in " + e.name);
            prefix("[" + std::to_string(k) + "]");
            return kBad;
          }
      return 5 + v.ints.size() * fixed_wire_size(e.wire);
    }
    if (t.real_elements()) {
      if (v.reals.size() > kWireMax) return fail(ErrorKind::value_too_large, ": more than 2^31-1 elements");
      if (!v.items.empty() || !v.ints.empty()) return fail(ErrorKind::type_mismatch, ": elements of " + t.name + " belong in Value::reals");
      return 5 + v.reals.size() * 8;
    }
    if (v.items.size() > kWireMax) return fail(ErrorKind::value_too_large, ": more than 2^31-1 elements");
    if (!v.ints.empty() || !v.reals.empty()) return fail(ErrorKind::type_mismatch, ": elements of " + t.name + " belong in Value::items");
    std::size_t n = 5;
    for (std::size_t k = 0; k < v.items.size(); ++k) {
      std::size_t s = value(e, v.items[k]);
      if (s >= kBad) {
        prefix("[" + std::to_string(k) + "]");
        return kBad;
      }
      n += s;
    }
    return n;
  }
  std::size_t map(const TypeNode& t, const Value& v) {
    if (v.items.size() % 2) return fail(ErrorKind::type_mismatch, ": a map Value holds key, value pairs (odd item count)");
    if (v.items.size() / 2 > kWireMax) return fail(ErrorKind::value_too_large, ": more than 2^31-1 entries");
    std::size_t n = 6;
    for (std::size_t k = 0; k < v.items.size(); k += 2) {
      std::size_t a = value(*t.elem, v.items[k]);
      if (a >= kBad) {
        prefix("{key " + std::to_string(k / 2) + "}");
        return kBad;
      }
      std::size_t b = value(*t.value, v.items[k + 1]);
      if (b >= kBad) {
        prefix("{value " + std::to_string(k / 2) + "}");
        return kBad;
      }
      n += a + b;
    }
    return n;
  }
  std::size_t structure(const StructPlan& p, const Value& v) {
    if (v.tag != Tag::Struct) return fail(ErrorKind::type_mismatch, ": expected a struct, got " + std::string(article(v.tag)));
    if (v.items.size() != p.fields.size())
      return fail(ErrorKind::type_mismatch, ": a " + p.name + " Value has " + std::to_string(p.fields.size()) +
                                                " fields (StructPlan::make()), this one " + std::to_string(v.items.size()));
    std::size_t n = 1, set = 0;
    for (std::size_t k = 0; k < p.fields.size(); ++k) {
      const FieldPlan& f = p.fields[k];
      const Value& x = v.items[k];
      if (x.tag == Tag::Null) {
        if (f.req == idl::Requiredness::Required) {
          fail(ErrorKind::missing_required_field, ": required field not set");
          prefix("." + f.name);
          return kBad;
        }
        continue;
      }
      std::size_t s = value(*f.type, x);
      if (s >= kBad) {
        prefix("." + f.name);
        return kBad;
      }
      n += 3 + s;
      ++set;
    }
    if (p.kind == idl::Struct::Kind::Union && set > 1)
      return fail(ErrorKind::invalid_union, ": union " + p.name + " has " + std::to_string(set) + " fields set (one at most)");
    return n;
  }
};

Status finish(Status st, std::string_view root) {
  if (st) st.message.insert(0, root);
  return st;
}

// ---- storing -------------------------------------------------------------------------------

std::byte* put_value(std::byte* p, const TypeNode& t, const Value& v) noexcept;

std::byte* put_struct(std::byte* p, const StructPlan& s, const Value& v) noexcept {
  const std::size_t n = s.fields.size();
  for (std::size_t k = 0; k < n; ++k) {
    const Value& x = v.items[k];
    if (x.tag == Tag::Null) continue;
    const FieldPlan& f = s.fields[k];
    p = raw::put_field_header(p, f.type->wire, f.id);
    p = put_value(p, *f.type, x);
  }
  return raw::put_stop(p);
}

std::byte* put_value(std::byte* p, const TypeNode& t, const Value& v) noexcept {
  switch (t.kind) {
    case Kind::Bool: return raw::put_bool(p, v.b);
    case Kind::I8: return raw::put(p, static_cast<std::int8_t>(v.i));
    case Kind::I16: return raw::put(p, static_cast<std::int16_t>(v.i));
    case Kind::I32: case Kind::Enum: return raw::put(p, static_cast<std::int32_t>(v.i));
    case Kind::I64: return raw::put(p, v.i);
    case Kind::Double: return raw::put(p, v.d);
    case Kind::String: case Kind::Binary: return raw::put_binary(p, v.bytes.data(), v.bytes.size());
    case Kind::Uuid: std::memcpy(p, v.bytes.data(), 16); return p + 16;
    case Kind::Struct: return put_struct(p, *t.st, v);
    case Kind::List: case Kind::Set: {
      const TypeNode& e = *t.elem;
      if (t.int_elements()) {
        p = raw::put_list_header(p, e.wire, v.ints.size());
        switch (e.kind) {
          case Kind::Bool: for (std::int64_t x : v.ints) p = raw::put_bool(p, x != 0); break;
          case Kind::I8: for (std::int64_t x : v.ints) p = raw::put(p, static_cast<std::int8_t>(x)); break;
          case Kind::I16: for (std::int64_t x : v.ints) p = raw::put(p, static_cast<std::int16_t>(x)); break;
          case Kind::I64: p = raw::put_array(p, v.ints.data(), v.ints.size()); break;
          default: for (std::int64_t x : v.ints) p = raw::put(p, static_cast<std::int32_t>(x)); break;
        }
        return p;
      }
      if (t.real_elements()) {
        p = raw::put_list_header(p, e.wire, v.reals.size());
        return raw::put_array(p, v.reals.data(), v.reals.size());
      }
      p = raw::put_list_header(p, e.wire, v.items.size());
      for (const Value& x : v.items) p = put_value(p, e, x);
      return p;
    }
    case Kind::Map: {
      p = raw::put_map_header(p, t.elem->wire, t.value->wire, v.items.size() / 2);
      for (std::size_t k = 0; k + 1 < v.items.size(); k += 2) {
        p = put_value(p, *t.elem, v.items[k]);
        p = put_value(p, *t.value, v.items[k + 1]);
      }
      return p;
    }
  }
  return p;
}

// ---- the one-pass encoder -------------------------------------------------------------------
// Checks and writes in one walk; on any problem it returns false and the caller rewinds the
// writer and runs the Sizer for a message with the path.

inline void put_header(BinaryWriter& w, TType t, std::int16_t id) {
  std::byte* p = w.prepare(3);
  raw::put_field_header(p, t, id);
  w.commit(3);
}

template <class T>
inline void put_scalar(BinaryWriter& w, T x) {
  std::byte* p = w.prepare(sizeof(T));
  raw::put(p, x);
  w.commit(sizeof(T));
}

bool write_value(BinaryWriter& w, const TypeNode& t, const Value& v);

bool write_struct(BinaryWriter& w, const StructPlan& s, const Value& v) {
  const std::size_t n = s.fields.size();
  if (v.tag != Tag::Struct || v.items.size() != n) return false;
  std::size_t set = 0;
  const StructPlan::Op* ops = s.ops.data();
  const Value* items = v.items.data();
  for (std::size_t k = 0; k < n; ++k) {
    const Value& x = items[k];
    const StructPlan::Op& f = ops[k];
    if (x.tag == Tag::Null) {
      if (f.required) return false;
      continue;
    }
    ++set;
    switch (f.kind) {  // fixed-size values: header and value with one bounds check
      case Kind::Bool: {
        if (x.tag != Tag::Bool) return false;
        std::byte* p = w.prepare(4);
        raw::put_bool(raw::put_field_header(p, f.wire, f.id), x.b);
        w.commit(4);
        continue;
      }
      case Kind::I8: {
        if (x.tag != Tag::Int || x.i < INT8_MIN || x.i > INT8_MAX) return false;
        std::byte* p = w.prepare(4);
        raw::put(raw::put_field_header(p, f.wire, f.id), static_cast<std::int8_t>(x.i));
        w.commit(4);
        continue;
      }
      case Kind::I16: {
        if (x.tag != Tag::Int || x.i < INT16_MIN || x.i > INT16_MAX) return false;
        std::byte* p = w.prepare(5);
        raw::put(raw::put_field_header(p, f.wire, f.id), static_cast<std::int16_t>(x.i));
        w.commit(5);
        continue;
      }
      case Kind::I32: case Kind::Enum: {
        if (x.tag != Tag::Int || x.i < INT32_MIN || x.i > INT32_MAX) return false;
        std::byte* p = w.prepare(7);
        raw::put(raw::put_field_header(p, f.wire, f.id), static_cast<std::int32_t>(x.i));
        w.commit(7);
        continue;
      }
      case Kind::I64: {
        if (x.tag != Tag::Int) return false;
        std::byte* p = w.prepare(11);
        raw::put(raw::put_field_header(p, f.wire, f.id), x.i);
        w.commit(11);
        continue;
      }
      case Kind::Double: {
        if (x.tag != Tag::Double) return false;
        std::byte* p = w.prepare(11);
        raw::put(raw::put_field_header(p, f.wire, f.id), x.d);
        w.commit(11);
        continue;
      }
      case Kind::String: case Kind::Binary: {
        if (x.tag != Tag::Bytes || x.bytes.size() > kWireMax) return false;
        std::byte* p = w.prepare(7 + x.bytes.size());
        raw::put_binary(raw::put_field_header(p, f.wire, f.id), x.bytes.data(), x.bytes.size());
        w.commit(7 + x.bytes.size());
        continue;
      }
      default:
        put_header(w, f.wire, f.id);
        if (!write_value(w, *f.type, x)) return false;
    }
  }
  if (s.kind == idl::Struct::Kind::Union && set > 1) return false;
  std::byte* p = w.prepare(1);
  raw::put_stop(p);
  w.commit(1);
  return true;
}

bool write_value(BinaryWriter& w, const TypeNode& t, const Value& v) {
  if (v.tag != expected_tag(t)) return false;
  switch (t.kind) {
    case Kind::Bool: put_scalar(w, static_cast<std::uint8_t>(v.b ? 1 : 0)); return true;
    case Kind::I8:
      if (v.i < INT8_MIN || v.i > INT8_MAX) return false;
      put_scalar(w, static_cast<std::int8_t>(v.i));
      return true;
    case Kind::I16:
      if (v.i < INT16_MIN || v.i > INT16_MAX) return false;
      put_scalar(w, static_cast<std::int16_t>(v.i));
      return true;
    case Kind::I32: case Kind::Enum:
      if (v.i < INT32_MIN || v.i > INT32_MAX) return false;
      put_scalar(w, static_cast<std::int32_t>(v.i));
      return true;
    case Kind::I64: put_scalar(w, v.i); return true;
    case Kind::Double: put_scalar(w, v.d); return true;
    case Kind::String: case Kind::Binary: {
      if (v.bytes.size() > kWireMax) return false;
      std::byte* p = w.prepare(4 + v.bytes.size());
      raw::put_binary(p, v.bytes.data(), v.bytes.size());
      w.commit(4 + v.bytes.size());
      return true;
    }
    case Kind::Uuid: {
      if (v.bytes.size() != 16) return false;
      std::byte* p = w.prepare(16);
      std::memcpy(p, v.bytes.data(), 16);
      w.commit(16);
      return true;
    }
    case Kind::Struct: return write_struct(w, *t.st, v);
    case Kind::List: case Kind::Set: {
      const TypeNode& e = *t.elem;
      if (t.int_elements()) {
        if (!v.items.empty() || !v.reals.empty() || v.ints.size() > kWireMax) return false;
        const std::size_t n = v.ints.size(), each = fixed_wire_size(e.wire);
        std::byte* p = w.prepare(5 + n * each);
        std::byte* q = raw::put_list_header(p, e.wire, n);
        switch (e.kind) {
          case Kind::I64: q = raw::put_array(q, v.ints.data(), n); break;
          case Kind::Bool:
            for (std::int64_t x : v.ints) {
              if (x != 0 && x != 1) return false;
              q = raw::put_bool(q, x != 0);
            }
            break;
          case Kind::I8:
            for (std::int64_t x : v.ints) {
              if (x < INT8_MIN || x > INT8_MAX) return false;
              q = raw::put(q, static_cast<std::int8_t>(x));
            }
            break;
          case Kind::I16:
            for (std::int64_t x : v.ints) {
              if (x < INT16_MIN || x > INT16_MAX) return false;
              q = raw::put(q, static_cast<std::int16_t>(x));
            }
            break;
          default:
            for (std::int64_t x : v.ints) {
              if (x < INT32_MIN || x > INT32_MAX) return false;
              q = raw::put(q, static_cast<std::int32_t>(x));
            }
            break;
        }
        w.commit(static_cast<std::size_t>(q - p));
        return true;
      }
      if (t.real_elements()) {
        if (!v.items.empty() || !v.ints.empty() || v.reals.size() > kWireMax) return false;
        std::byte* p = w.prepare(5 + v.reals.size() * 8);
        std::byte* q = raw::put_array(raw::put_list_header(p, e.wire, v.reals.size()), v.reals.data(), v.reals.size());
        w.commit(static_cast<std::size_t>(q - p));
        return true;
      }
      if (!v.ints.empty() || !v.reals.empty() || v.items.size() > kWireMax) return false;
      std::byte* p = w.prepare(5);
      raw::put_list_header(p, e.wire, v.items.size());
      w.commit(5);
      for (const Value& x : v.items)
        if (!write_value(w, e, x)) return false;
      return true;
    }
    case Kind::Map: {
      if (v.items.size() % 2 || v.items.size() / 2 > kWireMax) return false;
      std::byte* p = w.prepare(6);
      raw::put_map_header(p, t.elem->wire, t.value->wire, v.items.size() / 2);
      w.commit(6);
      for (std::size_t k = 0; k < v.items.size(); k += 2)
        if (!write_value(w, *t.elem, v.items[k]) || !write_value(w, *t.value, v.items[k + 1])) return false;
      return true;
    }
  }
  return false;
}

/// Encode in one pass; on failure take the bytes back and ask the Sizer what was wrong.
template <class Plan, class Write, class Check>
Status encode_one_pass(BinaryWriter& w, const Plan& plan, const Value& v, Write write, Check check) {
  const std::size_t start = w.size();
  if (write(w, plan, v)) [[likely]] {
    if (w.size() - start <= kWireMax) return {};
    w.rewind(start);
    Status st;
    st.kind = ErrorKind::value_too_large;
    st.message = "encoded size " + std::to_string(w.size() - start) + " is more than 2^31-1 bytes";
    return st;
  }
  w.rewind(start);
  Status st = check(plan, v);
  if (!st) {  // (cannot happen: the checker and the writer agree on what is valid)
    st.kind = ErrorKind::type_mismatch;
    st.message = "value does not fit the schema";
  }
  return st;
}

}  // namespace

void read(BinaryReader& r, const StructPlan& p, Value& v) { read_struct(r, p, v); }
void read(BinaryReader& r, const TypeNode& t, Value& v) { read_value(r, t, v); }

Error decode(std::span<const std::byte> bytes, const StructPlan& p, Value& v, const ReaderOptions& options) {
  BinaryReader r(bytes, options);
  read_struct(r, p, v);
  if (r.ok() && r.remaining() != 0)
    r.fail(ErrorKind::trailing_data, "bytes after the value", static_cast<std::int64_t>(r.remaining()));
  return r.error();
}

Status check(const StructPlan& p, const Value& v) {
  Status st;
  Sizer{&st}.structure(p, v);
  return finish(std::move(st), p.name);
}
Status check(const TypeNode& t, const Value& v) {
  Status st;
  Sizer{&st}.value(t, v);
  return finish(std::move(st), "value");
}

std::size_t encoded_size(const StructPlan& p, const Value& v) noexcept { return Sizer{nullptr}.structure(p, v); }
std::size_t encoded_size(const TypeNode& t, const Value& v) noexcept { return Sizer{nullptr}.value(t, v); }

std::byte* put(std::byte* out, const StructPlan& p, const Value& v) noexcept { return put_struct(out, p, v); }
std::byte* put(std::byte* out, const TypeNode& t, const Value& v) noexcept { return put_value(out, t, v); }

Status encode(BinaryWriter& w, const StructPlan& p, const Value& v) {
  return encode_one_pass(w, p, v, write_struct, [](const StructPlan& plan, const Value& x) { return check(plan, x); });
}
Status encode(BinaryWriter& w, const TypeNode& t, const Value& v) {
  return encode_one_pass(w, t, v, write_value, [](const TypeNode& type, const Value& x) { return check(type, x); });
}

}  // namespace corothrift::dynamic
