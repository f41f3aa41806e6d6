// JSON conversion of dynamic values (json.hpp).
#include "corothrift/dynamic/json.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

namespace corothrift::dynamic {

using Tag = Value::Tag;

// ---- helpers -------------------------------------------------------------------------------

std::string base64_encode(std::string_view in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += a[n >> 18], out += a[(n >> 12) & 63], out += a[(n >> 6) & 63], out += a[n & 63];
  }
  if (i + 1 == in.size()) {
    unsigned n = (unsigned char)in[i] << 16;
    out += a[n >> 18], out += a[(n >> 12) & 63], out += "==";
  } else if (i + 2 == in.size()) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += a[n >> 18], out += a[(n >> 12) & 63], out += a[(n >> 6) & 63], out += '=';
  }
  return out;
}

bool base64_decode(std::string_view in, std::string& out) {
  out.clear();
  unsigned acc = 0;
  int bits = 0;
  std::size_t pad = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') { ++pad; continue; }
    else return false;
    if (pad) return false;  // data after padding
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (bits >= 6 || pad > 2) return false;  // a lone 6-bit group cannot end base64
  return true;
}

std::string uuid_text(std::string_view b) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size() && i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[(unsigned char)b[i] >> 4];
    out += hex[(unsigned char)b[i] & 15];
  }
  return out;
}

bool is_utf8(std::string_view s) noexcept {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    int len;
    std::uint32_t cp;
    if ((c & 0xe0) == 0xc0) len = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) len = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) len = 4, cp = c & 0x07;
    else return false;
    if (i + static_cast<std::size_t>(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += static_cast<std::size_t>(len);
  }
  return true;
}

namespace {

Json text_json(const std::string& s) {
  if (is_utf8(s)) return s;
  Json o = Json::object();
  o["base64"] = base64_encode(s);
  return o;
}

Json double_json(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

const char* enum_name(const idl::Enum* e, std::int64_t v) {
  for (const idl::EnumValue& ev : e->values)
    if (ev.value == v) return ev.name.c_str();
  return nullptr;
}

Json scalar_int_json(const TypeNode& t, std::int64_t i) {
  if (t.kind == Kind::Bool) return i != 0;
  if (t.kind == Kind::Enum)
    if (const char* n = enum_name(t.en, i)) return n;
  return i;
}

/// A map key as an object key, or nothing when the key type has no string form.
bool key_text(const TypeNode& k, const Value& v, std::string& out) {
  switch (k.kind) {
    case Kind::String:
      if (!is_utf8(v.bytes)) return false;
      out = v.bytes;
      return true;
    case Kind::Binary: out = base64_encode(v.bytes); return true;
    case Kind::Enum:
      if (const char* n = enum_name(k.en, v.i)) out = n;
      else out = std::to_string(v.i);
      return true;
    case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: out = std::to_string(v.i); return true;
    case Kind::Bool: out = v.b ? "true" : "false"; return true;
    default: return false;
  }
}

}  // namespace

Json to_json(const TypeNode& t, const Value& v) {
  switch (t.kind) {
    case Kind::Bool: return v.b;
    case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: return v.i;
    case Kind::Enum: return scalar_int_json(t, v.i);
    case Kind::Double: return double_json(v.d);
    case Kind::String: return text_json(v.bytes);
    case Kind::Binary: return base64_encode(v.bytes);
    case Kind::Uuid: return uuid_text(v.bytes);
    case Kind::Struct: return to_json(*t.st, v);
    case Kind::List: case Kind::Set: {
      Json a = Json::array();
      if (t.int_elements()) for (std::int64_t x : v.ints) a.push_back(scalar_int_json(*t.elem, x));
      else if (t.real_elements()) for (double x : v.reals) a.push_back(double_json(x));
      else for (const Value& x : v.items) a.push_back(to_json(*t.elem, x));
      return a;
    }
    case Kind::Map: {
      Json o = Json::object();
      std::set<std::string> keys;
      bool as_object = true;
      std::string k;
      for (std::size_t i = 0; i + 1 < v.items.size() && as_object; i += 2)
        as_object = key_text(*t.elem, v.items[i], k) && keys.insert(k).second;
      if (as_object) {
        for (std::size_t i = 0; i + 1 < v.items.size(); i += 2) {
          key_text(*t.elem, v.items[i], k);
          o[k] = to_json(*t.value, v.items[i + 1]);
        }
        return o;
      }
      Json a = Json::array();
      for (std::size_t i = 0; i + 1 < v.items.size(); i += 2)
        a.push_back(Json::array({to_json(*t.elem, v.items[i]), to_json(*t.value, v.items[i + 1])}));
      return a;
    }
  }
  return nullptr;
}

Json to_json(const StructPlan& p, const Value& v) {
  Json o = Json::object();
  for (std::size_t k = 0; k < p.fields.size() && k < v.items.size(); ++k) {
    if (v.items[k].tag != Tag::Null) o[p.fields[k].name] = to_json(*p.fields[k].type, v.items[k]);
    // unset although a fresh struct has it set (an optional field with a default): left
    // out, from_json would give it that default
    else if (p.fields[k].initial.tag != Tag::Null) o[p.fields[k].name] = nullptr;
  }
  return o;
}

// ---- from JSON -----------------------------------------------------------------------------

namespace {

std::string kind_of(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a bool";
    case Json::value_t::number_integer: case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number with a fraction";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "something else";
  }
}

struct Reader {
  std::string path = "$";

