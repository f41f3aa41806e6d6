// corothrift/protocol/codec.hpp — Codec<T>: how a C++ type maps to the binary protocol,
// for base types, enums and standard containers; generated code adds structs.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "corothrift/protocol/binary_reader.hpp"
#include "corothrift/protocol/binary_writer.hpp"
#include "corothrift/protocol/raw_writer.hpp"
#include "corothrift/protocol/result.hpp"

namespace corothrift {

/// Codec<T> describes one C++ type on the wire:
///   static constexpr TType type;                         // its wire type id
///   static std::size_t size(const T&);                   // exact encoded size in bytes
///   static std::byte* put(std::byte* out, const T&);     // store size() bytes, unchecked
///   static void read(BinaryReader&, T&);                 // errors go to the reader
/// and, for fixed-size types, `static constexpr std::size_t fixed_size` and
/// `static T get(const std::byte*)` (load a value whose bytes are known to be there).
/// Encoding sizes the value once, reserves once and stores through a raw cursor (see
/// encode()); decoding checks every declared size before anything is allocated.
/// corothrift-gen emits a specialization for every struct, union and exception.
template <class T>
struct Codec;

/// A type that has a Codec.
template <class T>
concept Encodable = requires(std::byte* p, BinaryReader& r, const T& c, T& m) {
  { Codec<T>::type } -> std::convertible_to<TType>;
  { Codec<T>::size(c) } -> std::convertible_to<std::size_t>;
  { Codec<T>::put(p, c) } -> std::same_as<std::byte*>;
  Codec<T>::read(r, m);
};

namespace detail {
template <class T>
concept has_fixed_size = requires { Codec<T>::fixed_size; };

/// Element types whose vectors are copied in one byte-swapping pass.
template <class T>
concept bulk_scalar = std::is_same_v<T, std::int16_t> || std::is_same_v<T, std::int32_t> ||
                      std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>;

template <class T, TType Type>
struct ScalarCodec {
  static constexpr TType type = Type;
  static constexpr std::size_t fixed_size = sizeof(T);
  static constexpr std::size_t size(T) noexcept { return sizeof(T); }
  static std::byte* put(std::byte* p, T v) noexcept { return raw::put(p, v); }
  static T get(const std::byte* p) noexcept { return detail::load_be<T>(p); }
  static void read(BinaryReader& r, T& v) noexcept { v = r.read_scalar<T>(); }
};

template <class T>
std::size_t elements_size(const T& c) {
  using E = typename T::value_type;
  if constexpr (has_fixed_size<E>) {
    return c.size() * Codec<E>::fixed_size;
  } else {
    std::size_t n = 0;
    for (const auto& e : c) n += Codec<E>::size(e);
    return n;
  }
}

template <class T>
concept set_like = requires { typename T::key_type; } && !requires { typename T::mapped_type; };
template <class T>
concept map_like = requires {
  typename T::key_type;
  typename T::mapped_type;
};
template <class T>
concept reservable = requires(T& t) { t.reserve(std::size_t{}); };
/// What one element of a node-based container costs in memory, roughly: the value plus
/// the node's links (for the allocation budget, ReaderLimits::max_decoded_size).
template <class T>
inline constexpr std::size_t node_size = sizeof(T) + 4 * sizeof(void*);
template <class T>
struct is_std_vector : std::false_type {};
template <class T, class A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};
/// Other sequence containers (std::deque, std::list, ...): what `cpp.template` names for a list.
template <class T>
concept sequence_like = requires(T& t, const typename T::value_type& e) {
  t.push_back(e);
  t.clear();
  t.begin();
} && !requires { typename T::key_type; } && !is_std_vector<T>::value && !std::is_same_v<T, std::string>;
/// Node-based containers (std::map, std::set, unordered_*) whose nodes can be taken out and
/// reused: decoding into a reused container then allocates nothing.
template <class T>
concept node_based = requires(T& t) {
  t.extract(t.begin());
  t.insert(t.end(), t.extract(t.begin()));
};

/// Store a list/set header and then each element of `c`, as elements of type E.
template <class E, class C>
std::byte* put_elements(std::byte* p, const C& c) {
  p = raw::put_list_header(p, Codec<E>::type, c.size());
  for (const auto& e : c) p = Codec<E>::put(p, e);
  return p;
}

/// Start reading a list or set of E: enter one nesting level, read the header, check the
/// element type and charge `bytes_each` per element to the allocation budget. On failure
/// the level is left again and false returned.
template <class E>
bool begin_elements(BinaryReader& r, ListHeader& h, bool is_set, std::size_t bytes_each) {
  if (!r.enter()) return false;
  std::size_t at = r.offset();
  h = is_set ? r.read_set_begin() : r.read_list_begin();
  if (!r.expect_type(h.elem, Codec<E>::type, h.size, is_set ? "set element type" : "list element type", at) ||
      !r.charge(static_cast<std::size_t>(h.size) * bytes_each, is_set ? "set elements" : "list elements")) {
    r.leave();
    return false;
  }
  return true;
}
}  // namespace detail

