// fuzz_skip: BinaryReader on raw bytes, read generically with skip().
//
// Input: [mode byte][bytes]. Mode bits 0-1: what to read
//   0: one struct (skip(Struct)) from the start
//   1: a message header, then its body struct
//   2: one value of the type id given by the first byte (any id, valid or not)
//   3: messages back to back until the input is used up or an error
// bits 2-3: which limits (tight ... roomy, all small: skip allocates nothing anyway);
// bit 4: strict_read.
//
// Checks, besides "no crash, no hang, no allocation":
//  - skip() and an independent walk written here with the public reader API (headers,
//    base reads, enter/leave) end at the same offset with the same error: skip's fast paths
//    (a list or map of fixed-size values skipped in one step) agree with element-wise reading;
//  - errors are reported through the reader: a kind, an offset inside the input, and they
//    are sticky (after the first one every read returns zero / Stop / empty, nothing moves,
//    and the first error stays).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

#include <corothrift/protocol.hpp>

namespace {

using namespace corothrift;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

ReaderOptions options_for(std::uint8_t mode) {
  ReaderOptions o;
  ReaderLimits& l = o.limits;
  switch ((mode >> 2) & 3) {
    case 0: l.max_string_size = 8; l.max_container_size = 4; l.max_depth = 2; l.max_message_size = 64; break;
    case 1: l.max_string_size = 64; l.max_container_size = 32; l.max_depth = 4; l.max_message_size = 1024; break;
    case 2: l.max_string_size = 4096; l.max_container_size = 1024; l.max_depth = 16; l.max_message_size = 1 << 16; break;
    default: l.max_string_size = 1 << 16; l.max_container_size = 1 << 16; l.max_depth = 64; l.max_message_size = 1 << 17; break;
  }
  l.max_decoded_size = 1 << 16;
  o.strict_read = (mode & 0x10) != 0;
  return o;
}

/// Read one value of type `t` element by element, without skip().
void walk(BinaryReader& r, TType t) {
  switch (t) {
    case TType::Bool: r.read_bool(); return;
    case TType::Byte: r.read_byte(); return;
    case TType::I16: r.read_i16(); return;
    case TType::I32: r.read_i32(); return;
    case TType::I64: r.read_i64(); return;
    case TType::Double: r.read_double(); return;
    case TType::Uuid: r.read_uuid(); return;
    case TType::String: r.read_binary_view(); return;
    case TType::Struct:
      if (!r.enter()) return;
      for (;;) {
        FieldHeader f = r.read_field_begin();
        if (f.type == TType::Stop) break;
        walk(r, f.type);
      }
      r.leave();
      return;
    case TType::List:
    case TType::Set: {
      if (!r.enter()) return;
      ListHeader h = t == TType::Set ? r.read_set_begin() : r.read_list_begin();
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) walk(r, h.elem);
      r.leave();
      return;
    }
    case TType::Map: {
      if (!r.enter()) return;
      MapHeader h = r.read_map_begin();
      for (std::int32_t i = 0; i < h.size && r.ok(); ++i) {
        walk(r, h.key);
        walk(r, h.value);
      }
      r.leave();
      return;
    }
    default:
      r.fail(ErrorKind::invalid_type, "type id", static_cast<std::int64_t>(t));
      return;
  }
}

template <class Value>
void read_input(BinaryReader& r, std::uint8_t mode, std::span<const std::byte> in, Value&& value) {
  switch (mode & 3) {
    case 0:
      value(r, TType::Struct);
      break;
    case 1:
      r.read_message_begin();
      value(r, TType::Struct);
      break;
    case 2: {
      if (in.empty()) return;
      auto t = static_cast<TType>(r.read_byte());
      value(r, t);
      break;
    }
    default:
      while (r.ok() && r.remaining() > 0) {
        r.read_message_begin();
        value(r, TType::Struct);
      }
      break;
  }
}

/// After an error: the error stays, every read gives zero / Stop / empty, nothing moves.
void check_sticky(BinaryReader& r) {
  const Error first = r.error();
  const char* what = first.what;
  const std::size_t at = r.offset();
  if (r.remaining() != 0) fail("bytes remain after an error");
  if (r.read_i32() != 0 || r.read_i64() != 0 || r.read_byte() != 0 || r.read_bool() || r.read_double() != 0)
    fail("a read after an error returned a value");
  if (r.read_uuid() != Uuid{}) fail("read_uuid after an error returned a value");
  if (!r.read_string_view().empty() || !r.read_binary_view().empty()) fail("string read after an error not empty");
  FieldHeader f = r.read_field_begin();
  if (f.type != TType::Stop || f.id != 0) fail("field header after an error is not Stop");
  ListHeader l = r.read_list_begin();
  if (l.size != 0) fail("list header after an error not empty");
  MapHeader m = r.read_map_begin();
  if (m.size != 0) fail("map header after an error not empty");
  MessageHeader h = r.read_message_begin();
  if (!h.name.empty() || h.seqid != 0) fail("message header after an error not empty");
  r.skip(TType::Struct);
  r.skip(TType::List);
  if (r.try_stop() || r.try_field(TType::I32, 1)) fail("try_* matched after an error");
  if (!r.read_raw(1).empty()) fail("read_raw after an error not empty");
  r.fail(ErrorKind::size_limit, "a later error");
  if (r.ok() || !(r.error() == first) || std::strcmp(r.error().what, what) != 0) fail("the first error did not stay");
  if (r.offset() != at) fail("the reader moved after an error");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  std::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  const ReaderOptions options = options_for(mode);

  BinaryReader a(in, options);
  read_input(a, mode, in, [](BinaryReader& r, TType t) { r.skip(t); });
  BinaryReader b(in, options);
  read_input(b, mode, in, [](BinaryReader& r, TType t) { walk(r, t); });

  if (a.ok() != b.ok()) fail("skip and walk disagree on success");
  if (a.offset() != b.offset()) fail("skip and walk end at different offsets");
  if (!(a.error() == b.error()) || std::strcmp(a.error().what, b.error().what) != 0) {
    std::fprintf(stderr, "skip: %s\nwalk: %s\n", describe(a.error()).c_str(), describe(b.error()).c_str());
    fail("skip and walk report different errors");
  }
  if (a.offset() > in.size()) fail("offset past the end");
  if (a.decoded_size() != 0) fail("skip charged the allocation budget");
  if (!a.ok()) {
    if (a.error().kind == ErrorKind::ok) fail("error without a kind");
    if (a.error().offset > in.size()) fail("error offset past the end");
    check_sticky(a);
  } else if (a.depth() != 0) {
    fail("depth not back to 0 after a complete value");
  }
  return 0;
}