  [[noreturn]] void fail(const std::string& problem) { throw JsonError(path, problem); }
  [[noreturn]] void expected(const TypeNode& t, const std::string& what, const Json& j) {
    std::string got = kind_of(j);
    if (j.is_string() || j.is_number() || j.is_boolean()) got += " (" + j.dump() + ")";
    fail("expected " + what + " (" + t.name + "), got " + got);
  }

  std::int64_t integer(const TypeNode& t, const Json& j) {
    std::int64_t i = 0;
    if (j.is_number_integer()) {
      i = j.get<std::int64_t>();
      if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        fail(j.dump() + " does not fit in " + t.name);
    } else if (j.is_number_float() && std::floor(j.get<double>()) == j.get<double>() && std::fabs(j.get<double>()) < 9e15) {
      i = static_cast<std::int64_t>(j.get<double>());
    } else if (j.is_string() && t.kind == Kind::I64) {  // i64 as a string of digits (JavaScript's limit)
      const std::string& s = j.get_ref<const std::string&>();
      char* end = nullptr;
      errno = 0;
      long long x = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end) expected(t, "an integer", j);
      if (errno == ERANGE) fail(s + " does not fit in " + t.name);
      i = x;
    } else {
      expected(t, "an integer", j);
    }
    std::int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (t.kind == Kind::I8) lo = INT8_MIN, hi = INT8_MAX;
    if (t.kind == Kind::I16) lo = INT16_MIN, hi = INT16_MAX;
    if (t.kind == Kind::I32 || t.kind == Kind::Enum) lo = INT32_MIN, hi = INT32_MAX;
    if (i < lo || i > hi) fail(std::to_string(i) + " does not fit in " + t.name);
    return i;
  }