template <> struct Codec<std::int8_t> : detail::ScalarCodec<std::int8_t, TType::Byte> {};
template <> struct Codec<std::int16_t> : detail::ScalarCodec<std::int16_t, TType::I16> {};
template <> struct Codec<std::int32_t> : detail::ScalarCodec<std::int32_t, TType::I32> {};
template <> struct Codec<std::int64_t> : detail::ScalarCodec<std::int64_t, TType::I64> {};
template <> struct Codec<double> : detail::ScalarCodec<double, TType::Double> {};

template <>
struct Codec<bool> {
  static constexpr TType type = TType::Bool;
  static constexpr std::size_t fixed_size = 1;
  static constexpr std::size_t size(bool) noexcept { return 1; }
  static std::byte* put(std::byte* p, bool v) noexcept { return raw::put_bool(p, v); }
  static bool get(const std::byte* p) noexcept { return *p != std::byte{0}; }
  static void read(BinaryReader& r, bool& v) noexcept { v = r.read_bool(); }
};

template <>
struct Codec<Uuid> {
  static constexpr TType type = TType::Uuid;
  static constexpr std::size_t fixed_size = 16;
  static constexpr std::size_t size(const Uuid&) noexcept { return 16; }
  static std::byte* put(std::byte* p, const Uuid& v) noexcept { return raw::put_uuid(p, v); }
  static Uuid get(const std::byte* p) noexcept {
    Uuid u;
    std::memcpy(u.bytes.data(), p, 16);
    return u;
  }
  static void read(BinaryReader& r, Uuid& v) noexcept { v = r.read_uuid(); }
};

/// Enums travel as i32.
template <class E>
  requires std::is_enum_v<E>
struct Codec<E> {
  static constexpr TType type = TType::I32;
  static constexpr std::size_t fixed_size = 4;
  static constexpr std::size_t size(E) noexcept { return 4; }
  static std::byte* put(std::byte* p, E v) noexcept { return raw::put(p, static_cast<std::int32_t>(v)); }
  static E get(const std::byte* p) noexcept { return static_cast<E>(detail::load_be<std::int32_t>(p)); }
  static void read(BinaryReader& r, E& v) noexcept { v = static_cast<E>(r.read_i32()); }
};

/// string and binary: copied out of the input.
template <>
struct Codec<std::string> {
  static constexpr TType type = TType::String;
  static std::size_t size(const std::string& s) noexcept { return 4 + s.size(); }
  static std::byte* put(std::byte* p, const std::string& s) noexcept { return raw::put_binary(p, s.data(), s.size()); }
  static void read(BinaryReader& r, std::string& s) { r.read_string(s); }
};

/// Zero-copy string and binary: the value views the input buffer and is valid only while
/// that buffer lives.
template <>
struct Codec<std::string_view> {
  static constexpr TType type = TType::String;
  static std::size_t size(std::string_view s) noexcept { return 4 + s.size(); }
  static std::byte* put(std::byte* p, std::string_view s) noexcept { return raw::put_binary(p, s.data(), s.size()); }
  static void read(BinaryReader& r, std::string_view& s) noexcept { s = r.read_string_view(); }
};

