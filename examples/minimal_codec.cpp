// The smallest useful program: encode and decode one struct with protocol/ alone.
// Built -Os -fno-exceptions -fno-rtti with --gc-sections and stripped, to measure what
// corothrift adds to a binary (see README, "Size").
#include <cstdio>

#include <corothrift/protocol/codec.hpp>

#include "person_thrift.hpp"

int main() {
  example::Person p{"Ada", 1815, std::nullopt, {"+44"}};
  corothrift::BinaryWriter w;
  if (corothrift::encode(w, p)) return 1;
  example::Person back;
  corothrift::Error e = corothrift::decode_into(w.view(), back);
  std::printf("%zu bytes, %s\n", w.size(), !e && back == p ? "round trip ok" : "round trip FAILED");
  return e ? 1 : 0;
}
