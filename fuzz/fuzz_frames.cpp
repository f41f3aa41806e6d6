// fuzz_frames: the transports' message boundaries, fed in chunks whose sizes come from
// the input.
//
// Input: [options byte][limits byte][n][n chunk sizes][stream]. The stream is fed in chunks
// of the listed sizes, cycling through the list (0 = an empty feed; no list = one chunk).
// Options bits 0-1: frame limit; bit 2: strict_read. Limits byte: bits 0-1 max_message_size,
// bits 2-3 max_depth, bit 4 tight string/container limits.
//
// The same stream goes through
//   FrameDecoder           chunked, against itself fed everything at once, then again after reset()
//   MessageStream(framed)  chunked, against the FrameDecoder reference
//   MessageScanner         chunked, against itself fed everything at once
//   MessageStream(buffered) chunked, against the MessageScanner reference
// and each must deliver the same messages (bytes) and end in the same state: the same
// error (kind, offset, value, text) or the same number of bytes waiting. Errors must be
// sticky: more bytes after an error change nothing.
// Each message the scanner delimits is also read with BinaryReader (read_message_begin +
// skip) under the same limits: complete for the scanner <=> read to exactly that end;
// an error for the scanner => an error for the reader (the same one, unless the reader
// first ran out of bytes or the two check the message type and name in a different order);
// incomplete for the scanner => the reader runs out of bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <corothrift/protocol.hpp>
#include <corothrift/transport.hpp>

namespace {

using namespace corothrift;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

bool same_error(const Error& a, const Error& b) { return a == b && std::strcmp(a.what, b.what) == 0; }

using Bytes = std::span<const std::byte>;

/// Cuts the stream into chunks of the sizes given.
class Chunker {
 public:
  Chunker(Bytes stream, std::vector<std::size_t> sizes) : stream_(stream), sizes_(std::move(sizes)) {
    std::size_t sum = 0;
    for (std::size_t s : sizes_) sum += s;
    if (sum == 0) sizes_ = {stream.size()};  // no sizes, or only empty feeds: all at once
  }
  /// Call f(chunk) for each chunk in order until f returns false.
  template <class F>
  void each(F&& f) const {
    std::size_t pos = 0, i = 0;
    do {
      std::size_t n = std::min(sizes_[i++ % sizes_.size()], stream_.size() - pos);
      if (!f(stream_.subspan(pos, n))) return;
      pos += n;
    } while (pos < stream_.size());
  }

 private:
  Bytes stream_;
  std::vector<std::size_t> sizes_;
};

/// Messages delivered and how the stream ended.
struct Outcome {
  std::vector<std::string> messages;
  bool error = false;
  Error err{};
  std::size_t waiting = 0;  // need_more: bytes held (decoder/stream) or seen of the partial message (scanner)
  int chunks_after_error = 0;

  /// Whether to feed the next chunk: after an error, one more (it must change nothing: the
  /// stickiness is checked again at the end), then stop.
  bool more() { return !error || ++chunks_after_error <= 1; }