/// list<T>
template <class T, class A>
struct Codec<std::vector<T, A>> {
  static constexpr TType type = TType::List;
  static std::size_t size(const std::vector<T, A>& v) { return 5 + detail::elements_size(v); }
  static std::byte* put(std::byte* p, const std::vector<T, A>& v) {
    if constexpr (detail::bulk_scalar<T>) {
      p = raw::put_list_header(p, Codec<T>::type, v.size());
      return raw::put_array(p, v.data(), v.size());
    } else {
      return detail::put_elements<T>(p, v);
    }
  }
  static void read(BinaryReader& r, std::vector<T, A>& v) {
    ListHeader h;
    if (!detail::begin_elements<T>(r, h, false, sizeof(T))) return;
    v.resize(static_cast<std::size_t>(h.size));
    if constexpr (detail::bulk_scalar<T>) {
      r.read_array(v.data(), v.size());
    } else if constexpr (std::is_same_v<T, bool>) {
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = r.read_bool();
    } else {
      for (auto& e : v) Codec<T>::read(r, e);
    }
    r.leave();
  }
};

/// list<T> in another sequence container (std::deque, std::list, ...).
template <class S>
  requires detail::sequence_like<S>
struct Codec<S> {
  using E = typename S::value_type;
  static constexpr TType type = TType::List;
  static std::size_t size(const S& s) { return 5 + detail::elements_size(s); }
  static std::byte* put(std::byte* p, const S& s) { return detail::put_elements<E>(p, s); }
  static void read(BinaryReader& r, S& s) {
    ListHeader h;
    if (!detail::begin_elements<E>(r, h, false, detail::node_size<E>)) return;
    s.clear();
    for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
      s.push_back(E{});
      Codec<E>::read(r, s.back());
    }
    r.leave();
  }
};

/// set<T>: std::set, std::unordered_set and anything shaped like them.
template <class S>
  requires detail::set_like<S>
struct Codec<S> {
  using E = typename S::key_type;
  static constexpr TType type = TType::Set;
  static std::size_t size(const S& s) { return 5 + detail::elements_size(s); }
  static std::byte* put(std::byte* p, const S& s) { return detail::put_elements<E>(p, s); }
  static void read(BinaryReader& r, S& s) {
    ListHeader h;
    if (!detail::begin_elements<E>(r, h, true, detail::node_size<E>)) return;
    if constexpr (detail::node_based<S>) {
      S old;
      old.swap(s);
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
        if (!old.empty()) {  // reuse a node (and the capacity of its value)
          auto node = old.extract(old.begin());
          Codec<E>::read(r, node.value());
          s.insert(s.end(), std::move(node));
        } else {
          E e{};
          Codec<E>::read(r, e);
          s.insert(s.end(), std::move(e));
        }
      }
    } else {
      s.clear();
      if constexpr (detail::reservable<S>) s.reserve(static_cast<std::size_t>(h.size));
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
        E e{};
        Codec<E>::read(r, e);
        s.insert(s.end(), std::move(e));
      }
    }
    r.leave();
  }
};

/// map<K,V>: std::map, std::unordered_map and anything shaped like them.
template <class M>
  requires detail::map_like<M>
struct Codec<M> {
  using K = typename M::key_type;
  using V = typename M::mapped_type;
  static constexpr TType type = TType::Map;
  static std::size_t size(const M& m) {
    if constexpr (detail::has_fixed_size<K> && detail::has_fixed_size<V>) {
      return 6 + m.size() * (Codec<K>::fixed_size + Codec<V>::fixed_size);
    } else {
      std::size_t n = 6;
      for (const auto& [k, v] : m) n += Codec<K>::size(k) + Codec<V>::size(v);
      return n;
    }
  }
  static std::byte* put(std::byte* p, const M& m) {
    p = raw::put_map_header(p, Codec<K>::type, Codec<V>::type, m.size());
    for (const auto& [k, v] : m) {
      p = Codec<K>::put(p, k);
      p = Codec<V>::put(p, v);
    }
    return p;
  }
  static void read(BinaryReader& r, M& m) {
    if (!r.enter()) return;
    std::size_t at = r.offset();
    MapHeader h = r.read_map_begin();
    if (!r.expect_type(h.key, Codec<K>::type, h.size, "map key type", at) ||
        !r.expect_type(h.value, Codec<V>::type, h.size, "map value type", at + 1) ||
        !r.charge(static_cast<std::size_t>(h.size) * detail::node_size<std::pair<const K, V>>, "map entries"))
      return r.leave();
    if constexpr (detail::node_based<M>) {
      M old;
      old.swap(m);
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
        if (!old.empty()) {  // reuse a node (and the capacity of its key and value)
          auto node = old.extract(old.begin());
          Codec<K>::read(r, node.key());
          Codec<V>::read(r, node.mapped());
          auto it = m.insert(m.end(), std::move(node));
          if (!node.empty()) it->second = std::move(node.mapped());  // repeated key: the last value wins
        } else {
          K k{};
          Codec<K>::read(r, k);
          Codec<V>::read(r, m[std::move(k)]);
        }
      }
    } else {
      m.clear();
      if constexpr (detail::reservable<M>) m.reserve(static_cast<std::size_t>(h.size));
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
        K k{};
        Codec<K>::read(r, k);
        Codec<V>::read(r, m[std::move(k)]);
      }
    }
    r.leave();
  }
};