  std::int64_t enumeration(const TypeNode& t, const Json& j) {
    if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      std::string last = s.substr(s.rfind('.') + 1);  // "Color.RED" too
      for (const idl::EnumValue& ev : t.en->values)
        if (ev.name == last) return ev.value;
      std::string names;
      for (const idl::EnumValue& ev : t.en->values) names += (names.empty() ? "" : ", ") + ev.name;
      fail("'" + s + "' is not a value of enum " + t.name + " (" + names + ")");
    }
    return integer(t, j);
  }

  std::int64_t int_like(const TypeNode& t, const Json& j) {
    if (t.kind == Kind::Bool) {
      if (!j.is_boolean()) expected(t, "true or false", j);
      return j.get<bool>();
    }
    if (t.kind == Kind::Enum) return enumeration(t, j);
    return integer(t, j);
  }

  double real(const TypeNode& t, const Json& j) {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    }
    expected(t, "a number", j);
  }

  void bytes(const TypeNode& t, const Json& j, std::string& out) {
    if (j.is_object() && j.size() == 1 && j.contains("base64") && j["base64"].is_string()) {
      if (!base64_decode(j["base64"].get_ref<const std::string&>(), out)) fail("invalid base64");
      return;
    }
    if (!j.is_string()) expected(t, t.kind == Kind::Binary ? "a base64 string" : "a string", j);
    if (t.kind == Kind::Binary) {
      if (!base64_decode(j.get_ref<const std::string&>(), out)) fail("invalid base64 in a binary value");
      return;
    }
    out = j.get_ref<const std::string&>();
  }

  void uuid(const TypeNode& t, const Json& j, std::string& out) {
    if (!j.is_string()) expected(t, "a uuid string", j);
    const std::string& s = j.get_ref<const std::string&>();
    std::string hex;
    for (char c : s)
      if (c != '-') hex += c;
    out.clear();
    if (hex.size() != 32) fail("'" + s + "' is not a uuid (32 hex digits, dashes optional)");
    for (std::size_t i = 0; i < 32; i += 2) {
      char* end = nullptr;
      std::string two = hex.substr(i, 2);
      long v = std::strtol(two.c_str(), &end, 16);
      if (*end || !std::isxdigit(static_cast<unsigned char>(two[0]))) fail("'" + s + "' is not a uuid (32 hex digits, dashes optional)");
      out += static_cast<char>(v);
    }
  }

  Value key(const TypeNode& t, const std::string& text) {
    switch (t.kind) {
      case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: {
        char* end = nullptr;
        errno = 0;
        long long x = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end || errno) fail("map key '" + text + "' is not an integer (" + t.name + ")");
        return value(t, Json(x));
      }
      case Kind::Bool:
        if (text == "true" || text == "false") return Value::boolean(text == "true");
        fail("map key '" + text + "' is not true or false");
      case Kind::Enum: {
        char* end = nullptr;
        long long x = std::strtoll(text.c_str(), &end, 10);
        if (!text.empty() && !*end) return value(t, Json(x));
        return value(t, Json(text));
      }
      case Kind::String: case Kind::Binary: case Kind::Uuid: return value(t, Json(text));
      default:
        fail("the keys of a map with " + t.name + " keys cannot be JSON object keys: give the map as [[key, value], ...]");
    }
  }

  Value value(const TypeNode& t, const Json& j) {
    Value v;
    switch (t.kind) {
      case Kind::Bool: v.tag = Tag::Bool; v.b = int_like(t, j) != 0; return v;
      case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum:
        v.tag = Tag::Int;
        v.i = int_like(t, j);
        return v;
      case Kind::Double: v.tag = Tag::Double; v.d = real(t, j); return v;
      case Kind::String: case Kind::Binary: v.tag = Tag::Bytes; bytes(t, j, v.bytes); return v;
      case Kind::Uuid: v.tag = Tag::Uuid; uuid(t, j, v.bytes); return v;
      case Kind::Struct: return structure(*t.st, j);
      case Kind::List: case Kind::Set: {
        if (!j.is_array()) expected(t, "an array", j);
        v.tag = Tag::List;
        std::size_t base = path.size();
        for (std::size_t i = 0; i < j.size(); ++i) {
          path += "[" + std::to_string(i) + "]";
          if (t.int_elements()) v.ints.push_back(int_like(*t.elem, j[i]));
          else if (t.real_elements()) v.reals.push_back(real(*t.elem, j[i]));
          else v.items.push_back(value(*t.elem, j[i]));
          path.resize(base);
        }
        return v;
      }
      case Kind::Map: {
        v.tag = Tag::Map;
        std::size_t base = path.size();
        if (j.is_object()) {
          for (auto it = j.begin(); it != j.end(); ++it) {
            path += "[" + Json(it.key()).dump() + "]";
            v.items.push_back(key(*t.elem, it.key()));
            v.items.push_back(value(*t.value, it.value()));
            path.resize(base);
          }
          return v;
        }
        if (!j.is_array()) expected(t, "an object or an array of [key, value] pairs", j);
        for (std::size_t i = 0; i < j.size(); ++i) {
          path += "[" + std::to_string(i) + "]";
          if (!j[i].is_array() || j[i].size() != 2)
            fail("expected a [key, value] pair, got " + (j[i].is_array() ? "an array of " + std::to_string(j[i].size()) : kind_of(j[i])));
          path += "[0]";
          v.items.push_back(value(*t.elem, j[i][0]));
          path.resize(path.size() - 3);
          path += "[1]";
          v.items.push_back(value(*t.value, j[i][1]));
          path.resize(base);
        }
        return v;
      }
    }
    return v;
  }

  Value structure(const StructPlan& p, const Json& j) {
    if (!j.is_object()) fail("expected an object (" + p.name + "), got " + kind_of(j));
    Value v = p.make();
    std::vector<bool> given(p.fields.size());
    std::size_t base = path.size();
    for (auto it = j.begin(); it != j.end(); ++it) {
      int k = p.find(std::string_view(it.key()));
      if (k < 0) {
        std::string names;
        for (const FieldPlan& f : p.fields) names += (names.empty() ? "" : ", ") + f.name;
        fail(p.name + " has no field '" + it.key() + "'" + (names.empty() ? std::string(" (it has none)") : " (fields: " + names + ")"));
      }
      std::size_t i = static_cast<std::size_t>(k);
      given[i] = true;
      path += "." + it.key();
      if (it.value().is_null()) v.items[i].clear();
      else v.items[i] = value(*p.fields[i].type, it.value());
      path.resize(base);
    }
    std::size_t set = 0;
    for (std::size_t i = 0; i < p.fields.size(); ++i) {
      if (p.fields[i].req == idl::Requiredness::Required && (!given[i] || v.items[i].tag == Tag::Null))
        fail("missing required field '" + p.fields[i].name + "' of " + p.name);
      set += v.items[i].tag != Tag::Null;
    }
    if (p.kind == idl::Struct::Kind::Union && set > 1)
      fail("union " + p.name + " sets " + std::to_string(set) + " fields; it holds one");
    return v;
  }
};

}  // namespace