  bool operator==(const Outcome& o) const {
    return messages == o.messages && error == o.error && same_error(err, o.err) && waiting == o.waiting;
  }
};

std::string str(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// ---- FrameDecoder -------------------------------------------------------------------------

/// Take every frame available; true when the decoder is in error.
bool drain(FrameDecoder& d, Outcome& out) {
  for (;;) {
    FrameEvent ev = d.next();
    if (ev.status == FrameEvent::Status::frame) {
      out.messages.push_back(str(ev.payload));
      continue;
    }
    if (ev.status == FrameEvent::Status::error) {
      if (out.error && !same_error(out.err, ev.error)) fail("FrameDecoder: the error changed");
      out.error = true;
      out.waiting = 0;
      out.err = ev.error;
      return true;
    }
    out.waiting = d.buffered();
    if (ev.needed == 0) fail("FrameDecoder: need_more for 0 bytes");
    return false;
  }
}

Outcome frames_at_once(FrameDecoder& d, Bytes stream) {
  Outcome out;
  d.feed(stream);
  drain(d, out);
  return out;
}

Outcome frames_chunked(FrameDecoder& d, const Chunker& chunks) {
  Outcome out;
  chunks.each([&](Bytes c) {
    d.feed(c);
    drain(d, out);
    return out.more();
  });
  if (out.error) {  // sticky: more bytes change nothing
    std::byte extra[5]{};
    d.feed(extra);
    Outcome again = out;
    drain(d, again);
    if (!(again == out)) fail("FrameDecoder: error not sticky");
  }
  return out;
}

// ---- MessageStream --------------------------------------------------------------------------

bool drain(MessageStream& s, Outcome& out) {
  for (;;) {
    StreamEvent ev = s.next();
    if (ev.status == StreamEvent::Status::message) {
      out.messages.push_back(str(ev.message));
      continue;
    }
    if (ev.status == StreamEvent::Status::error) {
      if (out.error && !same_error(out.err, ev.error)) fail("MessageStream: the error changed");
      out.error = true;
      out.waiting = 0;
      out.err = ev.error;
      return true;
    }
    out.waiting = s.buffered();
    return false;
  }
}

void give(MessageStream& s, Bytes c) {
  std::span<std::byte> room = s.prepare(c.size());
  if (room.size() < c.size()) fail("MessageStream::prepare gave less room than asked");
  if (!c.empty()) std::memcpy(room.data(), c.data(), c.size());
  s.commit(c.size());
}

Outcome stream_chunked(MessageStream& s, const Chunker& chunks) {
  Outcome out;
  chunks.each([&](Bytes c) {
    give(s, c);
    drain(s, out);
    return out.more();
  });
  if (out.error) {
    std::byte extra[5]{};
    give(s, extra);
    Outcome again = out;
    drain(s, again);
    if (!(again == out)) fail("MessageStream: error not sticky");
  }
  return out;
}

// ---- MessageScanner -------------------------------------------------------------------------

/// Feed `c` to the scanner until it is used up; record messages (by slicing `stream` at the
/// running offset `at`) and errors.
void scan(MessageScanner& sc, Bytes stream, Bytes c, std::size_t& at, std::size_t& msg_start, Outcome& out) {
  for (;;) {
    ScanEvent ev = sc.feed(c);
    if (ev.consumed > c.size()) fail("MessageScanner consumed more than it was given");
    at += ev.consumed;
    if (ev.status == ScanEvent::Status::error) {
      if (out.error && !same_error(out.err, ev.error)) fail("MessageScanner: the error changed");
      out.error = true;
      out.waiting = 0;
      out.err = ev.error;
      return;
    }
    if (ev.status == ScanEvent::Status::need_more) {
      if (ev.consumed != c.size()) fail("MessageScanner: need_more without using the whole chunk");
      out.waiting = sc.message_offset();
      if (msg_start + out.waiting != at) fail("MessageScanner: message_offset out of step");
      return;
    }
    if (ev.message_size != at - msg_start) fail("MessageScanner: message size does not match the bytes used");
    out.messages.push_back(str(stream.subspan(msg_start, ev.message_size)));
    msg_start = at;
    out.waiting = 0;
    c = c.subspan(ev.consumed);
    if (c.empty()) return;
  }
}

Outcome scanner_run(MessageScanner& sc, Bytes stream, const Chunker* chunks) {
  Outcome out;
  std::size_t at = 0, msg_start = 0;
  if (chunks) {
    chunks->each([&](Bytes c) {
      scan(sc, stream, c, at, msg_start, out);
      return out.more();
    });
  } else {
    scan(sc, stream, stream, at, msg_start, out);
  }
  if (out.error) {
    std::byte extra[5]{};
    ScanEvent ev = sc.feed(extra);
    if (ev.status != ScanEvent::Status::error || !same_error(ev.error, out.err) || ev.consumed != 0)
      fail("MessageScanner: error not sticky");
  }
  return out;
}

/// BinaryReader over what the scanner was given from `start` on must agree with it.
void check_with_reader(Bytes rest, const ReaderOptions& options, const ScanEvent& scanned) {
  Bytes view = rest.first(std::min(rest.size(), options.limits.max_message_size));
  BinaryReader r(view, options);
  r.read_message_begin();
  r.skip(TType::Struct);
  switch (scanned.status) {
    case ScanEvent::Status::complete:
      if (!r.ok()) {
        std::fprintf(stderr, "reader: %s\n", describe(r.error()).c_str());
        fail("scanner found a complete message that BinaryReader rejects");
      }
      if (r.offset() != scanned.message_size) fail("scanner and BinaryReader end the message at different bytes");
      break;
    case ScanEvent::Status::need_more:
      if (r.ok()) fail("scanner wants more bytes but BinaryReader read a whole message");
      if (r.error().kind != ErrorKind::unexpected_end && r.error().kind != ErrorKind::depth_limit) {
        std::fprintf(stderr, "reader: %s\n", describe(r.error()).c_str());
        fail("scanner wants more bytes but BinaryReader found another error");
      }
      break;
    case ScanEvent::Status::error: {
      const Error& s = scanned.error;
      if (r.ok()) {
        std::fprintf(stderr, "scanner: %s\n", describe(s).c_str());
        fail("scanner rejects a message that BinaryReader reads");
      }
      const Error& e = r.error();
      if (s.kind == ErrorKind::message_too_large || s.kind == ErrorKind::invalid_message_type) break;
      // The reader may stop earlier: out of bytes (it checks declared sizes against what
      // remains), or at the depth limit (it checks depth before reading a container's
      // header, the scanner after).
      bool same = e.kind == s.kind && e.offset == s.offset && e.value == s.value;
      bool earlier = (e.kind == ErrorKind::unexpected_end || e.kind == ErrorKind::depth_limit) && e.offset <= s.offset;
      if (!same && !earlier) {
        std::fprintf(stderr, "scanner: %s\nreader:  %s\n", describe(s).c_str(), describe(e).c_str());
        fail("scanner and BinaryReader report different errors");
      }
      break;
    }
  }
}

void scanner_vs_reader(Bytes stream, const ReaderOptions& options) {
  std::size_t start = 0;
  for (;;) {
    MessageScanner sc(options);
    Bytes rest = stream.subspan(start);
    ScanEvent ev = sc.feed(rest);
    check_with_reader(rest, options, ev);
    if (ev.status != ScanEvent::Status::complete) return;
    start += ev.message_size;
    if (start == stream.size()) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::uint8_t opt = data[0], lim = data[1], n = data[2];
  if (size < 3u + n) return 0;
  std::vector<std::size_t> sizes(data + 3, data + 3 + n);
  Bytes stream(reinterpret_cast<const std::byte*>(data + 3 + n), size - 3 - n);
  Chunker chunks(stream, sizes);

  static constexpr std::uint32_t frame_max[] = {8, 64, 1024, 1u << 20};
  FrameLimits fl{frame_max[opt & 3]};
  static constexpr std::size_t message_max[] = {16, 128, 4096, 1u << 20};
  static constexpr int depth_max[] = {1, 2, 8, 64};
  ReaderOptions ro;
  ro.strict_read = (opt & 4) != 0;
  ro.limits.max_message_size = message_max[lim & 3];
  ro.limits.max_depth = depth_max[(lim >> 2) & 3];
  if (lim & 0x10) {
    ro.limits.max_string_size = 8;
    ro.limits.max_container_size = 4;
  } else {
    ro.limits.max_string_size = 1 << 20;
    ro.limits.max_container_size = 1 << 20;
  }

  // Framed.
  FrameDecoder ref_decoder(fl);
  const Outcome framed = frames_at_once(ref_decoder, stream);
  FrameDecoder decoder(fl);
  if (!(frames_chunked(decoder, chunks) == framed)) fail("FrameDecoder: chunked feeding gives another result");
  decoder.reset();
  if (!(frames_at_once(decoder, stream) == framed)) fail("FrameDecoder: another result after reset()");
  {
    MessageStream s(Transport::framed, fl, ro, 64);
    if (!(stream_chunked(s, chunks) == framed)) fail("MessageStream(framed) differs from FrameDecoder");
  }

  // Unframed.
  MessageScanner ref_scanner(ro);
  const Outcome unframed = scanner_run(ref_scanner, stream, nullptr);
  MessageScanner scanner(ro);
  if (!(scanner_run(scanner, stream, &chunks) == unframed)) fail("MessageScanner: chunked feeding gives another result");
  scanner.reset();
  if (!(scanner_run(scanner, stream, nullptr) == unframed)) fail("MessageScanner: another result after reset()");
  {
    MessageStream s(Transport::buffered, fl, ro, 64);
    Outcome got = stream_chunked(s, chunks);
    // The stream counts error offsets from the start of the stream, the scanner from the
    // start of the message.
    Outcome want = unframed;
    std::size_t consumed = 0;
    for (const std::string& m : want.messages) consumed += m.size();
    if (want.error) want.err.offset += consumed;
    else if (want.waiting != stream.size() - consumed) fail("MessageScanner: partial message size out of step");
    if (!(got == want)) fail("MessageStream(buffered) differs from MessageScanner");
  }
  scanner_vs_reader(stream, ro);
  return 0;
}
