// fuzz_roundtrip: whatever decodes as one of the generated structs must survive
// encode -> decode unchanged.
//
// Input: [selector byte][payload], as for fuzz_generated. When the payload decodes to v1:
//  - e1 = encode(v1) has encoded_size(v1) bytes;
//  - e1 decodes to v2 == v1 (NaN-aware, see fuzz::same_value);
//  - e2 = encode(v2) is byte-identical to e1 for types whose codec is canonical (no
//    unordered container inside);
//  - e1 as the body of a framed call message: FrameDecoder returns exactly that message,
//    MessageScanner finds its end at its last byte, BinaryReader reads header and body back.
// The second decode gets looser limits than the first (max_depth + 8, no size budget):
// re-encoding adds what the input left out (IDL defaults, always-written struct fields),
// so e1 can be longer and nest deeper than the input, while its values were already
// decoded once within the tight limits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include <corothrift/transport.hpp>

#include "fuzz_types.hpp"

namespace {

using corothrift::Error;
using corothrift::ReaderOptions;

ReaderOptions second_decode_options(const ReaderOptions& first) {
  ReaderOptions o = first;
  o.limits.max_string_size = std::numeric_limits<std::int32_t>::max();
  o.limits.max_container_size = std::numeric_limits<std::int32_t>::max();
  o.limits.max_depth = first.limits.max_depth + 8;
  o.limits.max_message_size = std::numeric_limits<std::size_t>::max();
  o.limits.max_decoded_size = std::numeric_limits<std::size_t>::max();
  return o;
}

template <class T>
void check_message(const T& v1, std::span<const std::byte> e1, const ReaderOptions& loose) {
  corothrift::BinaryWriter w;
  std::size_t mark = corothrift::begin_frame(w);
  w.write_message_begin("roundtrip", corothrift::MessageType::Reply, 12345);
  if (corothrift::encode(w, v1)) fuzz::fail("encode into a message failed");
  if (corothrift::end_frame(w, mark, corothrift::FrameLimits{1u << 30})) fuzz::fail("end_frame failed");
  std::span<const std::byte> frame = w.view();
  std::span<const std::byte> message = frame.subspan(4);
  if (!std::equal(e1.begin(), e1.end(), message.end() - static_cast<std::ptrdiff_t>(e1.size())))
    fuzz::fail("the message body differs from encode()");

  corothrift::FrameDecoder frames(corothrift::FrameLimits{1u << 30});
  frames.feed(frame);
  corothrift::FrameEvent f = frames.next();
  if (f.status != corothrift::FrameEvent::Status::frame || f.payload.size() != message.size() ||
      !std::equal(message.begin(), message.end(), f.payload.begin()))
    fuzz::fail("FrameDecoder does not return the framed message");
  if (frames.next().status != corothrift::FrameEvent::Status::need_more || frames.buffered() != 0)
    fuzz::fail("FrameDecoder: bytes left after the only frame");

  corothrift::MessageScanner scanner(loose);
  corothrift::ScanEvent s = scanner.feed(message);
  if (s.status != corothrift::ScanEvent::Status::complete || s.message_size != message.size() ||
      s.consumed != message.size())
    fuzz::fail("MessageScanner does not end the message at its last byte");

  corothrift::BinaryReader r(message, loose);
  corothrift::MessageHeader h = r.read_message_begin();
  if (!r.ok() || h.name != "roundtrip" || h.type != corothrift::MessageType::Reply || h.seqid != 12345)
    fuzz::fail("message header does not read back");
  T v3{};
  corothrift::Codec<T>::read(r, v3);
  if (!r.ok() || r.remaining() != 0) fuzz::fail("message body does not read back");
  if (!fuzz::same_value(v3, v1)) fuzz::fail("message body reads back as another value");
}

template <class T>
void check(std::span<const std::byte> in, const ReaderOptions& options) {
  T v1{};
  if (corothrift::decode_into(in, v1, options)) return;  // only what parses
  std::vector<std::byte> e1 = fuzz::encode_bytes(v1);

  ReaderOptions loose = second_decode_options(options);
  T v2{};
  Error err = corothrift::decode_into(std::span<const std::byte>(e1), v2, loose);
  if (err) {
    std::fprintf(stderr, "decode of the re-encoding: %s\n", corothrift::describe(err).c_str());
    fuzz::fail("re-encoding of a decoded value does not decode");
  }
  if (!fuzz::same_value(v1, v2)) fuzz::fail("decode(encode(v)) != v");
  std::vector<std::byte> e2 = fuzz::encode_bytes(v2);
  if constexpr (fuzz::canonical<T>) {
    if (e1 != e2) fuzz::fail("re-encodings differ");
  } else {
    if (e1.size() != e2.size()) fuzz::fail("re-encodings differ in size");
  }
  check_message(v1, e1, loose);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  fuzz::Selection sel = fuzz::select(data[0]);
  std::span<const std::byte> in(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  fuzz::with_type(fuzz::AllTypes{}, sel.type_index, [&]<class T>() { check<T>(in, sel.options); });
  return 0;
}