Value from_json(const StructPlan& p, const Json& j) { return Reader{}.structure(p, j); }
Value from_json(const TypeNode& t, const Json& j) { return Reader{}.value(t, j); }

// ---- schema-less ---------------------------------------------------------------------------

namespace {
/// Bytes of max_decoded_size charged per JSON value the raw view builds (measured: an empty
/// list element as {"elem": ..., "values": []} takes about 270 bytes of heap).
constexpr std::size_t kRawElement = 320;
}  // namespace

Json raw_value(BinaryReader& r, TType t) {
  switch (t) {
    case TType::Bool: return r.read_bool();
    case TType::Byte: return r.read_byte();
    case TType::I16: return r.read_i16();
    case TType::I32: return r.read_i32();
    case TType::I64: return r.read_i64();
    case TType::Double: return double_json(r.read_double());
    case TType::String: return text_json(std::string(r.read_string_view()));
    case TType::Uuid: {
      Uuid u = r.read_uuid();
      return uuid_text(std::string_view(reinterpret_cast<const char*>(u.bytes.data()), 16));
    }
    case TType::Struct: return raw_struct(r);
    case TType::List: case TType::Set: {
      Json o = Json::object();
      if (!r.enter()) return o;
      ListHeader h = t == TType::List ? r.read_list_begin() : r.read_set_begin();
      // (a JSON value is far bigger than its wire bytes: counted against max_decoded_size,
      // about what nlohmann::ordered_json takes for one element with its keys)
      if (!r.charge(static_cast<std::size_t>(h.size) * kRawElement, "list elements")) h.size = 0;
      o["elem"] = type_name(h.elem);
      Json a = Json::array();
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) a.push_back(raw_value(r, h.elem));
      o["values"] = std::move(a);
      r.leave();
      return o;
    }
    case TType::Map: {
      Json o = Json::object();
      if (!r.enter()) return o;
      MapHeader h = r.read_map_begin();
      if (!r.charge(static_cast<std::size_t>(h.size) * 2 * kRawElement, "map entries")) h.size = 0;
      o["key"] = type_name(h.key);
      o["value"] = type_name(h.value);
      Json a = Json::array();
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
        Json k = raw_value(r, h.key);
        Json v = raw_value(r, h.value);
        a.push_back(Json::array({std::move(k), std::move(v)}));
      }
      o["entries"] = std::move(a);
      r.leave();
      return o;
    }
    default:
      r.fail(ErrorKind::invalid_type, "value type", static_cast<std::int64_t>(t));
      return nullptr;
  }
}

Json raw_struct(BinaryReader& r) {
  Json a = Json::array();
  if (!r.enter()) return a;
  for (;;) {
    FieldHeader h = r.read_field_begin();
    if (h.type == TType::Stop) break;
    if (!r.charge(kRawElement, "struct fields")) break;
    Json f = Json::object();
    f["id"] = h.id;
    f["type"] = type_name(h.type);
    f["value"] = raw_value(r, h.type);
    a.push_back(std::move(f));
  }
  r.leave();
  return a;
}

}  // namespace corothrift::dynamic
