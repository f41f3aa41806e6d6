// make_server_seeds: writes the seed corpus of fuzz_server (fuzz/corpus/fuzz_server/seed-*).
//
//     .build-fuzz/fuzz/make_server_seeds fuzz/corpus/fuzz_server
//
// Each seed is [mode byte][chunking seed][what a client sends]: calls of the Calculator
// service (tests/interop/interop.thrift) framed or buffered, with declared and undeclared
// exceptions, a oneway, an unknown method, bad arguments, a wrong message type, a truncated
// request and an oversized frame. Deterministic; other files in the directory are left alone.
#include "fuzzshapes_rpc.hpp"

#include <corothrift/rpc.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;
using corothrift::MessageType;
using corothrift::Transport;
using Calc = fuzzshapes::Calculator;

fs::path out_dir;

void write(const std::string& name, std::uint8_t mode, std::uint8_t seed, const Bytes& stream) {
  fs::create_directories(out_dir);
  std::ofstream f(out_dir / ("seed-" + name), std::ios::binary);
  const char head[2] = {static_cast<char>(mode), static_cast<char>(seed)};
  f.write(head, 2);
  f.write(reinterpret_cast<const char*>(stream.data()), static_cast<std::streamsize>(stream.size()));
  if (!f) {
    std::fprintf(stderr, "cannot write seed-%s\n", name.c_str());
    std::exit(1);
  }
}

template <class Body>
Bytes msg(std::string_view name, MessageType type, std::int32_t seqid, const Body& body, Transport t) {
  corothrift::BinaryWriter w;
  if (corothrift::detail::append_message(w, t, corothrift::FrameLimits{}, {}, name, type, seqid, body)) std::abort();
  auto v = w.view();
  return Bytes(v.begin(), v.end());
}

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes add(std::int32_t seqid, std::int32_t a, std::int32_t b, Transport t) {
  Calc::add::args args;
  args.a = a;
  args.b = b;
  return msg("add", MessageType::Call, seqid, args, t);
}

Bytes describe(std::int32_t seqid, std::int32_t id, Transport t) {
  Calc::describe::args args;
  args.s.id = id;
  args.s.name = "n";
  args.how.text = "t";
  return msg("describe", MessageType::Call, seqid, args, t);
}

Bytes ping(Transport t) {
  Calc::ping::args args;
  args.note = "hello";
  return msg("ping", MessageType::Oneway, 0, args, t);
}

Bytes session(Transport t) {
  return add(1, 2, 3, t) + describe(2, 5, t) + describe(3, -1, t) + describe(4, 7, t) + add(5, 13, 0, t) + ping(t) +
         add(6, 1, 1, t);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_server_seeds OUTDIR\n");
    return 2;
  }
  out_dir = argv[1];
  const Transport F = Transport::framed, B = Transport::buffered;
  write("framed-session", 0, 1, session(F));
  write("buffered-session", 1, 2, session(B));
  write("framed-ordered", 2, 3, session(F));
  write("framed-tiny-limits", 4, 4, session(F));
  Calc::add::args none;
  write("unknown-method", 0, 5, msg("subtract", MessageType::Call, 9, none, F) + add(10, 1, 2, F));
  write("wrong-type", 0, 6, msg("add", MessageType::Reply, 11, none, F) + add(12, 1, 2, F));
  Bytes bad_args = describe(13, 1, F);
  bad_args.resize(bad_args.size() - 3);  // the struct ends early ...
  bad_args[3] = static_cast<std::byte>(static_cast<unsigned>(bad_args[3]) - 3);  // ... inside a valid frame
  write("bad-args", 0, 7, bad_args + add(14, 1, 2, F));
  Bytes truncated = add(15, 1, 2, F);
  truncated.resize(truncated.size() / 2);
  write("truncated", 0, 8, add(16, 4, 4, F) + truncated);
  Bytes huge = {std::byte{0x7f}, std::byte{0xff}, std::byte{0xff}, std::byte{0xff}};
  write("huge-frame", 0, 9, add(17, 1, 1, F) + huge);
  write("multiplexed-name", 0, 10, msg("Calculator:add", MessageType::Call, 18, none, F));
  return 0;
}
