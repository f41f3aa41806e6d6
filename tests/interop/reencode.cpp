// Helper for the Python interop test: decode every DIR/*.bin (a message header, strict or
// old form, followed by an Everything struct) with corothrift and write it back re-encoded,
// in the same header form, to DIR/*.bin.cpp. Exit status 1 on the first decode error.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <corothrift/protocol.hpp>

#include "shapes_thrift.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() != ".bin") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(raw.data()), raw.size());
    corothrift::BinaryReader r(bytes);
    bool strict = !raw.empty() && (static_cast<unsigned char>(raw[0]) & 0x80);
    corothrift::MessageHeader h = r.read_message_begin();
    shapes::Everything value;
    corothrift::Codec<shapes::Everything>::read(r, value);
    if (r.ok() && r.remaining() != 0) r.fail(corothrift::ErrorKind::trailing_data, "after the struct");
    if (!r.ok()) {
      std::fprintf(stderr, "%s: %s\n", entry.path().c_str(), corothrift::describe(r.error()).c_str());
      return 1;
    }
    corothrift::BinaryWriter w(corothrift::WriterOptions{.strict_write = strict});
    w.write_message_begin(h.name, h.type, h.seqid);
    if (corothrift::Error e = corothrift::encode(w, value)) {
      std::fprintf(stderr, "%s: %s\n", entry.path().c_str(), corothrift::describe(e).c_str());
      return 1;
    }
    std::ofstream out(entry.path().string() + ".cpp", std::ios::binary);
    out.write(reinterpret_cast<const char*>(w.data()), static_cast<std::streamsize>(w.size()));
    ++n;
  }
  std::printf("re-encoded %d messages\n", n);
  return n > 0 ? 0 : 1;
}