// ---- whole values --------------------------------------------------------------------------

/// Exact number of bytes `value` encodes to.
template <Encodable T>
std::size_t encoded_size(const T& value) {
  return Codec<T>::size(value);
}

/// Append `value` (no message header) to `w`: size it, reserve once, store. Returns the
/// writer's error: value_too_large when the value cannot be encoded in 2^31-1 bytes (which
/// also catches any string or container the wire cannot describe), invalid_union when it
/// holds a union with more than one field set (then nothing is written). A reused writer
/// (clear() keeps capacity) allocates nothing once warm.
namespace detail {
/// Types whose Codec can check a value before it is written (generated code gives one to
/// every union, and to every struct that holds a union somewhere).
template <class T>
concept checkable = requires(const T& v) {
  { Codec<T>::valid(v) } -> std::same_as<bool>;
};
}  // namespace detail

namespace detail {
template <class T>
concept iterable_value = requires(const T& v) {
  typename T::value_type;
  v.begin();
} && !std::is_same_v<T, std::string> && !std::is_same_v<T, std::string_view>;

/// Can a T hold something that valid_value() must look at? (Known at compile time, so
/// the check costs nothing for types without unions.)
template <class T>
constexpr bool may_be_invalid() {
  if constexpr (checkable<T>) return true;
  else if constexpr (map_like<T>) return may_be_invalid<typename T::key_type>() || may_be_invalid<typename T::mapped_type>();
  else if constexpr (iterable_value<T>) return may_be_invalid<typename T::value_type>();
  else return false;
}
}  // namespace detail

/// False when `v` holds a union with more than one field set, anywhere inside it (the wire
/// can carry only one). Everything else is always valid.
template <class T>
bool valid_value(const T& v) {
  if constexpr (!detail::may_be_invalid<T>()) {
    (void)v;
    return true;
  } else if constexpr (detail::checkable<T>) {
    return Codec<T>::valid(v);
  } else if constexpr (detail::map_like<T>) {
    for (const auto& [k, x] : v)
      if (!valid_value(k) || !valid_value(x)) return false;
    return true;
  } else {
    for (const auto& x : v)
      if (!valid_value(x)) return false;
    return true;
  }
}

template <Encodable T>
Error encode(BinaryWriter& w, const T& value) {
  if (!valid_value(value)) [[unlikely]] {
    w.fail(ErrorKind::invalid_union, "union with more than one field set");
    return w.error();
  }
  std::size_t n = Codec<T>::size(value);
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) [[unlikely]] {
    w.fail(ErrorKind::value_too_large, "encoded size", static_cast<std::int64_t>(n));
    return w.error();
  }
  std::byte* p = w.prepare(n);
  std::byte* end = Codec<T>::put(p, value);
  assert(static_cast<std::size_t>(end - p) == n && "Codec<T>::size() disagrees with Codec<T>::put()");
  w.commit(static_cast<std::size_t>(end - p));
  return w.error();
}

/// Decode all of `input` as one T into `out`, with the same result as decode<T>() gives but
/// reusing the storage `out` already owns (strings, containers, map nodes): a server loop
/// that decodes into the same object allocates nothing once warm. Fails with trailing_data
/// when bytes remain after the value.
template <Encodable T>
Error decode_into(std::span<const std::byte> input, T& out, const ReaderOptions& options = {}) {
  BinaryReader r(input, options);
  Codec<T>::read(r, out);
  if (r.ok() && r.remaining() != 0) r.fail(ErrorKind::trailing_data, "bytes after the value", static_cast<std::int64_t>(r.remaining()));
  return r.error();
}

/// Decode all of `input` as one fresh T.
template <Encodable T>
Result<T> decode(std::span<const std::byte> input, const ReaderOptions& options = {}) {
  T out{};
  Error e = decode_into(input, out, options);
  if (e) return e;
  return out;
}

}  // namespace corothrift
