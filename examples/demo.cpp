// The README demo: encode a struct, frame it, feed the frame through the incremental
// decoder in small chunks as a socket would deliver it, decode it, and say what happened.
#include <cstdio>
#include <string>

#include <corothrift/protocol.hpp>
#include <corothrift/transport.hpp>

#include "person_thrift.hpp"

namespace {
std::string hex(std::span<const std::byte> b, std::size_t max) {
  std::string s;
  char buf[4];
  for (std::size_t i = 0; i < b.size() && i < max; ++i) {
    std::snprintf(buf, sizeof buf, "%02x ", static_cast<unsigned>(b[i]));
    s += buf;
  }
  if (b.size() > max) s += "...";
  return s;
}
}  // namespace

int main() {
  example::Person alice{"Alice", 42, "alice@example.org", {"+1-555-0100", "+1-555-0199"}};

  // 1. Encode a call message: strict header, then the struct as the argument struct's field 1.
  corothrift::BinaryWriter w;
  std::size_t mark = corothrift::begin_frame(w);
  w.write_message_begin("addPerson", corothrift::MessageType::Call, 1);
  corothrift::write_field(w, 1, alice);
  w.write_field_stop();
  if (corothrift::Error e = corothrift::end_frame(w, mark)) {
    std::printf("framing failed: %s\n", corothrift::describe(e).c_str());
    return 1;
  }
  std::printf("encoded  : Person{name=%s, id=%d, email=%s, %zu phones} as call 'addPerson' seqid 1\n",
              alice.name.c_str(), alice.id, alice.email->c_str(), alice.phones.size());
  std::printf("framed   : %zu bytes (4-byte length + %zu-byte message): %s\n", w.size(), w.size() - 4,
              hex(w.view(), 24).c_str());

  // 2. Deliver it in 7-byte chunks to the incremental frame decoder.
  corothrift::FrameDecoder decoder;
  std::span<const std::byte> wire = w.view();
  std::size_t chunks = 0;
  std::vector<std::byte> frame;
  for (std::size_t pos = 0; pos < wire.size() && frame.empty(); pos += 7) {
    decoder.feed(wire.subspan(pos, std::min<std::size_t>(7, wire.size() - pos)));
    ++chunks;
    corothrift::FrameEvent ev = decoder.next();
    if (ev.status == corothrift::FrameEvent::Status::error) {
      std::printf("frame error: %s\n", corothrift::describe(ev.error).c_str());
      return 1;
    }
    if (ev.status == corothrift::FrameEvent::Status::frame) frame.assign(ev.payload.begin(), ev.payload.end());
  }
  std::printf("deframed : one %zu-byte frame after %zu chunks of 7 bytes\n", frame.size(), chunks);

  // 3. Decode the message header and the argument struct.
  corothrift::BinaryReader r(frame);
  corothrift::MessageHeader h = r.read_message_begin();
  example::Person back;
  corothrift::read_remaining_fields(r, [&](corothrift::FieldHeader f) {
    return f.id == 1 && corothrift::read_field_as(r, f, back);
  });
  if (!r.ok()) {
    std::printf("decode error: %s\n", corothrift::describe(r.error()).c_str());
    return 1;
  }
  std::printf("decoded  : call '%.*s' seqid %d, Person{name=%s, id=%d, email=%s, phones=[%s, %s]}\n",
              static_cast<int>(h.name.size()), h.name.data(), h.seqid, back.name.c_str(), back.id,
              back.email ? back.email->c_str() : "-", back.phones.at(0).c_str(), back.phones.at(1).c_str());
  std::printf("round trip: %s\n", back == alice ? "identical" : "DIFFERENT");

  // 4. And a hostile frame: a length of 2^31-1 is refused before anything is allocated.
  corothrift::FrameDecoder hostile;
  const std::byte evil[] = {std::byte{0x7f}, std::byte{0xff}, std::byte{0xff}, std::byte{0xff}};
  hostile.feed(evil);
  std::printf("hostile  : %s\n", corothrift::describe(hostile.next().error).c_str());
  return back == alice ? 0 : 1;
}
